//! The parameter space of a scenario: every parameter with a `{low, nominal, high}` range, a
//! way to fix each at a value (a [`ParameterSet`]) and prepare the scenario with it, and draws of
//! sets from the ranges.
//!
//! # What is in the space
//! Every number that the engine reads and that carries a range whose `low` is below its `high`:
//! - of each raid group's threat type: `reliability`, `rcs_m2`, `cost_usd`,
//!   `terminal_manoeuvre_g`; of the group: `cep_m` and `apogee_m`;
//! - of each sensor's type: the radar's detection range, reference cross-section, sector,
//!   elevation limits, scan period, confirmation dwell, track revisit, detection probability,
//!   detections to track, track capacity and antenna height; a space sensor's latency,
//!   detection probability and shortest boost;
//! - of each battery's interceptor type: its envelope (heights, ranges, fly-out speed, shortest
//!   fly-out), reaction and reload times, cost, kill probability per threat class and manoeuvre
//!   factor; of the battery: its network delay and reserve fraction;
//! - the command's decision latency; a warning grid's shelter time;
//! - in an abstract scenario: the tracking and kill-assessment probabilities, and per layer its
//!   kill probability, reliability and tracking probability.
//!
//! The flight model of a threat type (masses, burn time, specific impulse...) is not in the
//! space: trajectories are flown with its nominal values. Campaign parameters (losses, march
//! times) are drawn by the campaign.
//!
//! # Names and catalog keys
//! A parameter read from a catalog type that the scenario did not override is the catalog's:
//! its name is `<type id>.<field>` (e.g. `pac-3-mse.kill_probability_ballistic`), and it is one
//! parameter wherever that type appears, in this scenario and in others, so a calibration over
//! several events can share it ([`Parameter::catalog_key`]). Any other parameter is the
//! scenario's own, named `<element id>.<field>` (e.g. `patriot-north.reserve_fraction`). Fields
//! in SI carry their unit in their name (`max_range_m`), and so do their values.
//!
//! # Draws
//! [`ParameterSpace::draw`] draws set `index` under a master seed: each parameter from the
//! triangular distribution on `[low, high]` with its mode at `nominal` ([`crate::triangular`]),
//! from the stream `(seed, index, Stream::ParameterSets, key of its name)`. Set `index` is thus
//! reproducible alone, and a catalog parameter takes the same value in set `index` of every
//! scenario under the same seed.

use std::collections::BTreeMap;

use skyshield_core::{RngExt, Stream, key_of, stream};
use skyshield_scenario::{
    Class, InterceptorParams, ResolvedType, Scenario, ScenarioKind, SensorParams, ThreatParams,
    Uncertain, WarningZones,
};

use crate::prepare::{ParameterSetError, PrepareError, prepare};
use crate::prepared::Prepared;
use crate::state::triangular;

/// One parameter of a [`ParameterSpace`].
#[derive(Debug, Clone, PartialEq)]
pub struct Parameter {
    /// Stable name: `<type id>.<field>` for a catalog parameter, `<element id>.<field>` for one
    /// of the scenario's own.
    pub name: String,
    /// The catalog key it shares with other scenarios (its name), when it is a catalog
    /// parameter the scenario did not override.
    pub catalog_key: Option<String>,
    /// Its range.
    pub range: Uncertain,
}

/// A value for every parameter of a [`ParameterSpace`], in the space's order.
#[derive(Debug, Clone, PartialEq)]
pub struct ParameterSet {
    values: Vec<f64>,
}

impl ParameterSet {
    /// The set of these values, in the order of [`ParameterSpace::parameters`].
    pub fn from_values(values: Vec<f64>) -> Self {
        Self { values }
    }

    /// Its values, in the order of [`ParameterSpace::parameters`].
    pub fn values(&self) -> &[f64] {
        &self.values
    }
}

/// The parameters of a scenario that carry a range, each once (see the module doc).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ParameterSpace {
    parameters: Vec<Parameter>,
    index: BTreeMap<String, usize>,
}

impl ParameterSpace {
    /// The parameter space of `scenario`, parameters in the order the scenario first names
    /// them.
    pub fn of(scenario: &Scenario) -> Self {
        let mut space = Self::default();
        let mut copy = scenario.clone();
        visit(&mut copy, &mut |site, range| {
            if !space.index.contains_key(&site.name) {
                space
                    .index
                    .insert(site.name.clone(), space.parameters.len());
                space.parameters.push(Parameter {
                    name: site.name,
                    catalog_key: site.catalog_key,
                    range: *range,
                });
            }
        });
        space
    }

    /// Its parameters.
    pub fn parameters(&self) -> &[Parameter] {
        &self.parameters
    }

    /// The index of the parameter named `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Every parameter at its nominal value.
    pub fn nominal(&self) -> ParameterSet {
        ParameterSet::from_values(self.parameters.iter().map(|p| p.range.nominal).collect())
    }

