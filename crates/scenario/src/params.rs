//! The parameters of a scenario element's catalog type (overrides applied) as the models read
//! them: one typed struct per kind of type, built by validation, so that the engine reads
//! fields and never looks a parameter up by its name.
//!
//! Each field names the catalog key it comes from (whose entry gives its source) and the
//! model that reads it. Ranges are kept as [`Uncertain`] `{low, nominal, high}` wherever a run
//! may draw the parameter; a field in SI says so, the others keep the unit of their key.
//! Parameters that no model reads yet are accepted in the catalog and in overrides
//! (`catalog/README.md` lists them) and are not part of these structs.

use crate::catalog::{Class, ParameterError, ResolvedType, Scanning, Tier};
use crate::uncertain::Uncertain;

/// What the engine reads of a threat type.
#[derive(Debug, Clone, PartialEq)]
pub struct ThreatParams {
    /// Probability of no failure in flight (`reliability`); the engine draws failures in
    /// flight from it.
    pub reliability: Uncertain,
    /// Radar cross-section, m² (`rcs_m2`); the engine scales radar detection ranges by its
    /// fourth root.
    pub rcs_m2: Uncertain,
    /// Cost of one round, US$ (`cost_usd`); the engine's offense cost.
    pub cost_usd: Uncertain,
    /// Terminal manoeuvre capability, g (`terminal_manoeuvre_g`, rocket-powered classes only:
    /// `None` for the others); the engine's impact-point prediction error and the
    /// interceptors' kill probability against manoeuvring threats.
    pub terminal_manoeuvre_g: Option<Uncertain>,
}

/// What the engine reads of an interceptor type.
#[derive(Debug, Clone, PartialEq)]
pub struct InterceptorParams {
    /// Layer (`tier`); the default assignment policy's tie-break between batteries.
    pub tier: Tier,
    /// Lowest intercept height, m (SI, from `min_altitude_km`); engagement windows.
    pub min_altitude_m: Uncertain,
    /// Highest intercept height, m (SI, from `max_altitude_km`); engagement windows.
    pub max_altitude_m: Uncertain,
    /// Shortest ground range of an intercept, m (SI, from `min_range_km`); engagement windows.
    pub min_range_m: Uncertain,
    /// Longest ground range of an intercept, m (SI, from `max_range_km`); engagement windows.
    pub max_range_m: Uncertain,
    /// Mean fly-out speed, m/s (`speed_m_s`); the fly-out time of engagement windows.
    pub speed_m_s: Uncertain,
    /// Shortest fly-out time, s (`min_flight_time_s`); engagement windows.
    pub min_flight_time_s: Uncertain,
    /// Time from a track to a launch, s (`reaction_time_s`); the battle manager, drawn per run.
    pub reaction_time_s: Uncertain,
    /// Time to reload an empty launcher from the battery's depot, s (`reload_time_s`); reloads,
    /// drawn per run.
    pub reload_time_s: Uncertain,
    /// Cost of one interceptor, US$ (`cost_usd`); the engine's defense cost.
    pub cost_usd: Uncertain,
    /// Single-shot kill probability against each threat class, in the order of
    /// [`Class::THREATS`] (`kill_probability_<class>`); engagements, drawn per run.
    pub kill_probability: [Uncertain; 5],
    /// Kill-probability factor against a manoeuvring threat (`manoeuvre_kill_factor`);
    /// engagements, drawn per run.
    pub manoeuvre_kill_factor: Uncertain,
}

impl InterceptorParams {
    /// Single-shot kill probability against `class` (a threat class).
    pub fn kill_probability(&self, class: Class) -> Uncertain {
        let k = Class::THREATS.iter().position(|&c| c == class).unwrap_or(0);
        self.kill_probability[k]
    }
}

