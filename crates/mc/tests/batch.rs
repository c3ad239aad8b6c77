//! Batches: the same numbers on any number of threads, run k alone equals run k in a batch.

use std::path::Path;

use skyshield_engine::{Replication, prepare};
use skyshield_mc::{BatchOptions, run_batch};

fn default_scenario() -> skyshield_engine::Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    prepare(&scenario).expect("the default scenario prepares")
}

#[test]
fn one_and_two_threads_give_identical_statistics_and_rows() {
    let prepared = default_scenario();
    let run = |threads| {
        let opts = BatchOptions {
            runs: 100,
            seed: 7,
            threads,
            keep_runs: true,
            sample_parameters: true,
        };
        run_batch(&prepared, &opts, &mut |_, _| {})
    };
    let (mut one, rows_one) = run(1);
    let (two, rows_two) = run(2);
    assert_eq!(one.timing.threads, 1);
    assert_eq!(two.timing.threads, 2);
    one.timing = two.timing.clone();
    assert_eq!(one, two);
    assert_eq!(rows_one, rows_two);
    assert_eq!(rows_one.len(), 100);
    assert!(rows_one.iter().enumerate().all(|(k, r)| r.run == k as u64));
}

#[test]
fn run_k_alone_equals_run_k_in_a_batch() {
    let prepared = default_scenario();
    let opts = BatchOptions {
        runs: 40,
        seed: 11,
        threads: 2,
        keep_runs: true,
        sample_parameters: true,
    };
    let (_, rows) = run_batch(&prepared, &opts, &mut |_, _| {});
    let mut rep = Replication::new().with_parameter_sampling(true);
    for k in [0u64, 17, 39] {
        let outcome = rep.run(&prepared, 11, k).clone();
        let row = &rows[k as usize];
        assert_eq!(
            row.leakers as usize,
            outcome.count(skyshield_engine::Fate::Leaked),
            "run {k}"
        );
        assert_eq!(
            row.intercepted as usize,
            outcome.count(skyshield_engine::Fate::Intercepted),
            "run {k}"
        );
        assert_eq!(
            row.defense_cost_usd.to_bits(),
            outcome.defense_cost_usd.to_bits(),
            "run {k}"
        );
        let shots: u32 = outcome.batteries.iter().map(|b| b.shots).sum();
        assert_eq!(row.shots.iter().sum::<u32>(), shots, "run {k}");
    }
}

#[test]
fn parameter_sampling_changes_runs_and_nominal_runs_repeat() {
    let prepared = default_scenario();
    let batch = |sample| {
        let opts = BatchOptions {
            runs: 64,
            seed: 3,
            threads: 2,
            keep_runs: false,
            sample_parameters: sample,
        };
        run_batch(&prepared, &opts, &mut |_, _| {}).0
    };
    let (nominal, again, sampled) = (batch(false), batch(false), batch(true));
    assert_eq!(nominal.leakers, again.leakers);
    assert_ne!(nominal.leakers.histogram, sampled.leakers.histogram);
}
