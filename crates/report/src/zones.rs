//! The warning zones as GeoJSON FeatureCollections (RFC 7946): `zones.geojson`, every zone with
//! the alert and impact statistics of a batch, and `alerts.geojson`, the zones alerted in one
//! run.
//!
//! Each zone is a Feature: a `Polygon` (or a `MultiPolygon` for a zone of several parts),
//! positions `[longitude, latitude]` in degrees, rings closed.
//! - In `zones.geojson` ([`zones_geojson`]), every zone has the properties `name`,
//!   `population`, `shelter_time_s` and, from the batch's [`WarningSummary`], `alerts_mean`
//!   (alert periods per run), `impacts_mean` (impacts per run), `p_alert`, `p_impact`,
//!   `p_too_late`, `p_false_alarm`, `alert_minutes_mean` and `siren_lead_s` (the number of
//!   impacts in it over all runs, `count`, and the quantiles `p5`, `p50`, `p95` of their lead
//!   times, null without one), as in the summary's `warning.zones`.
//! - In `alerts.geojson` ([`alerts_geojson`]), every zone whose siren sounded in the run
//!   ([`zone_alerts`]) has `run`, `name`, `population`, `shelter_time_s`, `siren_s` (its first
//!   siren), `sirens` (every siren time), `alerts` and `alert_s` (alert periods and time under
//!   alert), `impacts`, `impact_s` and `lead_s` (the time of the first impact in it and its
//!   lead time; null without an impact), `too_late` and `false_alarm`.

use geojson::{Feature, FeatureCollection, Geometry, GeometryValue, JsonObject, Position};
use serde_json::{Value, json};
use skyshield_engine::Outcome;
use skyshield_mc::{Prepared, WarningSummary};
use skyshield_physics::earth::Geodetic;

use crate::{PER_DEGREE, round};

