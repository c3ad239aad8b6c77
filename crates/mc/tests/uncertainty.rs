//! Chance and parameters, apart and together, against closed forms on an abstract scenario.

use std::path::Path;

use skyshield_engine::{Fate, ParameterSpace, Replication, prepare};
use skyshield_mc::{BatchOptions, Execution, Overrides, Summary, Uncertainty, run_uncertain};

/// Ten warheads against one layer firing one interceptor at each, tracked always, whose kill
/// probability alone has a range: triangular on [0.5, 0.9] with its mode at 0.6.
const ONE_RANGE: &str = "name: one range\nkind: abstract\nseed: 5\nruns: 100\nthreats: 10\n\
    tracking: common\nlayers:\n  - {id: only, kill_probability: {low: 0.5, nominal: 0.6, high: 0.9}, shots_per_engagement: 1}\n";

const N: f64 = 10.0;
const LOW: f64 = 0.5;
const MODE: f64 = 0.6;
const HIGH: f64 = 0.9;
/// Standard errors of a statistical bound at a fixed seed.
const Z: f64 = 4.0;

fn run(mode: Uncertainty, sets: u64, runs: u64) -> Summary {
    let sc = skyshield_scenario::from_str(ONE_RANGE, Path::new("one.yaml")).expect("valid");
    let prepared = prepare(&sc).expect("prepares");
    let overrides = Overrides {
        runs: Some(runs),
        ..Overrides::default()
    };
    let opts = BatchOptions::new(&prepared, overrides);
    let summary = run_uncertain(&sc, &prepared, mode, sets, &opts, Execution::default())
        .expect("runs")
        .summary;
    // The preparation of the nominal scenario and, when parameters are drawn, of each set.
    let nominal = prepared.prepare_s;
    if matches!(mode, Uncertainty::Parameters | Uncertainty::Both) {
        assert!(summary.timing.prepare_s > nominal, "{:?}", summary.timing);
    } else {
        assert_eq!(summary.timing.prepare_s, nominal);
    }
    summary
}

/// Mean and variance of the triangular distribution of the kill probability.
fn triangular_moments() -> (f64, f64) {
    let mean = (LOW + MODE + HIGH) / 3.0;
    let var =
        (LOW * LOW + MODE * MODE + HIGH * HIGH - LOW * MODE - LOW * HIGH - MODE * HIGH) / 18.0;
    (mean, var)
}

#[test]
fn with_parameters_only_the_leakers_spread_is_that_of_the_closed_form_over_the_range() {
    // Given the kill probability p, leakers are binomial (N, 1 - p): their mean N (1 - p)
    // spreads over the sets as p does, with mean N (1 - E p) and standard deviation N sd(p).
    let sets = 400;
    let s = run(Uncertainty::Parameters, sets, sets * 200);
    let u = s.uncertainty.expect("the split");
    assert_eq!((u.parameter_sets, u.runs_per_set), (sets, 200));
    let (mean_p, var_p) = triangular_moments();
    let sd = N * var_p.sqrt();
    let mean = N * (1.0 - mean_p);
    // The mean of the sets' means, within its standard error.
    let set_mean = u.set_means.iter().sum::<f64>() / sets as f64;
    let se_mean = sd / (sets as f64).sqrt();
    assert!(
        (set_mean - mean).abs() < Z * se_mean,
        "mean {set_mean} vs {mean} ± {se_mean}"
    );
    // Their standard deviation, within the standard error of a sample standard deviation
    // (excess kurtosis of a triangular distribution: -0.6).
    let got = u.parameters_sd.expect("a parameter spread");
    let se_sd = sd * ((2.0 + -0.6) / (4.0 * sets as f64)).sqrt();
    assert!((got - sd).abs() < Z * se_sd, "sd {got} vs {sd} ± {se_sd}");
    // No part of it is put down to chance: the sets share theirs.
    assert_eq!(u.chance_sd, None);
}

