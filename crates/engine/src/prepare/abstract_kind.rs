//! Abstract scenarios: threats against layers, no geometry.
//!
//! An [`AbstractScenario`] becomes a [`Prepared`] scenario whose parts carry no geometry, and
//! an [`AbstractPlan`] with the keys of its draws; its runs are played by the abstract kernel
//! (`crate::abstract_run`), which reads the parts below:
//! - one nominal "trajectory", flown by every threat, which never fails and lands
//!   [`WINDOW_SPACING_S`] after the last engagement window;
//! - per layer, a battery with unlimited fire channels, the layer's salvo size and rounds, and
//!   `engagements` engagement windows; the windows of the layers follow each other in time,
//!   outermost layer first, [`WINDOW_SPACING_S`] apart, so that every look comes before the
//!   next shot; the first opens for firing [`FIRST_WINDOW_S`] after launch;
//! - tracking by [`SensorKind::Given`] sensors: one shared by every layer (`tracking: common`,
//!   batteries fire on the network track) or one per layer (`tracking: independent`, each
//!   battery fires on its own sensor's track);
//! - the single-shot kill probability of an interceptor is the layer's kill probability times
//!   its reliability, with no crossing-angle or manoeuvre factor;
//! - shoot-look-shoot with the scenario's kill-assessment probability; every threat counts as
//!   threatening (there is no open ground).
//!
//! The same prepared scenario is also a valid layered one: with its plan removed, the battle
//! manager plays it with the same timing (its tests use it so), at the cost of the draws that
//! geometry needs.
//!
//! Parameters with a range are drawn per run like those of layered scenarios; a layer's kill
//! probability and reliability enter as one parameter whose range is the product of theirs.

use skyshield_core::{SimTime, key_of, mix_keys};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::frame::Vector;
use skyshield_scenario::{AbstractScenario, Class, Policy, Scenario, Tracking, Uncertain};

use crate::geometry::GroundPoint;
use crate::outcome::{Fate, ThreatOutcome};
use crate::prepared::{
    AbstractPlan, Battery, Coverage, Opportunity, Parameters, Prepared, Sensor, SensorKind,
    ThreatPlan, ThreatType, Trajectory, Window, class_index,
};

/// Time between successive engagement windows, s: longer than a decision cycle, a fly-out and
/// a look together.
pub const WINDOW_SPACING_S: f64 = 100.0;
/// Interceptor fly-out time in an abstract scenario, s.
const FLYOUT_S: f64 = 1.0;
/// Decision cycle of an abstract scenario, s.
const DECISION_S: f64 = 1.0;
/// Interceptor launch time of the first engagement window after the threat's launch, s: the
/// first decision on a threat tracked at launch comes a decision latency later, at the next
/// cycle, so between one and two decision cycles after launch, and the battery may fire up to
/// a cycle after a decision.
pub const FIRST_WINDOW_S: f64 = 2.0 * DECISION_S;