/// A zone's area as a GeoJSON geometry: a `Polygon`, or a `MultiPolygon` for several parts,
/// each ring closed.
fn geometry(polygons: &[Vec<Vec<Geodetic>>]) -> Geometry {
    let polygons: Vec<Vec<Vec<Position>>> = polygons
        .iter()
        .map(|rings| {
            rings
                .iter()
                .map(|ring| {
                    ring.iter()
                        .chain(ring.first())
                        .map(|g| {
                            Position::from([
                                round(g.lon_deg(), PER_DEGREE),
                                round(g.lat_deg(), PER_DEGREE),
                            ])
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    Geometry::new(match <[_; 1]>::try_from(polygons) {
        Ok([coordinates]) => GeometryValue::Polygon { coordinates },
        Err(coordinates) => GeometryValue::MultiPolygon { coordinates },
    })
}

fn feature(polygons: &[Vec<Vec<Geodetic>>], properties: Vec<(&str, Value)>) -> Feature {
    Feature {
        geometry: Some(geometry(polygons)),
        properties: Some(
            properties
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect::<JsonObject>(),
        ),
        ..Feature::default()
    }
}

/// The warning zones of `prepared` with the statistics of `summary`, as GeoJSON text; `None`
/// when the scenario has no warning zones.
pub fn zones_geojson(prepared: &Prepared, summary: &WarningSummary) -> Option<String> {
    let plan = prepared.warning.as_ref().filter(|w| !w.zones.is_empty())?;
    let features = plan
        .zones
        .iter()
        .map(|zone| {
            let stats = summary.zones.get(&zone.name);
            let stat = |f: fn(&skyshield_mc::ZoneSummary) -> f64| json!(stats.map(f));
            feature(
                &zone.polygons,
                vec![
                    ("name", json!(zone.name)),
                    ("population", json!(zone.population)),
                    ("shelter_time_s", json!(zone.shelter_time_s)),
                    ("alerts_mean", stat(|s| s.alerts_mean)),
                    ("impacts_mean", stat(|s| s.impacts_mean)),
                    ("p_alert", stat(|s| s.p_alert)),
                    ("p_impact", stat(|s| s.p_impact)),
                    ("p_too_late", stat(|s| s.p_too_late)),
                    ("p_false_alarm", stat(|s| s.p_false_alarm)),
                    ("alert_minutes_mean", stat(|s| s.alert_minutes_mean)),
                    ("siren_lead_s", json!(stats.map(|s| &s.siren_lead_s))),
                ],
            )
        })
        .collect::<Vec<_>>();
    Some(FeatureCollection::new(features).to_string())
}

/// A warning zone whose siren sounded in a run, and what befell it in that run (from the
/// run's [`skyshield_engine::WarningOutcome`]).
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneAlert {
    /// Index of the zone in the scenario's warning plan.
    pub zone: usize,
    /// Its sirens in the order they sounded: (time s, index of the threat it sounded for).
    pub sirens: Vec<(f64, usize)>,
    /// Alert periods (overlapping alerts merged) and the time under alert, s.
    pub alerts: u32,
    pub alert_s: f64,
    /// Impacts in it (leakers, and debris when warned for).
    pub impacts: u32,
    /// The first impact in it: its time and its siren lead time, s.
    pub first_impact: Option<(f64, f64)>,
    /// An impact in it came with less lead than its shelter time.
    pub too_late: bool,
    /// Alerted with no impact in it.
    pub false_alarm: bool,
}

impl ZoneAlert {
    /// Time of its first siren, s.
    pub fn siren_s(&self) -> f64 {
        self.sirens[0].0
    }
}

/// The zones whose siren sounded in the run `outcome`, in the order of the scenario's zones;
/// empty without warning zones.
pub fn zone_alerts(outcome: &Outcome) -> Vec<ZoneAlert> {
    let w = &outcome.warning;
    w.zones
        .iter()
        .enumerate()
        .filter_map(|(zone, tally)| {
            let sirens: Vec<(f64, usize)> = w
                .sirens
                .iter()
                .filter(|s| s.zone == zone)
                .map(|s| (s.time_s, s.threat))
                .collect();
            if sirens.is_empty() {
                return None;
            }
            let first_impact = w
                .impacts
                .iter()
                .filter(|i| i.zone == zone)
                .map(|i| (i.time_s, i.lead_s))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            Some(ZoneAlert {
                zone,
                sirens,
                alerts: tally.alerts,
                alert_s: tally.alert_s,
                impacts: tally.impacts,
                first_impact,
                too_late: tally.too_late,
                false_alarm: tally.alerts > 0 && tally.impacts == 0,
            })
        })
        .collect()
}

/// The zones alerted in the run `outcome` of `prepared`, as GeoJSON text (see the module
/// doc); `None` when the scenario has no warning zones.
pub fn alerts_geojson(prepared: &Prepared, outcome: &Outcome) -> Option<String> {
    let plan = prepared.warning.as_ref().filter(|w| !w.zones.is_empty())?;
    let features = zone_alerts(outcome)
        .iter()
        .map(|a| {
            let zone = &plan.zones[a.zone];
            let sirens: Vec<f64> = a.sirens.iter().map(|s| s.0).collect();
            feature(
                &zone.polygons,
                vec![
                    ("run", json!(outcome.run)),
                    ("name", json!(zone.name)),
                    ("population", json!(zone.population)),
                    ("shelter_time_s", json!(zone.shelter_time_s)),
                    ("siren_s", json!(a.siren_s())),
                    ("sirens", json!(sirens)),
                    ("alerts", json!(a.alerts)),
                    ("alert_s", json!(a.alert_s)),
                    ("impacts", json!(a.impacts)),
                    ("impact_s", json!(a.first_impact.map(|i| i.0))),
                    ("lead_s", json!(a.first_impact.map(|i| i.1))),
                    ("too_late", json!(a.too_late)),
                    ("false_alarm", json!(a.false_alarm)),
                ],
            )
        })
        .collect::<Vec<_>>();
    Some(FeatureCollection::new(features).to_string())
}
