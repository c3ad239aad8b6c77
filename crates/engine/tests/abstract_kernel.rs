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

use skyshield_engine::{
    DefaultPolicy, EngineEvent, Fate, LeakCause, Outcome, Prepared, Replication, prepare,
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