pub(crate) fn prepare(scenario: &Scenario, a: &AbstractScenario) -> Prepared {
    let origin = Geodetic::from_radians_unchecked(0.0, 0.0, 0.0);
    let windows: f64 = a.layers.iter().map(|l| f64::from(l.engagements)).sum();
    // Window `k` (from 0) launches `FIRST_WINDOW_S + k WINDOW_SPACING_S` after the threat.
    let window_launch_s = |k: u32| FIRST_WINDOW_S + WINDOW_SPACING_S * f64::from(k);
    let flight_s = window_launch_s(0) + FLYOUT_S + WINDOW_SPACING_S * windows;
    let trajectory = Trajectory {
        group: 0,
        launch: origin,
        aim: origin,
        impact: GroundPoint::new(origin),
        assets: Vec::new(),
        flight_time_s: flight_s,
        apogee_m: 0.0,
        burnout_s: None,
        positions: vec![Vector::zero(), Vector::zero()],
        heights_m: vec![0.0, 0.0],
        times_s: vec![0.0, flight_s],
    };
    let mut params = Parameters::default();
    let zero = params.add("none".into(), Uncertain::exact(0.0));
    let one = params.add("one".into(), Uncertain::exact(1.0));
    let sensors: Vec<Sensor> = match a.tracking {
        Tracking::Common => vec![Sensor {
            id: "tracking".into(),
            type_id: "abstract".into(),
            kind: SensorKind::Given {
                tracking_probability: params
                    .add("tracking_probability".into(), a.tracking_probability),
            },
        }],
        Tracking::Independent => a
            .layers
            .iter()
            .map(|l| Sensor {
                id: format!("{}-tracking", l.id),
                type_id: "abstract".into(),
                kind: SensorKind::Given {
                    tracking_probability: params.add(
                        format!("{} tracking_probability", l.id),
                        l.tracking_probability,
                    ),
                },
            })
            .collect(),
    };
    let mut batteries = Vec::new();
    let mut opportunities = Vec::new();
    let mut slot = 0u32;
    for (l, layer) in a.layers.iter().enumerate() {
        let mut kill_probability = [zero; 5];
        let (k, r) = (layer.kill_probability, layer.reliability);
        kill_probability[class_index(Class::Ballistic)] = params.add(
            format!("{} kill_probability x reliability", layer.id),
            Uncertain {
                low: k.low * r.low,
                nominal: k.nominal * r.nominal,
                high: k.high * r.high,
            },
        );
        batteries.push(Battery {
            id: layer.id.clone(),
            type_id: layer.id.clone(),
            tier: l.min(2) as u8,
            position: origin,
            rounds: layer.rounds.unwrap_or(u32::MAX),
            fire_channels: u32::MAX,
            salvo: layer.shots_per_engagement,
            reaction_s: zero,
            cost_usd: 0.0,
            kill_probability,
            manoeuvre_kill_factor: one,
            radar: match a.tracking {
                Tracking::Common => None,
                Tracking::Independent => Some(l),
            },
            remote_tracks: a.tracking == Tracking::Common,
            network_delay_s: zero,
            defends: 0,
            defended_value: 0.0,
            launchers: 1,
            depot_rounds: 0,
            reload_s: zero,
            reserve_fraction: zero,
        });
        let windows = (0..layer.engagements)
            .map(|_| {
                let launch_s = window_launch_s(slot);
                slot += 1;
                Window {
                    intercept: SimTime::from_s(launch_s + FLYOUT_S),
                    launch: SimTime::from_s(launch_s),
                    crossing_factor: 1.0,
                    ground: GroundPoint::new(origin),
                    height_m: 0.0,
                    manoeuvring: false,
                    debris: GroundPoint::new(origin),
                    debris_fall: SimTime::ZERO,
                }
            })
            .collect();
        opportunities.push(Opportunity::new(l, windows));
    }
    let coverage = (0..sensors.len())
        .map(|s| Coverage {
            sensor: s,
            intervals: vec![(SimTime::ZERO, SimTime::from_s(flight_s))],
        })
        .collect();
    let abstract_plan = AbstractPlan {
        threat_keys: (0..a.threats)
            .map(|j| ThreatPlan::key_of("threats", j as usize))
            .collect(),
        sensor_keys: sensors.iter().map(|s| key_of(&s.id)).collect(),
        layer_sensor: (0..a.layers.len())
            .map(|l| match a.tracking {
                Tracking::Common => 0,
                Tracking::Independent => l,
            })
            .collect(),
        engagement_keys: a
            .layers
            .iter()
            .map(|l| {
                (0..l.engagements)
                    .map(|e| mix_keys(key_of(&l.id), u64::from(e)))
                    .collect()
            })
            .collect(),
        ends: threat_ends(&trajectory, &opportunities),
    };
    let kill_assessment_probability = params.add(
        "kill_assessment_probability".into(),
        a.kill_assessment_probability,
    );
    Prepared {
        name: scenario.name.clone(),
        seed: scenario.seed,
        runs: scenario.runs,
        start: scenario.start,
        earth: EarthModel::SPHERE_VACUUM,
        types: vec![ThreatType {
            group: "threats".into(),
            type_id: "abstract".into(),
            class: Class::Ballistic,
            reliability: one,
            cep_m: zero,
            rcs_m2: 1.0,
            cost_usd: 0.0,
            manoeuvre_g: 0.0,
            manoeuvre_body: None,
        }],
        trajectories: vec![trajectory],
        threats: abstract_plan
            .threat_keys
            .iter()
            .map(|&key| ThreatPlan {
                group: 0,
                key,
                trajectory: 0,
                launch: SimTime::ZERO,
            })
            .collect(),
        asset_ids: Vec::new(),
        asset_values: Vec::new(),
        sensors,
        batteries,
        coverage: vec![coverage],
        opportunities: vec![opportunities],
        decision_latency_s: DECISION_S,
        decision_latency: params.add("decision_latency_s".into(), Uncertain::exact(DECISION_S)),
        policy: Policy::EarliestIntercept,
        shoot_look_shoot: true,
        engage_only_defended: false,
        double_engagement: false,
        required_kill_probability: skyshield_scenario::REQUIRED_KILL_PROBABILITY,
        kill_assessment_probability,
        parameters: params,
        warning: None,
        prepare_s: 0.0,
        abstract_plan: Some(abstract_plan),
    }
}