#[test]
fn both_splits_the_variance_into_the_closed_forms_of_chance_and_parameters() {
    // Law of total variance: chance adds E[N p (1 - p)] and parameters N² Var(p).
    let sets = 200;
    let s = run(Uncertainty::Both, sets, sets * 100);
    let u = s.uncertainty.expect("the split");
    let (mean_p, var_p) = triangular_moments();
    let within = N * (mean_p - (var_p + mean_p * mean_p));
    let chance = u.chance_sd.expect("chance").powi(2);
    // The mean of 200 sample variances of 100 binomial counts: relative error about
    // sqrt(2 / (200 × 99)).
    let se = within * (2.0 / (sets as f64 * 99.0)).sqrt();
    assert!(
        (chance - within).abs() < Z * se,
        "chance variance {chance} vs {within} ± {se}"
    );
    let parameters = u.parameters_sd.expect("parameters");
    let sd = N * var_p.sqrt();
    let se_sd = sd * (1.4 / (4.0 * sets as f64)).sqrt() + (within / 100.0).sqrt();
    assert!(
        (parameters - sd).abs() < Z * se_sd,
        "sd {parameters} vs {sd} ± {se_sd}"
    );
    assert_eq!(s.runs, sets * 100);
}

#[test]
fn chance_plays_the_nominal_values_and_nominal_one_run() {
    let s = run(Uncertainty::Chance, 10, 4000);
    let u = s.uncertainty.expect("the split");
    assert_eq!((u.parameter_sets, s.runs), (1, 4000));
    // Binomial (10, 0.4) at the nominal kill probability.
    let se = (N * 0.4 * 0.6 / 4000.0).sqrt();
    assert!((s.leakers.mean - 4.0).abs() < Z * se, "{}", s.leakers.mean);
    assert_eq!(u.parameters_sd, None);
    let one = run(Uncertainty::Nominal, 10, 4000);
    assert_eq!(one.runs, 1);
    assert_eq!(one.uncertainty.expect("the split").chance_sd, None);
}

#[test]
fn a_batch_over_parameter_sets_gives_the_same_numbers_on_any_thread_count() {
    let sc = skyshield_scenario::from_str(ONE_RANGE, Path::new("one.yaml")).expect("valid");
    let prepared = prepare(&sc).expect("prepares");
    let summary = |threads| {
        let overrides = Overrides {
            runs: Some(3000),
            threads: Some(threads),
            ..Overrides::default()
        };
        let opts = BatchOptions::new(&prepared, overrides);
        let mut s = run_uncertain(
            &sc,
            &prepared,
            Uncertainty::Both,
            7,
            &opts,
            Execution::default(),
        )
        .expect("runs")
        .summary;
        s.timing = skyshield_mc::Timing {
            wall_s: 0.0,
            runs_per_s: 0.0,
            threads: 0,
            prepare_s: 0.0,
        };
        s
    };
    assert_eq!(summary(1), summary(2));
}

/// Run `g` of a batch over parameter sets plays set `g / runs_per_set` with the chance of run
/// `g`; when only the parameters vary, with that of run `g % runs_per_set`, so that every set
/// replays the same chance.
#[test]
fn each_run_plays_its_parameter_set_with_the_chance_its_mode_gives() {
    let sc = skyshield_scenario::from_str(ONE_RANGE, Path::new("one.yaml")).expect("valid");
    let prepared = prepare(&sc).expect("prepares");
    let space = ParameterSpace::of(&sc);
    let (sets, runs_per_set) = (3, 8);
    let mut rep = Replication::new();
    for mode in [Uncertainty::Parameters, Uncertainty::Both] {
        let overrides = Overrides {
            runs: Some(sets * runs_per_set),
            threads: Some(2),
            keep_runs: true,
            ..Overrides::default()
        };
        let opts = BatchOptions::new(&prepared, overrides);
        let batch =
            run_uncertain(&sc, &prepared, mode, sets, &opts, Execution::default()).expect("runs");
        assert_eq!(batch.rows.len() as u64, sets * runs_per_set);
        let set_of = |j| {
            space
                .prepare(&sc, &space.draw(opts.seed, j))
                .expect("prepares")
        };
        let played: Vec<_> = (0..sets).map(set_of).collect();
        for (g, row) in (0..).zip(&batch.rows) {
            let chance = match mode {
                Uncertainty::Parameters => g % runs_per_set,
                _ => g,
            };
            let o = rep.run(&played[(g / runs_per_set) as usize], opts.seed, chance);
            assert_eq!(row.run, chance, "{mode:?}, run {g}");
            assert_eq!(
                [row.leakers, row.intercepted].map(|n| n as usize),
                [o.count(Fate::Leaked), o.count(Fate::Intercepted)],
                "{mode:?}, run {g}"
            );
        }
    }
}