    /// Set `index` drawn under master seed `seed` (see the module doc).
    pub fn draw(&self, seed: u64, index: u64) -> ParameterSet {
        ParameterSet::from_values(
            self.parameters
                .iter()
                .map(|p| {
                    let u =
                        stream(seed, index, Stream::ParameterSets, key_of(&p.name)).random::<f64>();
                    let r = p.range;
                    triangular(r.low, r.nominal, r.high, u)
                })
                .collect(),
        )
    }

    /// `scenario` (the one this space was made of) with every parameter of the space fixed at
    /// its value in `set`: each range becomes that single value.
    pub fn fix(
        &self,
        scenario: &Scenario,
        set: &ParameterSet,
    ) -> Result<Scenario, ParameterSetError> {
        if set.values.len() != self.parameters.len() {
            return Err(ParameterSetError::Length {
                found: set.values.len(),
                expected: self.parameters.len(),
            });
        }
        for (p, &value) in self.parameters.iter().zip(&set.values) {
            if !(value >= p.range.low && value <= p.range.high) {
                return Err(ParameterSetError::OutOfRange {
                    name: p.name.clone(),
                    value,
                    low: p.range.low,
                    high: p.range.high,
                });
            }
        }
        let mut fixed = scenario.clone();
        let mut unknown = None;
        visit(
            &mut fixed,
            &mut |site, range| match self.index_of(&site.name) {
                Some(i) => *range = Uncertain::exact(set.values[i]),
                None => unknown = unknown.take().or(Some(site.name)),
            },
        );
        match unknown {
            Some(name) => Err(ParameterSetError::Unknown { name }),
            None => Ok(fixed),
        }
    }

    /// `scenario` prepared with every parameter of the space at its value in `set`: every run
    /// of the result plays those values.
    pub fn prepare(
        &self,
        scenario: &Scenario,
        set: &ParameterSet,
    ) -> Result<Prepared, PrepareError> {
        prepare(&self.fix(scenario, set)?)
    }
}

/// Where a ranged parameter sits in a scenario.
struct Site {
    name: String,
    catalog_key: Option<String>,
}

/// Calls `f` on every ranged parameter of `scenario` (low below high), in a fixed order.
fn visit(scenario: &mut Scenario, f: &mut dyn FnMut(Site, &mut Uncertain)) {
    match &mut scenario.kind {
        ScenarioKind::Abstract(a) => {
            own(
                f,
                "scenario",
                "tracking_probability",
                &mut a.tracking_probability,
            );
            own(
                f,
                "scenario",
                "kill_assessment_probability",
                &mut a.kill_assessment_probability,
            );
            for l in &mut a.layers {
                own(f, &l.id, "kill_probability", &mut l.kill_probability);
                own(f, &l.id, "reliability", &mut l.reliability);
                own(
                    f,
                    &l.id,
                    "tracking_probability",
                    &mut l.tracking_probability,
                );
            }
        }
        ScenarioKind::Layered(layered) => {
            for g in &mut layered.raid {
                threat(f, &g.id, &g.threat, &mut g.params);
                let cep_key = (!g.threat.overridden.contains("cep_m")).then_some("cep_m");
                typed(f, &g.id, &g.threat, "cep_m", cep_key, &mut g.cep_m);
                if let Some(apogee) = &mut g.apogee_m {
                    own(f, &g.id, "apogee_m", apogee);
                }
            }
            for s in &mut layered.sensors {
                sensor(f, &s.id, &s.sensor_type, &mut s.params);
            }
            for b in &mut layered.batteries {
                interceptor(f, &b.id, &b.interceptor, &mut b.params);
                own(f, &b.id, "network_delay_s", &mut b.network_delay_s);
                own(f, &b.id, "reserve_fraction", &mut b.reserve_fraction);
            }
            own(
                f,
                "command",
                "decision_latency_s",
                &mut layered.command.decision_latency_s,
            );
            if let Some(w) = &mut layered.warning
                && let WarningZones::Grid { shelter_time_s, .. } = &mut w.zones
            {
                own(f, "warning", "shelter_time_s", shelter_time_s);
            }
        }
    }
}

/// A parameter that `element` of the scenario sets.
fn own(f: &mut dyn FnMut(Site, &mut Uncertain), element: &str, field: &str, u: &mut Uncertain) {
    if u.low < u.high {
        let site = Site {
            name: format!("{element}.{field}"),
            catalog_key: None,
        };
        f(site, u);
    }
}