/// The ends of a threat on `trajectory` engaged in the windows of `opportunities`: its impact,
/// then a kill in each window in turn.
fn threat_ends(trajectory: &Trajectory, opportunities: &[Opportunity]) -> Vec<ThreatOutcome> {
    let impact = trajectory.impact.point();
    let leaked = ThreatOutcome {
        fate: Fate::Leaked,
        launch_s: 0.0,
        shots: 0,
        time_s: trajectory.flight_time_s,
        lat_deg: impact.lat_deg(),
        lon_deg: impact.lon_deg(),
        height_m: 0.0,
        battery: None,
        asset: None,
        debris: None,
        leak_cause: None,
    };
    let kills = opportunities
        .iter()
        .enumerate()
        .flat_map(|(l, opportunity)| {
            opportunity.windows.iter().map(move |window| {
                let ground = window.ground.point();
                ThreatOutcome {
                    fate: Fate::Intercepted,
                    time_s: window.intercept.as_s(),
                    lat_deg: ground.lat_deg(),
                    lon_deg: ground.lon_deg(),
                    height_m: window.height_m,
                    battery: Some(l),
                    ..leaked
                }
            })
        });
    std::iter::once(leaked).chain(kills).collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use skyshield_scenario::Uncertain;

    use super::{FIRST_WINDOW_S, FLYOUT_S, WINDOW_SPACING_S};
    use crate::outcome::Fate;
    use crate::prepared::SensorKind;

    /// The layout of an abstract scenario's windows and ends, and its parameters: windows
    /// outermost layer first, [`WINDOW_SPACING_S`] apart from [`FIRST_WINDOW_S`] after launch,
    /// each intercepting a fly-out later; the impact [`WINDOW_SPACING_S`] after the last
    /// intercept; a kill in a window ending there with its layer's battery; a layer's kill
    /// probability times its reliability, bound by bound.
    #[test]
    fn windows_follow_each_other_layer_by_layer_and_the_threat_lands_after_the_last() {
        let text = "name: w\nkind: abstract\nthreats: 3\ntracking: independent\n\
             layers:\n  - {id: upper, kill_probability: {low: 0.4, nominal: 0.5, high: 0.7}, \
             reliability: {low: 0.8, nominal: 0.9, high: 0.95}, engagements: 2, \
             tracking_probability: 0.6}\n  \
             - {id: lower, kill_probability: 0.6, tracking_probability: 0.7}\n";
        let scenario = skyshield_scenario::from_str(text, Path::new("test.yaml")).expect("valid");
        let p = crate::prepare(&scenario).expect("prepared");
        let launches: Vec<Vec<f64>> = p.opportunities[0]
            .iter()
            .map(|o| o.windows.iter().map(|w| w.launch.as_s()).collect())
            .collect();
        let first = FIRST_WINDOW_S;
        let spacing = WINDOW_SPACING_S;
        assert_eq!(
            launches,
            [vec![first, first + spacing], vec![first + 2.0 * spacing]]
        );
        for w in p.opportunities[0].iter().flat_map(|o| &o.windows) {
            assert_eq!(w.intercept.as_s(), w.launch.as_s() + FLYOUT_S);
        }
        let last_intercept_s = first + 2.0 * spacing + FLYOUT_S;
        assert_eq!(p.trajectories[0].flight_time_s, last_intercept_s + spacing);
        let plan = p.abstract_plan.as_ref().expect("a plan");
        let ends: Vec<_> = plan
            .ends
            .iter()
            .map(|e| (e.fate, e.time_s, e.battery))
            .collect();
        assert_eq!(
            ends,
            [
                (Fate::Leaked, last_intercept_s + spacing, None),
                (Fate::Intercepted, first + FLYOUT_S, Some(0)),
                (Fate::Intercepted, first + spacing + FLYOUT_S, Some(0)),
                (Fate::Intercepted, last_intercept_s, Some(1)),
            ]
        );
        let pk = p.batteries[0].kill_probability(skyshield_scenario::Class::Ballistic);
        let range = p.parameters.range(pk);
        let product = Uncertain {
            low: 0.4 * 0.8,
            nominal: 0.5 * 0.9,
            high: 0.7 * 0.95,
        };
        assert_eq!(format!("{range:?}"), format!("{product:?}"));
        let tracking: Vec<f64> = p
            .sensors
            .iter()
            .map(|s| match s.kind {
                SensorKind::Given {
                    tracking_probability,
                } => p.parameters.range(tracking_probability).nominal,
                _ => panic!("an abstract sensor"),
            })
            .collect();
        assert_eq!(tracking, [0.6, 0.7]);
        assert_eq!(plan.layer_sensor, [0, 1]);
    }
}
