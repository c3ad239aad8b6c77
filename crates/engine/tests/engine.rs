//! Integration tests of the engagement engine: laws every run obeys (over generated scenarios),
//! envelope and sensor geometry, saturation of fire channels, and determinism.
//!
//! Scenarios are written as YAML, as a user would, and go through the scenario reader and
//! [`skyshield_engine::prepare`]. Every run is played with an observer that keeps the event log,
//! and the checks read the log and the [`Outcome`] independently of the engine's internals.

mod common;

use common::{Log, mean_se};

use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use skyshield_engine::{
    DefaultPolicy, EngineEvent, Fate, NoObserver, Outcome, Prepared, Replication, SensorKind,
    Tally, audit, prepare,
};
use skyshield_physics::earth::{Geodetic, radar_horizon_m};
use skyshield_scenario::Scenario;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn scenario(text: &str) -> Scenario {
    skyshield_scenario::from_str(text, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"))
}

fn prepared(sc: &Scenario) -> Prepared {
    prepare(sc).unwrap_or_else(|e| panic!("cannot prepare `{}`: {e}", sc.name))
}

/// Plays run `run` under `seed` on `rep` and returns its outcome and event log.
fn play_on(
    rep: &mut Replication,
    p: &Prepared,
    seed: u64,
    run: u64,
) -> (Outcome, Vec<EngineEvent>) {
    let mut log = Log::default();
    let outcome = rep.run_with(p, seed, run, &DefaultPolicy, &mut log).clone();
    (outcome, log.0)
}

fn play(p: &Prepared, seed: u64, run: u64) -> (Outcome, Vec<EngineEvent>) {
    play_on(&mut Replication::new(), p, seed, run)
}

/// The point `north_km` north and `east_km` east of `(lat, lon)`, in degrees (flat-Earth
/// offsets: the scenarios only need approximate geometry).
fn offset(lat: f64, lon: f64, north_km: f64, east_km: f64) -> (f64, f64) {
    let km_per_deg = 111.32;
    (
        lat + north_km / km_per_deg,
        lon + east_km / (km_per_deg * lat.to_radians().cos()),
    )
}

/// A point as a YAML position `[lat, lon]`.
fn pos((lat, lon): (f64, f64)) -> String {
    format!("[{lat:.5}, {lon:.5}]")
}

fn assert_run(sc: &Scenario, p: &Prepared, o: &Outcome, events: &[EngineEvent]) {
    if let Err(msg) = audit::check_run(sc, p, o, events) {
        panic!("`{}`, run {}: {msg}", sc.name, o.run);
    }
}

fn count_launches(events: &[EngineEvent], battery: usize) -> usize {
    events
        .iter()
        .filter(|e| matches!(e, EngineEvent::InterceptorLaunch { battery: b, .. } if *b == battery))
        .count()
}

/// Number of distinct threats at which at least one interceptor was launched.
fn engaged(events: &[EngineEvent]) -> usize {
    let mut threats: Vec<usize> = events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::InterceptorLaunch { threat, .. } => Some(threat),
            _ => None,
        })
        .collect();
    threats.sort_unstable();
    threats.dedup();
    threats.len()
}

// ---------------------------------------------------------------------------------------------
// 1. Conservation laws over generated scenarios
// ---------------------------------------------------------------------------------------------

/// Centre of the defended city of generated scenarios.
const CITY: (f64, f64) = (31.50, 34.60);
/// A defended air base about 28 km south of the city.
const BASE: (f64, f64) = (31.25, 34.55);

#[derive(Debug, Clone, Copy)]
enum Threat {
    Grad,
    Qassam,
    Fateh110,
    IskanderM,
    Shahed136,
}