/// A parameter of catalog type `t` held by `element`, read from catalog key `key` (`None`:
/// set by the scenario, not the catalog).
fn typed(
    f: &mut dyn FnMut(Site, &mut Uncertain),
    element: &str,
    t: &ResolvedType,
    field: &str,
    key: Option<&str>,
    u: &mut Uncertain,
) {
    if u.low >= u.high {
        return;
    }
    let shared = key.filter(|k| !t.overridden.contains(*k));
    let site = match shared {
        Some(_) => {
            let name = format!("{}.{field}", t.id);
            Site {
                catalog_key: Some(name.clone()),
                name,
            }
        }
        None => Site {
            name: format!("{element}.{field}"),
            catalog_key: None,
        },
    };
    f(site, u);
}

fn threat(
    f: &mut dyn FnMut(Site, &mut Uncertain),
    id: &str,
    t: &ResolvedType,
    p: &mut ThreatParams,
) {
    typed(
        f,
        id,
        t,
        "reliability",
        Some("reliability"),
        &mut p.reliability,
    );
    typed(f, id, t, "rcs_m2", Some("rcs_m2"), &mut p.rcs_m2);
    typed(f, id, t, "cost_usd", Some("cost_usd"), &mut p.cost_usd);
    if let Some(g) = &mut p.terminal_manoeuvre_g {
        let key = Some("terminal_manoeuvre_g");
        typed(f, id, t, "terminal_manoeuvre_g", key, g);
    }
}

fn sensor(
    f: &mut dyn FnMut(Site, &mut Uncertain),
    id: &str,
    t: &ResolvedType,
    p: &mut SensorParams,
) {
    match p {
        SensorParams::SpaceIr(s) => {
            typed(f, id, t, "latency_s", Some("latency_s"), &mut s.latency_s);
            let key = Some("detection_probability");
            typed(
                f,
                id,
                t,
                "detection_probability",
                key,
                &mut s.detection_probability,
            );
            let key = Some("min_burn_time_s");
            typed(f, id, t, "min_burn_time_s", key, &mut s.min_burn_time_s);
        }
        SensorParams::Radar(r) => {
            let fields: [(&str, &str, &mut Uncertain); 12] = [
                (
                    "detection_range_m",
                    "detection_range_km",
                    &mut r.detection_range_m,
                ),
                (
                    "reference_rcs_m2",
                    "reference_rcs_m2",
                    &mut r.reference_rcs_m2,
                ),
                (
                    "azimuth_sector_deg",
                    "azimuth_sector_deg",
                    &mut r.azimuth_sector_deg,
                ),
                (
                    "min_elevation_deg",
                    "min_elevation_deg",
                    &mut r.min_elevation_deg,
                ),
                (
                    "max_elevation_deg",
                    "max_elevation_deg",
                    &mut r.max_elevation_deg,
                ),
                ("scan_period_s", "scan_period_s", &mut r.scan_period_s),
                (
                    "confirmation_dwell_s",
                    "confirmation_dwell_s",
                    &mut r.confirmation_dwell_s,
                ),
                ("track_revisit_s", "track_revisit_s", &mut r.track_revisit_s),
                (
                    "detection_probability",
                    "detection_probability",
                    &mut r.detection_probability,
                ),
                (
                    "detections_to_track",
                    "detections_to_track",
                    &mut r.detections_to_track,
                ),
                ("track_capacity", "track_capacity", &mut r.track_capacity),
                (
                    "antenna_height_m",
                    "antenna_height_m",
                    &mut r.antenna_height_m,
                ),
            ];
            for (field, key, u) in fields {
                typed(f, id, t, field, Some(key), u);
            }
        }
    }
}

fn interceptor(
    f: &mut dyn FnMut(Site, &mut Uncertain),
    id: &str,
    t: &ResolvedType,
    p: &mut InterceptorParams,
) {
    let fields: [(&str, &str, &mut Uncertain); 10] = [
        ("min_altitude_m", "min_altitude_km", &mut p.min_altitude_m),
        ("max_altitude_m", "max_altitude_km", &mut p.max_altitude_m),
        ("min_range_m", "min_range_km", &mut p.min_range_m),
        ("max_range_m", "max_range_km", &mut p.max_range_m),
        ("speed_m_s", "speed_m_s", &mut p.speed_m_s),
        (
            "min_flight_time_s",
            "min_flight_time_s",
            &mut p.min_flight_time_s,
        ),
        ("reaction_time_s", "reaction_time_s", &mut p.reaction_time_s),
        ("reload_time_s", "reload_time_s", &mut p.reload_time_s),
        ("cost_usd", "cost_usd", &mut p.cost_usd),
        (
            "manoeuvre_kill_factor",
            "manoeuvre_kill_factor",
            &mut p.manoeuvre_kill_factor,
        ),
    ];
    for (field, key, u) in fields {
        typed(f, id, t, field, Some(key), u);
    }
    for (class, u) in Class::THREATS.iter().zip(&mut p.kill_probability) {
        let field = format!("kill_probability_{}", class.name());
        typed(f, id, t, &field, Some(&field), u);
    }
}