/// What the engine reads of a ground or ship radar type.
#[derive(Debug, Clone, PartialEq)]
pub struct RadarParams {
    /// Detection range against the reference cross-section, m (SI, from
    /// `detection_range_km`); coverage.
    pub detection_range_m: Uncertain,
    /// Cross-section of that range, m² (`reference_rcs_m2`); coverage.
    pub reference_rcs_m2: Uncertain,
    /// Width of the azimuth sector, degrees (`azimuth_sector_deg`; 360: all round); coverage.
    pub azimuth_sector_deg: Uncertain,
    /// Lowest elevation, degrees (`min_elevation_deg`); coverage.
    pub min_elevation_deg: Uncertain,
    /// Highest elevation, degrees (`max_elevation_deg`); coverage.
    pub max_elevation_deg: Uncertain,
    /// How it scans (`scanning`); the timing of track confirmation.
    pub scanning: Scanning,
    /// Time between scans, s (`scan_period_s`); detections.
    pub scan_period_s: Uncertain,
    /// Time between the confirmation beams of an electronically scanned radar, s
    /// (`confirmation_dwell_s`); the timing of track confirmation (not read for a rotating
    /// radar, which confirms on its next scans).
    pub confirmation_dwell_s: Uncertain,
    /// Time between the updates of a held track of an electronically scanned radar, s
    /// (`track_revisit_s`); how fast the impact prediction narrows (not read for a rotating
    /// radar, which updates its tracks once per scan).
    pub track_revisit_s: Uncertain,
    /// Probability of detection per scan (`detection_probability`); detections, drawn per
    /// run.
    pub detection_probability: Uncertain,
    /// Detections that form a track (`detections_to_track`); tracks.
    pub detections_to_track: Uncertain,
    /// Simultaneous tracks (`track_capacity`); tracks.
    pub track_capacity: Uncertain,
    /// Antenna height above the site, m (`antenna_height_m`); the radio horizon.
    pub antenna_height_m: Uncertain,
}

/// What the engine reads of a space-based infrared early-warning type.
#[derive(Debug, Clone, PartialEq)]
pub struct SpaceIrParams {
    /// Time from a launch to its report, s (`latency_s`); early-warning cues, drawn per run.
    pub latency_s: Uncertain,
    /// Probability of detecting a boosting missile (`detection_probability`); early-warning
    /// cues, drawn per run.
    pub detection_probability: Uncertain,
    /// Shortest boost it detects, s (`min_burn_time_s`); coverage.
    pub min_burn_time_s: Uncertain,
}

/// What the engine reads of a sensor type, by class.
#[derive(Debug, Clone, PartialEq)]
pub enum SensorParams {
    /// A ground or ship radar.
    Radar(Box<RadarParams>),
    /// A space-based infrared early-warning system.
    SpaceIr(SpaceIrParams),
}

impl ThreatParams {
    /// The parameters of threat type `t`.
    pub fn from_type(t: &ResolvedType) -> Result<Self, ParameterError> {
        Ok(Self {
            reliability: t.number("reliability")?,
            rcs_m2: t.number("rcs_m2")?,
            cost_usd: t.number("cost_usd")?,
            terminal_manoeuvre_g: if t.class.is_rocket_powered() {
                Some(t.number("terminal_manoeuvre_g")?)
            } else {
                None
            },
        })
    }
}

impl InterceptorParams {
    /// The parameters of interceptor type `t`; an unknown `tier` is an error.
    pub fn from_type(t: &ResolvedType) -> Result<Self, ParameterError> {
        let word = t.text("tier")?;
        let tier = Tier::from_name(word).ok_or_else(|| ParameterError::UnknownWord {
            type_id: t.id.clone(),
            key: "tier".into(),
            found: word.to_owned(),
            expected: Tier::ALL.iter().map(|t| t.name()).collect(),
        })?;
        let mut kill_probability = [Uncertain::exact(0.0); 5];
        for (k, class) in Class::THREATS.into_iter().enumerate() {
            kill_probability[k] = t.kill_probability(class)?;
        }
        Ok(Self {
            tier,
            min_altitude_m: t.number_si("min_altitude_km")?,
            max_altitude_m: t.number_si("max_altitude_km")?,
            min_range_m: t.number_si("min_range_km")?,
            max_range_m: t.number_si("max_range_km")?,
            speed_m_s: t.number("speed_m_s")?,
            min_flight_time_s: t.number("min_flight_time_s")?,
            reaction_time_s: t.number("reaction_time_s")?,
            reload_time_s: t.number("reload_time_s")?,
            cost_usd: t.number("cost_usd")?,
            kill_probability,
            manoeuvre_kill_factor: t.number("manoeuvre_kill_factor")?,
        })
    }
}