impl Threat {
    fn id(self) -> &'static str {
        match self {
            Threat::Grad => "grad",
            Threat::Qassam => "qassam",
            Threat::Fateh110 => "fateh-110",
            Threat::IskanderM => "iskander-m",
            Threat::Shahed136 => "shahed-136",
        }
    }

    /// Distance east of the aim to launch from, km (inside the type's range).
    fn launch_east_km(self) -> f64 {
        match self {
            Threat::Grad => 15.0,
            Threat::Qassam => 7.0,
            Threat::Fateh110 => 150.0,
            Threat::IskanderM => 200.0,
            Threat::Shahed136 => 70.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum AimAt {
    City,
    Base,
    /// A point `north_km` north of the city centre.
    Point {
        north_km: f64,
    },
}

#[derive(Debug, Clone)]
struct GroupSpec {
    threat: Threat,
    count: u32,
    /// Launch window, when `pulses` is empty.
    start_s: f64,
    length_s: f64,
    /// Launch pulses (their counts sum to `count`), instead of the window.
    pulses: Vec<PulseSpec>,
    aim: AimAt,
}

#[derive(Debug, Clone)]
struct PulseSpec {
    start_s: f64,
    length_s: f64,
    count: u32,
}

#[derive(Debug, Clone)]
struct BatterySpec {
    type_id: &'static str,
    north_km: f64,
    east_km: f64,
    launchers: u32,
    rounds: u32,
    fire_channels: u32,
    /// 0: none (network tracks), 1: the city radar, 2: the BMD radar.
    radar: u8,
    defends_city: bool,
    /// Rounds in the depot, reloaded after 60 s.
    depot_rounds: u32,
}

#[derive(Debug, Clone)]
struct Spec {
    groups: Vec<GroupSpec>,
    batteries: Vec<BatterySpec>,
    early_warning: bool,
    /// Track capacity of both radars, when not the catalog's.
    track_capacity: Option<u32>,
    network: bool,
    decision_latency_s: f64,
    shots_per_engagement: u32,
    shoot_look_shoot: bool,
    engage_only_defended: bool,
    reserve_fraction: f64,
    policy: &'static str,
}

impl Spec {
    fn yaml(&self) -> String {
        let mut y = String::new();
        y.push_str("name: generated\nruns: 10\n");
        let _ = writeln!(
            y,
            "assets:\n  - {{id: city, circle: {{center: {}, radius_km: 8}}, value: 10}}\n  - {{id: base, circle: {{center: {}, radius_km: 3}}, value: 8}}",
            pos(CITY),
            pos(BASE)
        );
        y.push_str("sensors:\n");
        let capacity = self.track_capacity.map_or(String::new(), |n| {
            format!(", overrides: {{track_capacity: {n}}}")
        });
        let _ = writeln!(
            y,
            "  - {{id: r-city, type: elm-2084, at: {}{capacity}}}",
            pos(CITY)
        );
        let _ = writeln!(
            y,
            "  - {{id: r-bmd, type: green-pine, at: {}, facing_deg: 90{capacity}}}",
            pos(offset(CITY.0, CITY.1, -5.0, -5.0))
        );
        if self.early_warning {
            y.push_str("  - {id: ew, type: space-ir}\n");
        }
        y.push_str("batteries:\n");
        for (k, b) in self.batteries.iter().enumerate() {
            // Without the network a battery needs its own radar.
            let radar = match (b.radar, self.network) {
                (0, true) => String::new(),
                (2, _) => ", radar: r-bmd".to_string(),
                _ => ", radar: r-city".to_string(),
            };
            let defends = if b.defends_city {
                ", defends: [city]"
            } else {
                ""
            };
            let depot = if b.depot_rounds > 0 {
                format!(
                    ", depot_rounds: {}, overrides: {{reload_time_s: 60}}",
                    b.depot_rounds
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                y,
                "  - {{id: b{k}, type: {}, at: {}, launchers: {}, rounds: {}, fire_channels: {}{radar}{defends}{depot}}}",
                b.type_id,
                pos(offset(CITY.0, CITY.1, b.north_km, b.east_km)),
                b.launchers,
                b.rounds,
                b.fire_channels,
            );
        }
        let _ = writeln!(
            y,
            "command:\n  decision_latency_s: {}\n  network: {}\n  policy: {}\n  doctrine:\n    shots_per_engagement: {}\n    shoot_look_shoot: {}\n    engage_only_defended: {}\n    reserve_fraction: {}",
            self.decision_latency_s,
            self.network,
            self.policy,
            self.shots_per_engagement,
            self.shoot_look_shoot,
            self.engage_only_defended,
            self.reserve_fraction
        );
        y.push_str("raid:\n");
        for (k, g) in self.groups.iter().enumerate() {
            let (aim_point, aim) = match g.aim {
                AimAt::City => (CITY, "target: city".to_string()),
                AimAt::Base => (BASE, "target: base".to_string()),
                AimAt::Point { north_km } => {
                    let p = offset(CITY.0, CITY.1, north_km, 0.0);
                    (p, format!("aim: {}", pos(p)))
                }
            };
            let east = g.threat.launch_east_km();
            let site = offset(aim_point.0, aim_point.1, 0.0, east);
            let route = match g.threat {
                Threat::Shahed136 => format!(
                    ", route: [{}]",
                    pos(offset(aim_point.0, aim_point.1, 20.0, east / 2.0))
                ),
                _ => String::new(),
            };
            let times = if g.pulses.is_empty() {
                format!("window_s: [{}, {}]", g.start_s, g.start_s + g.length_s)
            } else {
                let pulses: Vec<String> = g
                    .pulses
                    .iter()
                    .map(|p| {
                        format!(
                            "{{window_s: [{}, {}], count: {}}}",
                            p.start_s,
                            p.start_s + p.length_s,
                            p.count
                        )
                    })
                    .collect();
                format!("pulses: [{}]", pulses.join(", "))
            };
            let _ = writeln!(
                y,
                "  - {{id: g{k}, threat: {}, count: {}, launch: {{sites: [{}], {times}}}, {aim}{route}}}",
                g.threat.id(),
                g.count,
                pos(site),
            );
        }
        y
    }
}

fn threat_strategy() -> impl Strategy<Value = Threat> {
    prop_oneof![
        Just(Threat::Grad),
        Just(Threat::Qassam),
        Just(Threat::Fateh110),
        Just(Threat::IskanderM),
        Just(Threat::Shahed136),
    ]
}

fn group_strategy() -> impl Strategy<Value = GroupSpec> {
    (
        threat_strategy(),
        1u32..=30,
        0.0..120.0f64,
        prop_oneof![Just(0.0), 1.0..300.0f64],
        prop_oneof![
            Just(AimAt::City),
            Just(AimAt::Base),
            Just(AimAt::Point { north_km: 10.0 }),
            Just(AimAt::Point { north_km: -60.0 }),
        ],
    )
        .prop_map(|(threat, count, start_s, length_s, aim)| GroupSpec {
            threat,
            count,
            start_s: start_s.round(),
            length_s: length_s.round(),
            pulses: Vec::new(),
            aim,
        })
}

/// Two to four pulses of up to ten rounds each, in any order and possibly overlapping, over the
/// first hour.
fn pulses_strategy() -> impl Strategy<Value = Vec<PulseSpec>> {
    prop::collection::vec(
        (
            0.0..3600.0f64,
            prop_oneof![Just(0.0), 1.0..120.0f64],
            1u32..=10,
        )
            .prop_map(|(start_s, length_s, count)| PulseSpec {
                start_s: start_s.round(),
                length_s: length_s.round(),
                count,
            }),
        2..=4,
    )
}

/// A group launched over a window or in pulses.
fn launch_group_strategy() -> impl Strategy<Value = GroupSpec> {
    (group_strategy(), prop::option::of(pulses_strategy())).prop_map(|(g, pulses)| match pulses {
        None => g,
        Some(pulses) => GroupSpec {
            count: pulses.iter().map(|p| p.count).sum(),
            pulses,
            ..g
        },
    })
}

fn battery_strategy() -> impl Strategy<Value = BatterySpec> {
    (
        prop_oneof![
            Just("iron-dome"),
            Just("davids-sling"),
            Just("pac-3-mse"),
            Just("thaad"),
            Just("arrow-2"),
        ],
        prop_oneof![
            Just((0.0, 0.0)),
            Just((-10.0, -5.0)),
            Just((5.0, 10.0)),
            Just((-30.0, 0.0)),
            Just((0.0, 40.0)),
        ],
        1u32..=4,
        1u32..=30,
        1u32..=8,
        0u8..=2,
        any::<bool>(),
        prop_oneof![2 => Just(0u32), 1 => 1u32..=10],
    )
        .prop_map(
            |(
                type_id,
                (north_km, east_km),
                launchers,
                rounds,
                fire_channels,
                radar,
                defends_city,
                depot_rounds,
            )| {
                BatterySpec {
                    type_id,
                    north_km,
                    east_km,
                    launchers,
                    rounds,
                    fire_channels,
                    radar,
                    defends_city,
                    depot_rounds,
                }
            },
        )
}

/// A battery at the city of a type that engages every generated threat class, so that most
/// generated scenarios see engagements.
fn city_battery_strategy() -> impl Strategy<Value = BatterySpec> {
    (
        prop_oneof![Just("iron-dome"), Just("davids-sling"), Just("pac-3-mse")],
        battery_strategy(),
    )
        .prop_map(|(type_id, b)| BatterySpec {
            type_id,
            north_km: 0.0,
            east_km: 0.0,
            ..b
        })
}

fn spec_strategy() -> impl Strategy<Value = Spec> {
    (
        prop::collection::vec(launch_group_strategy(), 1..=3),
        (
            city_battery_strategy(),
            prop::collection::vec(battery_strategy(), 0..=3),
        )
            .prop_map(|(first, mut rest)| {
                rest.insert(0, first);
                rest
            }),
        any::<bool>(),
        any::<bool>(),
        prop_oneof![1 => Just(0.0), 1 => Just(1.0), 1 => Just(2.0), 2 => Just(4.0), 1 => Just(8.0)],
        1u32..=2,
        any::<bool>(),
        any::<bool>(),
        prop_oneof![Just(0.0), Just(0.1), Just(0.5)],
        prop_oneof![3 => Just(None), 1 => (1u32..=6).prop_map(Some)],
        prop_oneof![
            Just("earliest-intercept"),
            Just("value-weighted"),
            Just("cost-aware")
        ],
    )
        .prop_map(
            |(
                groups,
                batteries,
                early_warning,
                network,
                decision_latency_s,
                shots_per_engagement,
                shoot_look_shoot,
                engage_only_defended,
                reserve_fraction,
                track_capacity,
                policy,
            )| Spec {
                groups,
                batteries,
                early_warning,
                network,
                decision_latency_s,
                shots_per_engagement,
                shoot_look_shoot,
                engage_only_defended,
                reserve_fraction,
                track_capacity,
                policy,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 24,
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    /// Fates, rounds, fire channels, reaction times, tracks and envelopes in every run of
    /// generated layered scenarios.
    #[test]
    fn every_run_conserves_threats_rounds_and_channels(
        spec in spec_strategy(),
        seed in any::<u64>(),
        runs in prop::collection::vec(0u64..10_000, 3),
    ) {
        let text = spec.yaml();
        let sc = scenario(&text);
        let p = prepared(&sc);
        let mut rep = Replication::new();
        for run in runs {
            let (o, events) = play_on(&mut rep, &p, seed, run);
            audit::check_run(&sc, &p, &o, &events).map_err(|msg| {
                TestCaseError::fail(format!("seed {seed}, run {run}: {msg}\n---\n{text}"))
            })?;
        }
    }
}

/// Ten Iskander-M fired together at radars that hold one track each: the rounds that find a
/// radar full retry at its next scans, and may form a track only while the radar still covers
/// them (the smallest case the property test above found).
#[test]
fn a_track_retried_for_lack_of_capacity_forms_only_within_coverage() {
    let spec = Spec {
        groups: vec![GroupSpec {
            threat: Threat::IskanderM,
            count: 10,
            start_s: 0.0,
            length_s: 0.0,
            pulses: Vec::new(),
            aim: AimAt::City,
        }],
        batteries: vec![BatterySpec {
            type_id: "iron-dome",
            north_km: 0.0,
            east_km: 0.0,
            launchers: 1,
            rounds: 1,
            fire_channels: 1,
            radar: 1,
            defends_city: false,
            depot_rounds: 0,
        }],
        early_warning: false,
        track_capacity: Some(1),
        network: false,
        decision_latency_s: 1.0,
        shots_per_engagement: 1,
        shoot_look_shoot: false,
        engage_only_defended: false,
        reserve_fraction: 0.0,
        policy: "earliest-intercept",
    };
    let sc = scenario(&spec.yaml());
    let p = prepared(&sc);
    let mut rep = Replication::new();
    for run in 0..10 {
        let (o, events) = play_on(&mut rep, &p, 0, run);
        assert_run(&sc, &p, &o, &events);
    }
}

/// The built-in default scenario (a large mixed raid) obeys the same laws.
#[test]
fn default_scenario_runs_obey_the_laws() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml"),
    )
    .expect("scenarios/default.yaml");
    let sc = scenario(&text);
    let p = prepared(&sc);
    let mut counts_only = Replication::new();
    counts_only.set_threat_outcomes(false);
    for run in 0..3 {
        let (o, events) = play(&p, 1, run);
        assert_run(&sc, &p, &o, &events);
        assert!(
            o.count(Fate::Intercepted) > 0,
            "run {run}: nothing intercepted"
        );
        // The counts are those of the threats, and a run that leaves the threats out writes
        // the same counts.
        assert_eq!(o.tally, Tally::of(&o.threats));
        let bare = counts_only.run_with(&p, 1, run, &DefaultPolicy, &mut NoObserver);
        assert!(bare.threats.is_empty());
        assert_eq!(bare.tally, o.tally);
        assert_eq!(bare.batteries, o.batteries);
    }
}

/// A raid of 340 MRBMs in four waves against the default scenario's defense runs its
/// batteries dry; the last wave aims a few kilometres off the air base, so that what its
/// threats threaten changes as their predictions narrow. With no observer, a decision on a
/// threat that every battery able to reach it has run dry for is made at once, outside the
/// cycle's order (only its judgement is left to make): such runs end as the observed ones, bit
/// for bit.
#[test]
fn a_run_with_no_observer_ends_as_the_observed_one() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml"),
    )
    .expect("scenarios/default.yaml");
    let head = text.split("\nraid:\n").next().expect("the defense");
    let sc = scenario(&format!(
        "{head}\nraid:
  - {{id: emad-wave, threat: emad, count: 100, launch: {{area: {{center: [34.3, 47.1], radius_km: 60}}, sites: 4, window_s: [0, 600]}}, target: desert-airbase}}
  - {{id: ghadr-wave, threat: ghadr, count: 100, launch: {{area: {{center: [33.5, 48.3], radius_km: 60}}, sites: 3, window_s: [0, 600]}}, target: coastal-city}}
  - {{id: kheibar-wave, threat: kheibar-shekan, count: 100, launch: {{sites: [[34.1, 46.9], [33.6, 46.4]], window_s: [0, 600]}}, target: northern-port}}
  - {{id: near-miss-wave, threat: emad, count: 40, launch: {{area: {{center: [34.3, 47.1], radius_km: 60}}, sites: 4, window_s: [300, 900]}}, aim: [31.24, 35.06]}}
"
    ));
    let p = prepared(&sc);
    let mut dry = 0;
    for run in 0..10 {
        let (observed, _) = play(&p, 3, run);
        let unobserved = Replication::new()
            .run_with(&p, 3, run, &DefaultPolicy, &mut NoObserver)
            .clone();
        assert!(
            outcome_bits(&unobserved) == outcome_bits(&observed),
            "run {run}: the runs differ"
        );
        dry += observed
            .batteries
            .iter()
            .filter(|b| b.rounds_left == 0)
            .count();
    }
    assert!(dry > 0, "no battery ran dry: the comparison proves little");
}

/// Seven Fateh-110 from two sites in two pulses an hour apart, the later one written first:
/// the rounds fill the pulses in file order, each planned inside its pulse's window, spread
/// evenly over it, the sites taking rounds in turn across both pulses; each run launches them
/// near their window (their jitter aside), so the pulses stay apart.
#[test]
fn a_pulses_rounds_launch_inside_its_window() {
    let sites = format!(
        "{}, {}",
        pos(offset(CITY.0, CITY.1, 0.0, 150.0)),
        pos(offset(CITY.0, CITY.1, 10.0, 150.0))
    );
    let raid = format!(
        "  - {{id: fateh, threat: fateh-110, count: 7, launch: {{sites: [{sites}], \
         pulses: [{{window_s: [3600, 3630], count: 3}}, {{window_s: [0, 60], count: 4}}]}}, \
         target: city, overrides: {{reliability: 1.0}}}}\n"
    );
    let battery = format!(
        "  - {{id: dome, type: iron-dome, at: {}, radar: r-city}}\n",
        pos(CITY)
    );
    let sc = scenario(&city_scenario("pulses", "", &battery, COMMAND, &raid));
    let p = prepared(&sc);
    let windows = [
        (3600.0, 3630.0),
        (3600.0, 3630.0),
        (3600.0, 3630.0),
        (0.0, 60.0),
        (0.0, 60.0),
        (0.0, 60.0),
        (0.0, 60.0),
    ];
    let planned: Vec<f64> = p.threats.iter().map(|t| t.launch.as_s()).collect();
    let expected = [3605.0, 3615.0, 3625.0, 7.5, 22.5, 37.5, 52.5];
    assert!(
        planned.len() == expected.len()
            && planned
                .iter()
                .zip(expected)
                .all(|(t, e)| (t - e).abs() <= audit::TIME_SLACK_S),
        "planned launch times {planned:?}, expected {expected:?}"
    );
    let trajectories: Vec<usize> = p.threats.iter().map(|t| t.trajectory).collect();
    assert_eq!(trajectories, [0, 1, 0, 1, 0, 1, 0], "sites in turn");
    // A launch comes within 300 s of its planned slot: 30 standard deviations of the 10 s
    // launch jitter.
    let slack_s = 300.0;
    for run in 0..20 {
        let (o, events) = play(&p, 7, run);
        assert_run(&sc, &p, &o, &events);
        for e in &events {
            if let EngineEvent::Launch { time_s, threat } = *e {
                let (start, end) = windows[threat];
                assert!(
                    (start - slack_s..=end + slack_s).contains(&time_s),
                    "run {run}: threat {threat} launched at {time_s} s, its pulse is [{start}, {end}]"
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// 2. Geometry
// ---------------------------------------------------------------------------------------------

/// A scenario with the city asset, a radar at the city, one raid group and the given
/// batteries; `raid` and `batteries` are YAML list items.
fn city_scenario(
    name: &str,
    extra_sensors: &str,
    batteries: &str,
    command: &str,
    raid: &str,
) -> String {
    format!(
        "name: {name}\nruns: 20\nassets:\n  - {{id: city, circle: {{center: {city}, radius_km: 8}}, value: 10}}\n\
         sensors:\n  - {{id: r-city, type: elm-2084, at: {city}}}\n{extra_sensors}\
         batteries:\n{batteries}command:\n{command}raid:\n{raid}",
        city = pos(CITY),
    )
}

const COMMAND: &str = "  decision_latency_s: 2\n  network: true\n  doctrine: {shoot_look_shoot: true, engage_only_defended: true}\n";

/// `count` Fateh-110 fired from 150 km east of the city at it, over `window_s` seconds.
fn fateh_raid(count: u32, window_s: f64) -> String {
    format!(
        "  - {{id: fateh, threat: fateh-110, count: {count}, launch: {{sites: [{}], window_s: [0, {window_s}]}}, target: city, overrides: {{reliability: 1.0}}}}\n",
        pos(offset(CITY.0, CITY.1, 0.0, 150.0))
    )
}

#[test]
fn a_threat_outside_every_envelope_is_never_engaged() {
    let battery_at = |north_km: f64| {
        format!(
            "  - {{id: sling, type: davids-sling, at: {}, rounds: 24}}\n",
            pos(offset(CITY.0, CITY.1, north_km, 0.0))
        )
    };
    // 300 km north of a path that runs from 150 km east of the city to the city: farther than
    // the 200 km reach of David's Sling from every point of it.
    let far = scenario(&city_scenario(
        "far",
        "",
        &battery_at(300.0),
        COMMAND,
        &fateh_raid(6, 60.0),
    ));
    let p = prepared(&far);
    assert!(
        p.opportunities
            .iter()
            .flatten()
            .all(|o| o.windows.is_empty() || o.battery != 0),
        "engagement windows for a battery 300 km away"
    );
    // The same battery at the city engages the same raid: the far case is not empty by accident.
    let near = scenario(&city_scenario(
        "near",
        "",
        &battery_at(0.0),
        COMMAND,
        &fateh_raid(6, 60.0),
    ));
    let p_near = prepared(&near);
    for run in 0..10 {
        let (o, events) = play(&p, 3, run);
        assert_run(&far, &p, &o, &events);
        assert_eq!(
            count_launches(&events, 0),
            0,
            "run {run}: the far battery fired"
        );
        assert!(
            !events.iter().any(|e| matches!(
                e,
                EngineEvent::Decision {
                    battery: Some(_),
                    ..
                }
            )),
            "run {run}: a decision to engage with the far battery"
        );
        assert_eq!(o.batteries[0].shots, 0);
        assert_eq!(o.count(Fate::Intercepted), 0);
        let (o, events) = play(&p_near, 3, run);
        assert_run(&near, &p_near, &o, &events);
        assert!(
            count_launches(&events, 0) > 0,
            "run {run}: the battery at the city never fired"
        );
    }
}

/// Batteries against an Iskander-M flying 200 km to the city on its default depressed
/// trajectory: an Arrow-3 and an SM-3 Block IB 80 km north of its path, given a kill
/// probability against quasi-ballistic missiles so that only their 100 km floor can keep
/// them from firing, and a PAC-3 MSE at the city.
fn iskander_scenario(exo_overrides: &str) -> String {
    let bmd = "  - {id: r-bmd, type: green-pine, at: [31.45, 34.55], facing_deg: 90}\n  - {id: ew, type: space-ir}\n";
    let mid_path = offset(CITY.0, CITY.1, 80.0, 100.0);
    let batteries = format!(
        "  - {{id: arrow3, type: arrow-3, at: {mid}, rounds: 12, overrides: {{{exo_overrides}}}}}\n\
         \x20 - {{id: sm3, type: sm-3-ib, at: {mid}, rounds: 8, overrides: {{{exo_overrides}}}}}\n\
         \x20 - {{id: pac3, type: pac-3-mse, at: {city}, rounds: 48, defends: [city]}}\n",
        mid = pos(mid_path),
        city = pos(CITY),
    );
    let raid = format!(
        "  - {{id: isk, threat: iskander-m, count: 8, launch: {{sites: [{}], window_s: [0, 120]}}, target: city, overrides: {{reliability: 1.0}}}}\n",
        pos(offset(CITY.0, CITY.1, 0.0, 200.0))
    );
    city_scenario("iskander", bmd, &batteries, COMMAND, &raid)
}

#[test]
fn a_quasi_ballistic_missile_stays_below_exo_atmospheric_interceptors() {
    let sc = scenario(&iskander_scenario(
        "kill_probability: {quasi_ballistic: 0.8}",
    ));
    let p = prepared(&sc);
    let apogee = p.trajectories[0].apogee_m;
    assert!(
        (20_000.0..100_000.0).contains(&apogee),
        "Iskander-M apogee {apogee} m: the test needs one below the 100 km floor"
    );
    let mut lower_tier = 0;
    for run in 0..20 {
        let (o, events) = play(&p, 5, run);
        assert_run(&sc, &p, &o, &events);
        assert_eq!(
            count_launches(&events, 0),
            0,
            "run {run}: Arrow-3 fired at an Iskander-M"
        );
        assert_eq!(
            count_launches(&events, 1),
            0,
            "run {run}: SM-3 IB fired at an Iskander-M"
        );
        lower_tier += count_launches(&events, 2);
    }
    assert!(lower_tier > 0, "the PAC-3 MSE at the city never fired");

    // With the floor lowered to 10 km, the same batteries do engage: the floor is what stops
    // them above.
    let sc = scenario(&iskander_scenario(
        "kill_probability: {quasi_ballistic: 0.8}, min_altitude_km: 10",
    ));
    let p = prepared(&sc);
    let mut exo = 0;
    for run in 0..20 {
        let (o, events) = play(&p, 5, run);
        assert_run(&sc, &p, &o, &events);
        exo += count_launches(&events, 0) + count_launches(&events, 1);
    }
    assert!(
        exo > 0,
        "with a 10 km floor the exo-atmospheric batteries never fired"
    );
}

/// Intercepts of the Iskander-M of [`iskander_scenario`] under `earth` are reported on its
/// path. The path runs along the parallel of the city (launch site and aim share its latitude),
/// so an intercept's latitude stays within 0.02° (2.2 km) of it: the great circle bulges by
/// under 0.5 km over 200 km, and the rotating Earth deflects the flight by less.
fn intercepts_lie_on_the_path(earth: &str) {
    let text = iskander_scenario("kill_probability: {quasi_ballistic: 0.8}").replacen(
        "runs: 20\n",
        &format!("runs: 20\nearth: {earth}\n"),
        1,
    );
    let sc = scenario(&text);
    let p = prepared(&sc);
    let mut intercepts = 0;
    for run in 0..10 {
        let (o, events) = play(&p, 5, run);
        assert_run(&sc, &p, &o, &events);
        for e in &events {
            if let EngineEvent::Intercept { lat_deg, .. } = *e {
                intercepts += 1;
                assert!(
                    (lat_deg - CITY.0).abs() < 0.02,
                    "earth {earth}, run {run}: {e:?} is {:.1} km off the path at latitude {}",
                    (lat_deg - CITY.0) * 111.32,
                    CITY.0
                );
            }
        }
    }
    assert!(intercepts > 0, "earth {earth}: no intercepts to check");
}

#[test]
fn intercepts_lie_on_the_threat_path_on_the_wgs84_ellipsoid() {
    intercepts_lie_on_the_path("{model: wgs84}");
}

#[test]
fn intercepts_lie_on_the_threat_path_on_the_sphere() {
    intercepts_lie_on_the_path("{model: sphere}");
}

#[test]
fn a_cruise_missile_below_the_radar_horizon_is_tracked_only_above_it() {
    // A Paveh flying 150 km to the city at 100 m: the city radar (250 km against 1 m², about
    // 210 km against the Paveh's 0.5 m²) could see it from launch but for the horizon, about
    // 50 km for a 4 m antenna and a 100 m target.
    let raid = format!(
        "  - {{id: paveh, threat: paveh, count: 5, launch: {{sites: [{}], window_s: [0, 200]}}, target: city, overrides: {{reliability: 1.0}}}}\n",
        pos(offset(CITY.0, CITY.1, 0.0, 150.0))
    );
    let batteries = format!("  - {{id: dome, type: iron-dome, at: {}}}\n", pos(CITY));
    let sc = scenario(&city_scenario("paveh", "", &batteries, COMMAND, &raid));
    let p = prepared(&sc);
    let SensorKind::Radar { position, .. } = p.sensors[0].kind else {
        panic!("sensor 0 is the city radar");
    };
    let antenna_m = Geodetic::from_ecef(position).height_m();
    let traj = &p.trajectories[0];
    // First sample within the 4/3-Earth horizon of the antenna.
    let horizon_s = (0..traj.positions.len())
        .find(|&k| {
            (traj.positions[k] - position).norm() <= radar_horizon_m(antenna_m, traj.heights_m[k])
        })
        .map(|k| traj.times_s[k])
        .expect("the Paveh comes within the horizon before impact");
    assert!(
        horizon_s > 60.0,
        "the Paveh is within the horizon {horizon_s} s after launch: the test needs it below"
    );
    for run in 0..20 {
        let (o, events) = play(&p, 11, run);
        assert_run(&sc, &p, &o, &events);
        let mut launch = vec![f64::NAN; p.threats.len()];
        let mut tracked = vec![false; p.threats.len()];
        for e in &events {
            match *e {
                EngineEvent::Launch { time_s, threat } => launch[threat] = time_s,
                EngineEvent::Track { time_s, threat, .. } => {
                    let since_launch = time_s - launch[threat];
                    assert!(
                        since_launch >= horizon_s - audit::TIME_SLACK_S,
                        "run {run}: threat {threat} tracked {since_launch} s after launch, \
                         within the horizon only from {horizon_s} s"
                    );
                    tracked[threat] = true;
                }
                _ => {}
            }
        }
        assert!(
            tracked.iter().all(|&t| t),
            "run {run}: a Paveh was never tracked"
        );
    }
}

/// Five Fajr-5 rockets fired 50 km at a point 200 km south of the city, an Iron Dome battery
/// and its radar 10 km from that point, under the rockets' path. The city lies beyond eight
/// times the prediction error of the youngest track (20 km), so no prediction puts it at risk.
fn open_ground_scenario(engage_only_defended: bool) -> String {
    let aim = offset(CITY.0, CITY.1, -200.0, 0.0);
    let raid = format!(
        "  - {{id: fajr, threat: fajr-5, count: 5, launch: {{sites: [{}], window_s: [0, 40]}}, aim: {}, overrides: {{reliability: 1.0}}}}\n",
        pos(offset(aim.0, aim.1, 0.0, 50.0)),
        pos(aim)
    );
    let site = pos(offset(aim.0, aim.1, 0.0, 10.0));
    let sensors = format!("  - {{id: r-south, type: elm-2084, at: {site}}}\n");
    let batteries = format!("  - {{id: dome, type: iron-dome, at: {site}, radar: r-south}}\n");
    let command = format!(
        "  decision_latency_s: 2\n  network: true\n  doctrine: {{shoot_look_shoot: true, engage_only_defended: {engage_only_defended}}}\n"
    );
    city_scenario("open ground", &sensors, &batteries, &command, &raid)
}

#[test]
fn a_rocket_aimed_at_open_ground_is_engaged_only_without_engage_only_defended() {
    let sc = scenario(&open_ground_scenario(true));
    let p = prepared(&sc);
    for run in 0..20 {
        let (o, events) = play(&p, 13, run);
        assert_run(&sc, &p, &o, &events);
        assert_eq!(
            count_launches(&events, 0),
            0,
            "run {run}: fired at a rocket bound for open ground"
        );
        for (i, t) in o.threats.iter().enumerate() {
            assert_eq!(
                t.fate,
                Fate::IgnoredOpenArea,
                "run {run}, threat {i}: {t:?}"
            );
        }
    }
    let sc = scenario(&open_ground_scenario(false));
    let p = prepared(&sc);
    for run in 0..20 {
        let (o, events) = play(&p, 13, run);
        assert_run(&sc, &p, &o, &events);
        for i in 0..p.threats.len() {
            assert!(
                events.iter().any(
                    |e| matches!(e, EngineEvent::InterceptorLaunch { threat, .. } if *threat == i)
                ),
                "run {run}: threat {i} was not engaged ({:?})",
                o.threats[i]
            );
            assert_ne!(
                o.threats[i].fate,
                Fate::IgnoredOpenArea,
                "run {run}, threat {i}"
            );
        }
    }
}

/// Ten Fateh-110 at the city, a David's Sling at the city, under `decision_latency` (a line of
/// the `command` section, or nothing for the default).
fn latency_scenario(decision_latency: &str) -> String {
    let batteries = format!("  - {{id: sling, type: davids-sling, at: {}}}\n", pos(CITY));
    let command = format!("{decision_latency}  network: true\n");
    city_scenario("latency", "", &batteries, &command, &fateh_raid(10, 100.0))
}

#[test]
fn threats_are_engaged_with_the_default_decision_latency_of_zero() {
    // Control: with a 1 s decision cycle the battery engages every missile.
    let sc = scenario(&latency_scenario("  decision_latency_s: 1\n"));
    let p = prepared(&sc);
    let (o, events) = play(&p, 17, 0);
    assert_run(&sc, &p, &o, &events);
    assert_eq!(
        engaged(&events),
        p.threats.len(),
        "threats engaged with a 1 s cycle"
    );
    // Without `decision_latency_s` (0 by default) the same missiles are engaged as well.
    let sc = scenario(&latency_scenario(""));
    let p = prepared(&sc);
    for run in 0..5 {
        let (o, events) = play(&p, 17, run);
        assert_run(&sc, &p, &o, &events);
        let decisions = events
            .iter()
            .filter(|e| matches!(e, EngineEvent::Decision { .. }))
            .count();
        assert_eq!(
            engaged(&events),
            p.threats.len(),
            "run {run}: threats engaged with decision latency 0 ({decisions} decisions)"
        );
    }
}

/// Without shoot-look-shoot (and so with double engagement), a threat that one battery has
/// fired at is decided on again at the next cycle: a second battery fires at it while the
/// first salvo is still on its way, not after its intercept.
#[test]
fn without_shoot_look_shoot_a_second_battery_fires_before_the_first_intercept() {
    let batteries = format!(
        "  - {{id: sling-a, type: davids-sling, at: {city}}}\n  - {{id: sling-b, type: davids-sling, at: {city}}}\n",
        city = pos(CITY)
    );
    let command =
        "  decision_latency_s: 1\n  network: true\n  doctrine: {shoot_look_shoot: false}\n";
    let sc = scenario(&city_scenario(
        "double engagement",
        "",
        &batteries,
        command,
        &fateh_raid(1, 0.0),
    ));
    let p = prepared(&sc);
    assert!(p.double_engagement, "the default without shoot-look-shoot");
    for run in 0..5 {
        let (o, events) = play(&p, 3, run);
        assert_run(&sc, &p, &o, &events);
        let salvos: Vec<(usize, f64, f64)> = events
            .iter()
            .filter_map(|e| match *e {
                EngineEvent::InterceptorLaunch {
                    battery,
                    time_s,
                    intercept_s,
                    ..
                } => Some((battery, time_s, intercept_s)),
                _ => None,
            })
            .collect();
        let [(first, _, intercept_s), (second, launch_s, _), ..] = salvos[..] else {
            panic!(
                "run {run}: {} salvos, expected two: {salvos:?}",
                salvos.len()
            );
        };
        assert_ne!(first, second, "run {run}: {salvos:?}");
        assert!(
            launch_s < intercept_s,
            "run {run}: the second salvo left at {launch_s} s, the first met the threat at {intercept_s} s"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 3. Saturation
// ---------------------------------------------------------------------------------------------

#[test]
fn leakers_grow_as_fire_channels_shrink() {
    const RUNS: u64 = 50;
    // Standard errors between consecutive means: a difference of 3 is a one-sided test at
    // about 0.1 % per comparison, with the seed fixed.
    const SIGMAS: f64 = 3.0;
    let raid = fateh_raid(40, 10.0);
    let mut previous: Option<(u32, f64, f64)> = None;
    for channels in [8u32, 4, 2, 1] {
        let batteries = format!(
            "  - {{id: sling, type: davids-sling, at: {}, rounds: 400, fire_channels: {channels}}}\n",
            pos(CITY)
        );
        let sc = scenario(&city_scenario("saturation", "", &batteries, COMMAND, &raid));
        let p = prepared(&sc);
        let mut rep = Replication::new();
        let mut leakers = Vec::new();
        for run in 0..RUNS {
            let (o, events) = play_on(&mut rep, &p, 23, run);
            assert_run(&sc, &p, &o, &events);
            assert!(
                o.batteries[0].rounds_left > 0,
                "rounds ran out: the test is about channels"
            );
            leakers.push(o.count(Fate::Leaked) as f64);
        }
        let (mean, se) = mean_se(&leakers);
        if channels == 1 {
            assert!(
                mean > 0.0,
                "no leakers with one fire channel against 40 missiles"
            );
        }
        if let Some((more, m, s)) = previous {
            assert!(
                mean - m > SIGMAS * se.hypot(s),
                "mean leakers {m:.2} ± {s:.2} with {more} channels, {mean:.2} ± {se:.2} with {channels}"
            );
        }
        previous = Some((channels, mean, se));
    }
}

// ---------------------------------------------------------------------------------------------
// 4. Determinism
// ---------------------------------------------------------------------------------------------

/// Every field of an outcome as bits.
fn outcome_bits(o: &Outcome) -> Vec<u64> {
    let Outcome {
        run,
        threats,
        tally,
        batteries,
        defense_cost_usd,
        offense_cost_usd,
        warning,
    } = o;
    let mut bits = vec![*run, defense_cost_usd.to_bits(), offense_cost_usd.to_bits()];
    bits.extend(
        tally
            .fates
            .iter()
            .chain(&tally.leak_causes)
            .map(|&c| u64::from(c)),
    );
    // `Debug` prints every `f64` so that it reads back to the same bits.
    bits.extend(format!("{warning:?}").bytes().map(u64::from));
    bits.push(threats.len() as u64);
    for t in threats {
        let skyshield_engine::ThreatOutcome {
            fate,
            launch_s,
            shots,
            time_s,
            lat_deg,
            lon_deg,
            height_m,
            battery,
            asset,
            debris,
            leak_cause,
        } = t;
        bits.extend([
            *fate as u64,
            launch_s.to_bits(),
            u64::from(*shots),
            time_s.to_bits(),
            lat_deg.to_bits(),
            lon_deg.to_bits(),
            height_m.to_bits(),
            battery.map_or(u64::MAX, |b| b as u64),
            asset.map_or(u64::MAX, |a| a as u64),
            leak_cause.map_or(u64::MAX, |c| c.index() as u64),
        ]);
        match debris {
            Some((lat, lon)) => bits.extend([1, lat.to_bits(), lon.to_bits()]),
            None => bits.push(0),
        }
    }
    bits.push(batteries.len() as u64);
    for b in batteries {
        bits.extend([
            u64::from(b.shots),
            u64::from(b.kills),
            u64::from(b.reloaded),
            u64::from(b.rounds_left),
        ]);
    }
    bits
}

/// The event log in a form that tells every bit of every `f64` apart.
fn log_text(events: &[EngineEvent]) -> Vec<String> {
    events.iter().map(|e| format!("{e:?}")).collect()
}

/// A mixed raid against layered batteries, with shoot-look-shoot (kill assessments), open
/// ground and failures in flight: every random stream is used.
fn mixed_scenario() -> Scenario {
    let batteries = format!(
        "  - {{id: dome, type: iron-dome, at: {city}, rounds: 30, fire_channels: 4, defends: [city]}}\n\
         \x20 - {{id: sling, type: davids-sling, at: {sling}, rounds: 12, fire_channels: 3}}\n\
         \x20 - {{id: arrow2, type: arrow-2, at: {sling}, rounds: 6}}\n",
        city = pos(CITY),
        sling = pos(offset(CITY.0, CITY.1, -10.0, -5.0)),
    );
    let raid = format!(
        "  - {{id: grad, threat: grad, count: 20, launch: {{sites: [{grad}], window_s: [0, 60]}}, target: city}}\n\
         \x20 - {{id: stray, threat: qassam, count: 6, launch: {{sites: [{qassam}], window_s: [0, 60]}}, aim: {open}}}\n\
         \x20 - {{id: fateh, threat: fateh-110, count: 8, launch: {{sites: [{fateh}], window_s: [0, 120]}}, target: city}}\n\
         \x20 - {{id: drones, threat: shahed-136, count: 6, launch: {{sites: [{shahed}], window_s: [-900, -600]}}, target: city, route: [{wp}]}}\n",
        grad = pos(offset(CITY.0, CITY.1, 0.0, 15.0)),
        qassam = pos(offset(CITY.0, CITY.1, -20.0, 7.0)),
        open = pos(offset(CITY.0, CITY.1, -20.0, 0.0)),
        fateh = pos(offset(CITY.0, CITY.1, 0.0, 150.0)),
        shahed = pos(offset(CITY.0, CITY.1, 0.0, 70.0)),
        wp = pos(offset(CITY.0, CITY.1, 20.0, 35.0)),
    );
    let bmd = "  - {id: r-bmd, type: green-pine, at: [31.45, 34.55], facing_deg: 90}\n  - {id: ew, type: space-ir}\n";
    scenario(&city_scenario("mixed", bmd, &batteries, COMMAND, &raid))
}

#[test]
fn the_same_seed_and_run_give_the_same_outcome_bit_for_bit() {
    const SEED: u64 = 0x5eed;
    let sc = mixed_scenario();
    let p = prepared(&sc);
    // Runs played one after another on one replication.
    let mut serial = Replication::new();
    let played: Vec<(Outcome, Vec<EngineEvent>)> =
        (0..6).map(|k| play_on(&mut serial, &p, SEED, k)).collect();
    for (o, events) in &played {
        assert_run(&sc, &p, o, events);
    }
    assert_ne!(
        outcome_bits(&played[0].0)[1..],
        outcome_bits(&played[1].0)[1..],
        "runs 0 and 1 are identical: the comparison below would prove nothing"
    );
    // A replication used before on a larger scenario, then on this one.
    let other = prepared(&scenario(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml"),
        )
        .expect("scenarios/default.yaml"),
    ));
    let mut reused = Replication::new();
    reused.run(&other, 99, 3);
    for k in (0..6).rev() {
        let (alone, alone_events) = play(&p, SEED, k);
        let (again, again_events) = play_on(&mut reused, &p, SEED, k);
        let (serial_o, serial_events) = &played[k as usize];
        assert_eq!(
            outcome_bits(&alone),
            outcome_bits(serial_o),
            "run {k} alone vs after runs 0..{k}"
        );
        assert_eq!(
            outcome_bits(&again),
            outcome_bits(serial_o),
            "run {k} on a reused replication"
        );
        assert_eq!(
            log_text(&alone_events),
            log_text(serial_events),
            "run {k}: event logs"
        );
        assert_eq!(
            log_text(&again_events),
            log_text(serial_events),
            "run {k}: event logs, reused"
        );
    }
    // Preparing the scenario again gives the same runs.
    let p2 = prepared(&mixed_scenario());
    let (o, _) = play(&p2, SEED, 4);
    assert_eq!(
        outcome_bits(&o),
        outcome_bits(&played[4].0),
        "run 4 after a second prepare"
    );
}
