//! The kill chain against short flights, allocation by value, reloads, fire on network tracks
//! and the cause of every leaker, on scenarios built from the catalog.

mod common;

use std::path::Path;

use common::{Log, mean_se};
use skyshield_engine::{
    AssignmentPolicy, CostAware, DefaultPolicy, EngineEvent, Fate, LeakCause, Prepared,
    Replication, ValueWeighted, prepare,
};

/// Standard errors of a statistical bound at a fixed seed.
const Z: f64 = 4.0;

fn prepared(text: &str) -> Prepared {
    let sc = skyshield_scenario::from_str(text, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"));
    prepare(&sc).unwrap_or_else(|e| panic!("cannot prepare `{}`: {e}", sc.name))
}

/// A town of 2 km radius at 31.525 N 34.596 E (Sderot), an Iron Dome battery with its radar
/// 3 km east-south-east of it, and `count` rounds of `threat` fired at the town from
/// `[lat, lon]`; `radar` overrides the radar's parameters.
fn town(threat: &str, from: &str, count: u32, radar: &str) -> Prepared {
    prepared(&format!(
        "name: town\nassets:\n  - {{id: town, kind: city, circle: {{center: [31.525, 34.596], radius_km: 2}}, value: 8}}\n\
         sensors:\n  - {{id: radar, type: elm-2084, at: [31.505, 34.62], overrides: {{{radar}}}}}\n\
         batteries:\n  - {{id: dome, type: iron-dome, at: [31.505, 34.62], radar: radar, defends: [town]}}\n\
         command:\n  decision_latency_s: 2\n\
         raid:\n  - {{id: g, threat: {threat}, count: {count}, launch: {{sites: [{from}], window_s: [0, 3000]}}, target: town, overrides: {{reliability: 1.0}}}}\n"
    ))
}

/// Over `runs` runs with nominal parameters under `policy`: per run, the share of threats that
/// were engaged at all.
fn engaged_share<P: AssignmentPolicy>(p: &Prepared, runs: u64, policy: &P) -> Vec<f64> {
    let mut rep = Replication::new();
    (0..runs)
        .map(|run| {
            let o = rep.run_with(p, 7, run, policy, &mut Log::default());
            let engaged = o.threats.iter().filter(|t| t.shots > 0).count();
            engaged as f64 / o.threats.len() as f64
        })
        .collect()
}

#[test]
fn iron_dome_engages_a_qassam_fired_7_km_away_and_grads_from_16_and_19_km() {
    // A Qassam 7.4 km from the town flies about 22 s; a Grad from 16 or 19 km, 33-37 s. An
    // electronically scanned radar confirms its first detection within a second or two, which
    // leaves the battery a window against each.
    for (threat, from, km) in [
        ("qassam", "[31.56, 34.53]", 7.4),
        ("grad", "[31.60, 34.45]", 16.2),
        ("grad", "[31.63, 34.44]", 18.9),
    ] {
        let p = town(threat, from, 20, "");
        let (mean, se) = mean_se(&engaged_share(&p, 30, &DefaultPolicy));
        assert!(
            mean - Z * se > 0.8,
            "{threat} from {km} km: {mean:.2} ± {se:.2} of the rounds engaged"
        );
    }
    // A rotating radar that confirms on its next 4 s turns leaves no window against the
    // Qassam.
    let p = town("qassam", "[31.56, 34.53]", 20, "scanning: rotating");
    let (mean, _) = mean_se(&engaged_share(&p, 30, &DefaultPolicy));
    assert_eq!(mean, 0.0, "a rotating radar's track came in time");
}

/// Two assets of values 10 and 1, 40 km apart, each under a raid of twelve Fateh-110, and a
/// David's Sling between them with 8 rounds that reaches both.
fn two_assets() -> Prepared {
    prepared(
        "name: two assets\n\
         assets:\n  - {id: capital, kind: city, circle: {center: [31.80, 34.80], radius_km: 4}, value: 10}\n\
         \x20 - {id: depot, kind: infrastructure, circle: {center: [31.44, 34.80], radius_km: 4}, value: 1}\n\
         sensors:\n  - {id: radar, type: green-pine, at: [31.62, 34.70], facing_deg: 90}\n\
         batteries:\n  - {id: sling, type: davids-sling, at: [31.62, 34.70], rounds: 8, radar: radar}\n\
         command:\n  decision_latency_s: 2\n\
         raid:\n  - {id: at-depot, threat: fateh-110, count: 12, launch: {sites: [[31.44, 36.40]], window_s: [0, 300]}, target: depot, overrides: {reliability: 1.0}}\n\
         \x20 - {id: at-capital, threat: fateh-110, count: 12, launch: {sites: [[31.80, 36.40]], window_s: [0, 300]}, target: capital, overrides: {reliability: 1.0}}\n",
    )
}

/// Per run, the hits on each asset.
fn hits<P: AssignmentPolicy>(p: &Prepared, runs: u64, policy: &P) -> (Vec<f64>, Vec<f64>) {
    let mut rep = Replication::new();
    (0..runs)
        .map(|run| {
            let o = rep.run_with(p, 11, run, policy, &mut Log::default());
            let on = |k| o.threats.iter().filter(|t| t.asset == Some(k)).count() as f64;
            (on(0), on(1))
        })
        .unzip()
}

#[test]
fn value_weighted_allocation_spares_the_more_valuable_asset() {
    let p = two_assets();
    let runs = 200;
    let (capital, depot) = hits(&p, runs, &ValueWeighted);
    let ((c, cse), (d, dse)) = (mean_se(&capital), mean_se(&depot));
    assert!(
        c + Z * cse.hypot(dse) < d,
        "value-weighted: {c:.2} ± {cse:.2} hits on the capital (value 10), {d:.2} ± {dse:.2} on the depot (value 1)"
    );
    // Earliest intercept spends the rounds on whichever comes first: the capital takes more
    // hits than under value-weighted allocation.
    let (capital_ei, depot_ei) = hits(&p, runs, &DefaultPolicy);
    let ((ce, cese), (de, dese)) = (mean_se(&capital_ei), mean_se(&depot_ei));
    assert!(
        c + Z * cse.hypot(cese) < ce,
        "hits on the capital: value-weighted {c:.2} ± {cse:.2}, earliest intercept {ce:.2} ± {cese:.2} (depot {de:.2} ± {dese:.2})"
    );
}

#[test]
fn cost_aware_allocation_saves_the_dearer_layer_when_a_cheaper_one_can_still_shoot() {
    // Fateh-110 at a city defended by a David's Sling (US$1 M a round) forward and a PAC-3
    // MSE (US$4 M) at the city: earliest intercept fires the layer that meets the threat
    // first; cost-aware fires the cheapest whose salvo meets the required kill probability.
    let p = prepared(
        "name: two layers\n\
         assets:\n  - {id: city, kind: city, circle: {center: [31.80, 34.80], radius_km: 6}, value: 10}\n\
         sensors:\n  - {id: radar, type: green-pine, at: [31.80, 34.80], facing_deg: 90}\n\
         batteries:\n  - {id: sling, type: davids-sling, at: [31.80, 35.00], rounds: 40, radar: radar}\n\
         \x20 - {id: pac3, type: pac-3-mse, at: [31.80, 34.80], rounds: 40, radar: radar}\n\
         command:\n  decision_latency_s: 2\n  doctrine: {required_kill_probability: 0.5}\n\
         raid:\n  - {id: g, threat: fateh-110, count: 10, launch: {sites: [[31.80, 36.40]], window_s: [0, 300]}, target: city, overrides: {reliability: 1.0}}\n",
    );
    let cost = |policy: &dyn Fn(&mut Replication, u64) -> f64| {
        let mut rep = Replication::new();
        let per_run: Vec<f64> = (0..50).map(|run| policy(&mut rep, run)).collect();
        mean_se(&per_run)
    };
    let earliest = cost(&|rep, run| {
        rep.run_with(&p, 5, run, &DefaultPolicy, &mut Log::default())
            .defense_cost_usd
    });
    let aware = cost(&|rep, run| {
        let policy = CostAware {
            required_kill_probability: p.required_kill_probability,
        };
        rep.run_with(&p, 5, run, &policy, &mut Log::default())
            .defense_cost_usd
    });
    let sling = p.batteries[0].cost_usd;
    let pac3 = p.batteries[1].cost_usd;
    assert!(sling < pac3, "the catalog's Sling is the cheaper round");
    assert!(
        aware.0 + Z * aware.1.hypot(earliest.1) < earliest.0,
        "cost per run: cost-aware {:.0} ± {:.0}, earliest intercept {:.0} ± {:.0}",
        aware.0,
        aware.1,
        earliest.0,
        earliest.1
    );
}

#[test]
fn batteries_reload_empty_launchers_from_their_depot_after_the_reload_time() {
    // Two launchers of 2 rounds and a depot of 3: a launcher emptied at time t is full again
    // at t + 120 s, the depot's last round goes onto the next.
    let p = prepared(
        "name: reloads\n\
         assets:\n  - {id: city, kind: city, circle: {center: [31.80, 34.80], radius_km: 6}, value: 10}\n\
         sensors:\n  - {id: radar, type: green-pine, at: [31.80, 34.80], facing_deg: 90}\n\
         batteries:\n  - {id: pac3, type: pac-3-mse, at: [31.80, 34.80], launchers: 2, rounds_per_launcher: 2, depot_rounds: 3, radar: radar, overrides: {reload_time_s: 120}}\n\
         command:\n  decision_latency_s: 2\n\
         raid:\n  - {id: g, threat: fateh-110, count: 30, launch: {sites: [[31.80, 36.40]], window_s: [0, 1800]}, target: city, overrides: {reliability: 1.0}}\n",
    );
    let mut rep = Replication::new();
    for run in 0..20 {
        let mut log = Log::default();
        let o = rep.run_with(&p, 9, run, &DefaultPolicy, &mut log).clone();
        let b = o.batteries[0];
        assert_eq!(b.reloaded, 3, "run {run}: the whole depot is loaded");
        assert_eq!(
            b.shots, 7,
            "run {run}: 4 ready rounds and 3 reloaded are fired"
        );
        assert_eq!(b.rounds_left, 0, "run {run}");
        // The fifth round leaves no earlier than 120 s after the second (the first launcher
        // empty), the seventh no earlier than 120 s after the fourth.
        let launches: Vec<f64> = log
            .0
            .iter()
            .filter_map(|e| match *e {
                EngineEvent::InterceptorLaunch { time_s, shots, .. } => {
                    Some(std::iter::repeat_n(time_s, shots as usize))
                }
                _ => None,
            })
            .flatten()
            .collect();
        assert_eq!(launches.len(), 7, "run {run}");
        assert!(
            launches[4] >= launches[1] + 120.0 && launches[6] >= launches[3] + 120.0,
            "run {run}: launches at {launches:?}"
        );
    }
}

#[test]
fn every_leaker_has_one_cause_and_the_causes_name_what_went_wrong() {
    // Out of every battery's reach: the battery defends a city 200 km from the aim.
    let far = prepared(
        "name: far\n\
         assets:\n  - {id: city, kind: city, circle: {center: [31.80, 34.80], radius_km: 6}}\n\
         \x20 - {id: other, kind: city, circle: {center: [33.60, 35.50], radius_km: 6}}\n\
         sensors:\n  - {id: radar, type: elm-2084, at: [31.80, 34.80]}\n\
         batteries:\n  - {id: dome, type: iron-dome, at: [31.80, 34.80], radar: radar}\n\
         raid:\n  - {id: g, threat: fateh-110, count: 5, launch: {sites: [[33.60, 36.90]]}, target: other, overrides: {reliability: 1.0}}\n",
    );
    let causes = |p: &Prepared, runs: u64| {
        let mut rep = Replication::new();
        let mut counts = [0usize; 9];
        for run in 0..runs {
            let o = rep.run(p, 1, run);
            for (k, n) in o.leak_causes().into_iter().enumerate() {
                counts[k] += n;
            }
            assert_eq!(
                o.leak_causes().iter().sum::<usize>(),
                o.count(Fate::Leaked),
                "run {run}: a cause per leaker"
            );
            for t in &o.threats {
                assert_eq!(t.leak_cause.is_some(), t.fate == Fate::Leaked, "{t:?}");
            }
        }
        counts
    };
    let c = causes(&far, 5);
    assert_eq!(c[LeakCause::OutOfReach.index()], 25, "{c:?}");
    // No rounds: a battery with 2 rounds against 10 Qassams it reaches.
    let p = {
        let mut p = town("qassam", "[31.56, 34.53]", 10, "");
        p.batteries[0].rounds = 2;
        p
    };
    let c = causes(&p, 20);
    assert!(c[LeakCause::NoRounds.index()] > 100, "{c:?}");
    // Never detected: the radar's detection probability is zero.
    let p = town("qassam", "[31.56, 34.53]", 10, "detection_probability: 0");
    let c = causes(&p, 5);
    assert_eq!(c[LeakCause::NeverDetected.index()], 50, "{c:?}");
    // Tracked too late: a rotating radar's track comes after the last window.
    let p = town("qassam", "[31.56, 34.53]", 10, "scanning: rotating");
    let c = causes(&p, 5);
    assert_eq!(c[LeakCause::TrackedTooLate.index()], 50, "{c:?}");
}

#[test]
fn one_launcher_is_reloaded_round_after_round_and_a_threat_waiting_fires_when_it_is() {
    // One launcher of one round and a depot of three, reloaded in 20 s, against four missiles
    // 20 s apart: each round is fired, the launcher reloaded after each, and a missile that
    // finds it empty waits and is offered the round when it is loaded.
    let p = prepared(
        "name: one launcher\n\
         assets:\n  - {id: city, kind: city, circle: {center: [31.80, 34.80], radius_km: 6}, value: 10}\n\
         sensors:\n  - {id: radar, type: green-pine, at: [31.80, 34.80], facing_deg: 90}\n\
         batteries:\n  - {id: pac3, type: pac-3-mse, at: [31.80, 34.80], launchers: 1, rounds_per_launcher: 1, depot_rounds: 3, radar: radar, overrides: {reload_time_s: 20}}\n\
         command:\n  decision_latency_s: 2\n  doctrine: {shots_per_engagement: 1}\n\
         raid:\n  - {id: g, threat: fateh-110, count: 4, launch: {sites: [[31.80, 36.40]], window_s: [0, 60]}, target: city, overrides: {reliability: 1.0}}\n",
    );
    let mut rep = Replication::new();
    for run in 0..20 {
        let mut log = Log::default();
        let o = rep.run_with(&p, 9, run, &DefaultPolicy, &mut log).clone();
        let launches: Vec<f64> = log
            .0
            .iter()
            .filter_map(|e| match *e {
                EngineEvent::InterceptorLaunch { time_s, .. } => Some(time_s),
                _ => None,
            })
            .collect();
        let b = o.batteries[0];
        assert_eq!(
            (b.shots, b.reloaded, b.rounds_left),
            (4, 3, 0),
            "run {run}: the round loaded and the depot's three fired, {b:?}"
        );
        assert!(
            launches.windows(2).all(|w| w[1] >= w[0] + 20.0),
            "run {run}: each round leaves once loaded, 20 s after the one before: {launches:?}"
        );
    }
}

/// Six Fateh-110 at a city, seen only by an early-warning radar that no battery engages on, and
/// a David's Sling, `battery` completing its entry (it may name as its own radar one that sees
/// no farther than a kilometre).
fn remote_only(battery: &str) -> Prepared {
    prepared(&format!(
        "name: remote tracks\n\
         assets:\n  - {{id: capital, kind: city, circle: {{center: [31.80, 34.80], radius_km: 4}}, value: 10}}\n\
         sensors:\n  - {{id: ew, type: green-pine, at: [31.62, 34.70], facing_deg: 90}}\n\
         \x20 - {{id: blind, type: elm-2084, at: [31.62, 34.70], overrides: {{detection_range_km: 1}}}}\n\
         batteries:\n  - {{id: sling, type: davids-sling, at: [31.62, 34.70], rounds: 12{battery}}}\n\
         command:\n  decision_latency_s: 2\n\
         raid:\n  - {{id: g, threat: fateh-110, count: 6, launch: {{sites: [[31.80, 36.40]], window_s: [0, 300]}}, target: capital, overrides: {{reliability: 1.0}}}}\n"
    ))
}

#[test]
fn a_battery_without_a_radar_fires_on_the_network_track_after_its_delay_and_not_without_it() {
    let p = remote_only(", network_delay_s: 6");
    let mut rep = Replication::new();
    let mut fired = 0;
    for run in 0..10 {
        let mut log = Log::default();
        rep.run_with(&p, 5, run, &DefaultPolicy, &mut log);
        let mut tracked = [f64::INFINITY; 6];
        for e in &log.0 {
            match *e {
                EngineEvent::Track { time_s, threat, .. } => {
                    tracked[threat] = tracked[threat].min(time_s);
                }
                EngineEvent::InterceptorLaunch { time_s, threat, .. } => {
                    fired += 1;
                    // The network delay, then the battery's reaction (5 s at the least).
                    assert!(
                        time_s >= tracked[threat] + 6.0 + 5.0,
                        "run {run}: threat {threat} tracked at {} s, fired at {time_s} s",
                        tracked[threat]
                    );
                }
                _ => {}
            }
        }
    }
    assert!(
        fired >= 30,
        "{fired} salvos at 60 threats fired on remote tracks"
    );
    // Without the network, on its own radar, which never sees the raid: never fired at, and
    // each threat, tracked by a radar the battery cannot fire on, leaks for want of a window.
    let p = remote_only(", radar: blind, remote_tracks: false");
    for run in 0..10 {
        let o = rep.run(&p, 5, run);
        for t in &o.threats {
            assert_eq!((t.shots, t.leak_cause), (0, Some(LeakCause::NoWindow)));
        }
    }
}