impl SensorParams {
    /// The parameters of sensor type `t`.
    pub fn from_type(t: &ResolvedType) -> Result<Self, ParameterError> {
        if t.class == Class::SpaceIr {
            return Ok(SensorParams::SpaceIr(SpaceIrParams {
                latency_s: t.number("latency_s")?,
                detection_probability: t.number("detection_probability")?,
                min_burn_time_s: t.number("min_burn_time_s")?,
            }));
        }
        let word = t.text("scanning")?;
        let scanning = Scanning::from_name(word).ok_or_else(|| ParameterError::UnknownWord {
            type_id: t.id.clone(),
            key: "scanning".into(),
            found: word.to_owned(),
            expected: Scanning::ALL.iter().map(|s| s.name()).collect(),
        })?;
        Ok(SensorParams::Radar(Box::new(RadarParams {
            detection_range_m: t.number_si("detection_range_km")?,
            reference_rcs_m2: t.number("reference_rcs_m2")?,
            azimuth_sector_deg: t.number("azimuth_sector_deg")?,
            min_elevation_deg: t.number("min_elevation_deg")?,
            max_elevation_deg: t.number("max_elevation_deg")?,
            scanning,
            scan_period_s: t.number("scan_period_s")?,
            confirmation_dwell_s: t.number("confirmation_dwell_s")?,
            track_revisit_s: t.number("track_revisit_s")?,
            detection_probability: t.number("detection_probability")?,
            detections_to_track: t.number("detections_to_track")?,
            track_capacity: t.number("track_capacity")?,
            antenna_height_m: t.number("antenna_height_m")?,
        })))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    /// A scenario with one battery of `arrow-3` whose overrides are `overrides` (line 4).
    fn scenario(overrides: &str) -> String {
        format!(
            "name: t\nassets: [{{id: c, circle: {{center: [32.08, 34.78], radius_km: 5}}}}]\n\
             sensors: [{{id: r, type: green-pine, at: [31.9, 34.9]}}]\n\
             batteries: [{{id: b, type: arrow-3, at: [31.9, 34.9], radar: r, overrides: {overrides}}}]\n\
             raid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: c}}]\n"
        )
    }

    #[test]
    fn an_unknown_tier_is_an_error_at_the_value_that_sets_it() {
        let d = crate::from_str(&scenario("{tier: outer}"), Path::new("t.yaml")).unwrap_err();
        assert!(
            d.to_string().contains(
                "t.yaml:4:82: parameter `tier` of type `arrow-3` is `outer`; expected `upper`, `mid` or `lower`"
            ),
            "{d}"
        );
    }

    #[test]
    fn the_typed_parameters_carry_the_overrides() {
        let s = crate::from_str(
            &scenario("{tier: mid, reaction_time_s: 12, max_range_km: 50}"),
            Path::new("t.yaml"),
        )
        .unwrap_or_else(|d| panic!("{d}"));
        let b = &s.as_layered().expect("layered").batteries[0];
        assert_eq!(b.params.tier, Tier::Mid);
        assert_eq!(b.params.tier.rank(), 1);
        assert_eq!(b.params.reaction_time_s, Uncertain::exact(12.0));
        assert_eq!(b.params.max_range_m.nominal, 50_000.0);
        assert_eq!(
            b.params,
            InterceptorParams::from_type(&b.interceptor).expect("params")
        );
    }
}
