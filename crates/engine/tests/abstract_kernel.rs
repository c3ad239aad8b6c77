//! The kernel of abstract scenarios against the battle manager: the same prepared scenario,
//! played by each (the battle manager once its plan is removed), gives the same distribution of
//! every figure of a run; and the kernel's draws are keyed so that runs replay alone and
//! variants share the draws of what they have in common.
//!
//! Statistical checks use fixed seeds and compare two independent samples within `Z` standard
//! errors of their difference.

mod common;

use common::{Log, mean_se};

use std::path::Path;

use skyshield_core::{Stream, splitmix64, stream_seed};
use skyshield_engine::{
    ASSESSMENT_DELAY_S, BatteryTally, DefaultPolicy, EngineEvent, Fate, LeakCause, Outcome,
    Prepared, Replication, SensorKind, Tally, ThreatOutcome, prepare,
};

/// Standard errors of a difference within which the two samples must agree: about 6e-5 per
/// check for a correct kernel (two-sided normal tail).
const Z: f64 = 4.0;

fn prepared(text: &str) -> Prepared {
    let sc = skyshield_scenario::from_str(text, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"));
    prepare(&sc).expect("prepares")
}

/// The figures of a run that the kernel must reproduce in distribution: per fate, per leak
/// cause, and per layer its shots, kills and rounds left.
fn figures(o: &Outcome) -> Vec<f64> {
    let mut f: Vec<f64> = o.counts().iter().map(|&c| c as f64).collect();
    f.extend(o.leak_causes().iter().map(|&c| c as f64));
    for b in &o.batteries {
        f.extend([
            f64::from(b.shots),
            f64::from(b.kills),
            f64::from(b.rounds_left.min(1_000_000)),
        ]);
    }
    f
}

/// Per figure, its values over `runs` runs of `p` under `seed`.
fn sample(p: &Prepared, seed: u64, runs: u64) -> Vec<Vec<f64>> {
    let mut rep = Replication::new().with_parameter_sampling(true);
    let mut out: Vec<Vec<f64>> = Vec::new();
    for run in 0..runs {
        let f = figures(rep.run(p, seed, run));
        out.resize(f.len(), Vec::new());
        for (column, x) in out.iter_mut().zip(f) {
            column.push(x);
        }
    }
    out
}

/// Plays `text` with the kernel and with the battle manager and compares every figure.
fn agrees(text: &str) {
    let kernel = prepared(text);
    assert!(kernel.abstract_plan.is_some(), "an abstract plan");
    let mut manager = kernel.clone();
    manager.abstract_plan = None;
    let runs = 3_000;
    let (a, b) = (sample(&kernel, 11, runs), sample(&manager, 12, runs));
    let names: Vec<String> =
        ["intercepted", "leaked", "ignored", "failed"]
            .iter()
            .map(|s| s.to_string())
            .chain(LeakCause::ALL.iter().map(|c| c.name().to_string()))
            .chain(kernel.batteries.iter().flat_map(|bat| {
                ["shots", "kills", "rounds left"].map(|k| format!("{} {k}", bat.id))
            }))
            .collect();
    for ((x, y), name) in a.iter().zip(&b).zip(&names) {
        let ((mx, sx), (my, sy)) = (mean_se(x), mean_se(y));
        let se = sx.hypot(sy);
        assert!(
            (mx - my).abs() <= Z * se + 1e-9,
            "{name}: kernel {mx} ± {sx}, battle manager {my} ± {sy}\n{text}"
        );
    }
}

#[test]
fn one_salvo_on_a_common_track_plays_as_through_the_battle_manager() {
    agrees(
        "name: a\nkind: abstract\nthreats: 40\ntracking: common\ntracking_probability: 0.8\n\
         layers:\n  - {id: l, kill_probability: 0.6, shots_per_engagement: 2}\n",
    );
}

#[test]
fn shoot_look_shoot_with_a_fallible_assessment_and_short_rounds_plays_as_through_the_battle_manager()
 {
    agrees(
        "name: b\nkind: abstract\nthreats: 30\ntracking: common\ntracking_probability: 0.9\n\
         kill_assessment_probability: 0.7\n\
         layers:\n  - {id: upper, kill_probability: 0.5, reliability: 0.9, shots_per_engagement: 2, engagements: 2, rounds: 40}\n  \
         - {id: lower, kill_probability: {low: 0.4, nominal: 0.6, high: 0.7}, shots_per_engagement: 3, rounds: 25}\n",
    );
}

#[test]
fn independent_layers_with_short_rounds_play_as_through_the_battle_manager() {
    agrees(
        "name: c\nkind: abstract\nthreats: 30\ntracking: independent\nkill_assessment_probability: 0.8\n\
         layers:\n  - {id: upper, kill_probability: 0.5, shots_per_engagement: 2, tracking_probability: 0.6, rounds: 30}\n  \
         - {id: lower, kill_probability: 0.7, tracking_probability: {low: 0.5, nominal: 0.7, high: 0.8}, rounds: 12}\n",
    );
}

#[test]
fn a_run_replays_alone_and_its_events_come_in_time_order() {
    let p = prepared(
        "name: d\nkind: abstract\nthreats: 20\ntracking: independent\nkill_assessment_probability: 0.8\n\
         layers:\n  - {id: upper, kill_probability: 0.5, tracking_probability: 0.7, engagements: 2}\n  \
         - {id: lower, kill_probability: 0.7, tracking_probability: 0.9}\n",
    );
    let mut rep = Replication::new();
    let runs: Vec<Outcome> = (0..5).map(|k| rep.run(&p, 3, k).clone()).collect();
    let mut alone = Replication::new();
    assert_eq!(alone.run(&p, 3, 3).threats, runs[3].threats);
    assert_ne!(runs[3].threats, runs[4].threats, "runs differ");
    let mut log = Log::default();
    let observed = alone.run_with(&p, 3, 3, &DefaultPolicy, &mut log).clone();
    assert_eq!(
        observed.threats, runs[3].threats,
        "observing changes nothing"
    );
    let time = |e: &EngineEvent| match *e {
        EngineEvent::Launch { time_s, .. }
        | EngineEvent::Track { time_s, .. }
        | EngineEvent::InterceptorLaunch { time_s, .. }
        | EngineEvent::Intercept { time_s, .. }
        | EngineEvent::Assessment { time_s, .. }
        | EngineEvent::Impact { time_s, .. } => time_s,
        other => panic!("an abstract run reports no {other:?}"),
    };
    assert!(log.0.windows(2).all(|w| time(&w[0]) <= time(&w[1])));
    // Every threat launches once and ends once: by a kill or by an impact.
    let launches = log
        .0
        .iter()
        .filter(|e| matches!(e, EngineEvent::Launch { .. }));
    assert_eq!(launches.count(), 20);
    let kills = log
        .0
        .iter()
        .filter(|e| matches!(e, EngineEvent::Intercept { killed: true, .. }))
        .count();
    let impacts = log
        .0
        .iter()
        .filter(|e| matches!(e, EngineEvent::Impact { .. }))
        .count();
    assert_eq!(kills, observed.count(Fate::Intercepted));
    assert_eq!(kills + impacts, 20);
}

#[test]
fn an_inner_layer_added_changes_nothing_of_the_outer_one() {
    let one = "name: e\nkind: abstract\nthreats: 50\ntracking: independent\nkill_assessment_probability: 0.8\n\
               layers:\n  - {id: upper, kill_probability: 0.5, shots_per_engagement: 2, tracking_probability: 0.7}\n";
    let two = format!(
        "{one}  - {{id: lower, kill_probability: 0.6, tracking_probability: 0.9, engagements: 2}}\n"
    );
    let (p1, p2) = (prepared(one), prepared(&two));
    let (mut r1, mut r2) = (Replication::new(), Replication::new());
    let mut saved = 0;
    for run in 0..20 {
        let (a, b) = (r1.run(&p1, 9, run).clone(), r2.run(&p2, 9, run).clone());
        assert_eq!(a.batteries[0], b.batteries[0], "run {run}: the upper layer");
        for (i, (x, y)) in a.threats.iter().zip(&b.threats).enumerate() {
            if x.fate == Fate::Intercepted {
                assert_eq!(x, y, "run {run}, threat {i}");
            } else {
                // Left to the lower layer, with the shots of the upper one.
                assert!(y.shots >= x.shots, "run {run}, threat {i}");
                saved += usize::from(y.fate == Fate::Intercepted);
            }
        }
    }
    assert!(saved > 0, "the lower layer killed nothing");
}

#[test]
fn an_outer_layer_added_leaves_the_draws_of_the_inner_one() {
    // Perfect tracking and assessment: the inner layer's kills of the threats that the outer
    // one missed are the same draws with or without it.
    let inner = "  - {id: lower, kill_probability: 0.6, shots_per_engagement: 2}\n";
    let one = format!("name: f\nkind: abstract\nthreats: 50\nlayers:\n{inner}");
    let two = format!(
        "name: f\nkind: abstract\nthreats: 50\nlayers:\n  - {{id: upper, kill_probability: 0.5}}\n{inner}"
    );
    let (p1, p2) = (prepared(&one), prepared(&two));
    let (mut r1, mut r2) = (Replication::new(), Replication::new());
    let mut compared = 0;
    for run in 0..20 {
        let (a, b) = (r1.run(&p1, 4, run).clone(), r2.run(&p2, 4, run).clone());
        for (x, y) in a.threats.iter().zip(&b.threats) {
            if y.battery != Some(0) {
                assert_eq!(x.fate, y.fate, "run {run}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared} threats left to the inner layer");
}

/// Each run of the kernel, its events and its count of mixes are those that its documentation
/// states, worked out threat by threat and shot by shot: tracking, salvos of one to five
/// shots, rounds for every threat and short rounds, a fallible, a perfect and a blind kill
/// assessment, common and independent tracking, probabilities of 0 and 1; and its costs, at
/// prices set for the test. Every cause an abstract threat can leak by comes up.
#[test]
fn each_run_makes_the_draws_the_kernel_documents() {
    let texts = [
        "name: a\nkind: abstract\nthreats: 83\ntracking: common\ntracking_probability: 0.8\n\
         layers:\n  - {id: l, kill_probability: 0.6, shots_per_engagement: 2}\n",
        "name: b\nkind: abstract\nthreats: 97\ntracking: common\ntracking_probability: 0.9\n\
         kill_assessment_probability: 0.7\n\
         layers:\n  - {id: upper, kill_probability: 0.5, shots_per_engagement: 2, engagements: 2, rounds: 90}\n  \
         - {id: lower, kill_probability: 0.6, shots_per_engagement: 3, rounds: 40}\n",
        "name: c\nkind: abstract\nthreats: 70\ntracking: independent\nkill_assessment_probability: 0.0\n\
         layers:\n  - {id: upper, kill_probability: 1.0, tracking_probability: 0.6, rounds: 30}\n  \
         - {id: blind, kill_probability: 0.9, tracking_probability: 0.0}\n  \
         - {id: lower, kill_probability: 0.3, shots_per_engagement: 5, tracking_probability: 0.5}\n  \
         - {id: inner, kill_probability: 0.7, shots_per_engagement: 4, tracking_probability: 1.0, rounds: 11}\n",
    ];
    let mut causes = Vec::new();
    for text in texts {
        let mut p = prepared(text);
        // Prices, which abstract scenarios leave at 0.
        p.types[0].cost_usd = 20_000.0;
        for (l, battery) in p.batteries.iter_mut().enumerate() {
            battery.cost_usd = 1e6 * (l + 1) as f64;
        }
        let mut rep = Replication::new();
        for run in 0..40 {
            let (expected, events, mixes) = by_the_book(&p, 11, run);
            let o = rep.run(&p, 11, run).clone();
            assert_eq!(
                format!("{o:?}"),
                format!("{expected:?}"),
                "{} run {run}",
                p.name
            );
            assert_eq!(rep.abstract_draws(), mixes, "{} run {run}", p.name);
            let mut log = Log::default();
            rep.run_with(&p, 11, run, &DefaultPolicy, &mut log);
            let text = |e: &EngineEvent| format!("{e:?}");
            let mut seen: Vec<String> = log.0.iter().map(text).collect();
            let mut events: Vec<String> = events.iter().map(text).collect();
            // A threat's launch comes before its tracks at the same instant.
            for (k, e) in log.0.iter().enumerate() {
                if let EngineEvent::Track { threat, .. } = *e {
                    let launch = EngineEvent::Launch {
                        time_s: 0.0,
                        threat,
                    };
                    assert!(log.0[..k].contains(&launch), "{} run {run}", p.name);
                }
            }
            seen.sort();
            events.sort();
            assert_eq!(seen, events, "{} run {run}", p.name);
            causes.extend(o.threats.iter().filter_map(|t| t.leak_cause));
        }
    }
    for cause in [
        LeakCause::NeverDetected,
        LeakCause::JudgedKilledWrongly,
        LeakCause::AllShotsMissed,
        LeakCause::NoRounds,
    ] {
        assert!(causes.contains(&cause), "no {cause:?} in the runs");
    }
}

/// SplitMix64's increment: the `k`th mix of a salvo mixes `k` times it into its key.
const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// Whether an event of probability `p` happens by the 32-bit draw `u`: `u` below `p` scaled
/// to 2³², truncated.
fn happens(p: f64, u: u32) -> bool {
    u64::from(u) < threshold(p)
}

fn threshold(p: f64) -> u64 {
    (p.clamp(0.0, 1.0) * 4_294_967_296.0) as u64
}

/// Whether an event of probability `p` can go either way, and so is drawn.
fn drawn(p: f64) -> bool {
    (1..1 << 32).contains(&threshold(p))
}

/// The high and low halves of the mix of `word`.
fn halves(word: u64) -> (u32, u32) {
    let h = splitmix64(word);
    ((h >> 32) as u32, h as u32)
}

/// Run `run` of abstract scenario `p` (with nominal parameters) under `seed` as the kernel's
/// documentation states it, threat by threat and shot by shot: its outcome, every event it
/// reports (in no particular order) and the mixes it makes.
fn by_the_book(p: &Prepared, seed: u64, run: u64) -> (Outcome, Vec<EngineEvent>, u64) {
    let plan = p.abstract_plan.as_ref().expect("abstract");
    let nominal = |id| p.parameters.range(id).nominal;
    let (detection, kill, assessment) = (
        stream_seed(seed, run, Stream::Detection),
        stream_seed(seed, run, Stream::Kill),
        stream_seed(seed, run, Stream::Assessment),
    );
    let mut events = Vec::new();
    let mut mixes = 0;
    let nt = plan.threat_keys.len();
    // Tracking: the high half of the mix of the stream's seed, the sensor's key and the
    // threat's key.
    let mut tracked = Vec::new();
    for (s, (sensor, &sensor_key)) in p.sensors.iter().zip(&plan.sensor_keys).enumerate() {
        let SensorKind::Given {
            tracking_probability,
        } = sensor.kind
        else {
            panic!("an abstract sensor")
        };
        let pt = nominal(tracking_probability);
        mixes += if drawn(pt) { nt as u64 } else { 0 };
        let by_sensor: Vec<bool> = plan
            .threat_keys
            .iter()
            .map(|&k| happens(pt, halves(detection ^ sensor_key ^ k).0))
            .collect();
        for (threat, _) in by_sensor.iter().enumerate().filter(|(_, t)| **t) {
            events.push(EngineEvent::Track {
                time_s: 0.0,
                sensor: s,
                threat,
            });
        }
        tracked.push(by_sensor);
    }
    let seen_alive = nominal(p.kill_assessment_probability);
    let mut batteries = vec![BatteryTally::default(); p.batteries.len()];
    let mut shots = vec![0u32; nt];
    let mut defense_cost_usd = 0.0;
    // Per threat: the rank of the end of the engagement that killed it, judged killed, fired
    // at, a layer that tracked it out of rounds, a layer without its track.
    let mut state = vec![(0usize, false, false, false, false); nt];
    let mut rank = 0;
    for (l, engagement_keys) in plan.engagement_keys.iter().enumerate() {
        let battery = &p.batteries[l];
        let pk = nominal(battery.kill_probability(p.types[0].class));
        let full = battery.salvo.max(1);
        let mut rounds = battery.rounds;
        let windows = &p.opportunities[0][l].windows;
        for (&engagement, window) in engagement_keys.iter().zip(windows) {
            rank += 1;
            for (i, &key) in plan.threat_keys.iter().enumerate() {
                let (end, judged_killed, fired_at, no_rounds, no_window) = &mut state[i];
                if !tracked.iter().any(|t| t[i]) || *end > 0 || *judged_killed {
                    continue;
                }
                if !tracked[plan.layer_sensor[l]][i] {
                    *no_window = true;
                    continue;
                }
                if rounds == 0 {
                    *no_rounds = true;
                    continue;
                }
                let n = full.min(rounds);
                rounds -= n;
                *fired_at = true;
                shots[i] += n;
                batteries[l].shots += n;
                mixes += if drawn(pk) {
                    u64::from(n.div_ceil(2))
                } else {
                    0
                };
                let killed = (0..n).any(|shot| {
                    let pair = u64::from(shot / 2).wrapping_mul(GOLDEN_GAMMA);
                    let (high, low) = halves(kill ^ engagement ^ key ^ pair);
                    happens(pk, if shot % 2 == 0 { high } else { low })
                });
                let (launch_s, intercept_s) = (window.launch.as_s(), window.intercept.as_s());
                let ground = window.ground.point();
                events.push(EngineEvent::InterceptorLaunch {
                    time_s: launch_s,
                    battery: l,
                    threat: i,
                    shots: n,
                    intercept_s,
                });
                events.push(EngineEvent::Intercept {
                    time_s: intercept_s,
                    battery: l,
                    threat: i,
                    killed,
                    lat_deg: ground.lat_deg(),
                    lon_deg: ground.lon_deg(),
                    height_m: window.height_m,
                });
                if killed {
                    *end = rank;
                    batteries[l].kills += 1;
                } else {
                    mixes += u64::from(drawn(seen_alive));
                    let alive = happens(seen_alive, halves(assessment ^ engagement ^ key).0);
                    *judged_killed = !alive;
                    events.push(EngineEvent::Assessment {
                        time_s: intercept_s + ASSESSMENT_DELAY_S,
                        threat: i,
                        seen_alive: alive,
                    });
                }
            }
        }
        batteries[l].rounds_left = rounds;
        defense_cost_usd += f64::from(batteries[l].shots) * battery.cost_usd;
    }
    let mut threats = Vec::new();
    for (i, &(end, judged_killed, fired_at, no_rounds, no_window)) in state.iter().enumerate() {
        let mut t = ThreatOutcome {
            shots: shots[i],
            ..plan.ends[end]
        };
        events.push(EngineEvent::Launch {
            time_s: 0.0,
            threat: i,
        });
        if end == 0 {
            events.push(EngineEvent::Impact {
                time_s: t.time_s,
                threat: i,
                lat_deg: t.lat_deg,
                lon_deg: t.lon_deg,
                asset: None,
            });
            t.leak_cause = Some(if !tracked.iter().any(|tr| tr[i]) {
                LeakCause::NeverDetected
            } else if fired_at && judged_killed {
                LeakCause::JudgedKilledWrongly
            } else if fired_at {
                LeakCause::AllShotsMissed
            } else if no_rounds {
                LeakCause::NoRounds
            } else if no_window {
                LeakCause::NoWindow
            } else {
                LeakCause::TrackedTooLate
            });
        }
        threats.push(t);
    }
    let outcome = Outcome {
        run,
        tally: Tally::of(&threats),
        threats,
        batteries,
        defense_cost_usd,
        offense_cost_usd: p.types[0].cost_usd * nt as f64,
        ..Outcome::default()
    };
    (outcome, events, mixes)
}
