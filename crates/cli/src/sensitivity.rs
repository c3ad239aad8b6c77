//! `skyshield sensitivity`: which uncertain parameter of a scenario moves a metric most.
//!
//! The parameters are those of the scenario's [`ParameterSpace`]; a point `u` of the unit cube
//! fixes each at the `u`-quantile of its triangular range (so the designs sample the same
//! distribution as the runs draw from). Every parameter set is played with the same seed and
//! runs (common random numbers), each batch on one thread, the sets in parallel: the numbers
//! are the same on any thread count.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use skyshield_analysis::morris::{MorrisOptions, morris_analyse, morris_sample, rank};
use skyshield_analysis::sobol::{SobolOptions, sobol_analyse, sobol_sample};
use skyshield_engine::{ParameterSet, ParameterSpace, triangular};
use skyshield_mc::{Batch, BatchOptions, CancelToken, Execution, Overrides, map_runs, run_batch};
use skyshield_report::sensitivity::{RankedParameter, SENSITIVITY_JSON, Sensitivity, num};
use skyshield_scenario::Scenario;

use crate::limits::ScenarioLimitArgs;
use crate::run::{LintArgs, load, progress_bar};
use crate::{Format, InputError};

/// The number of parameter sets the default design sizes aim at: about a minute on 2 cores for
/// a library scenario, whose sets take 0.1 to 0.4 s each to prepare and play.
const DEFAULT_SETS: u64 = 400;

/// The default size of a design of `per` sets per unit: `preferred` units, fewer when that
/// exceeds [`DEFAULT_SETS`], never fewer than 4.
fn default_size(preferred: u64, per: usize) -> usize {
    preferred.min(DEFAULT_SETS / per as u64).max(4) as usize
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Morris elementary effects: a ranking from `trajectories × (parameters + 1)` sets.
    Morris,
    /// Sobol first-order and total indices from `samples × (parameters + 2)` sets.
    Sobol,
}

#[derive(Debug, clap::Args)]
pub struct SensitivityArgs {
    /// The scenario (YAML).
    scenario: PathBuf,
    /// The metric: a path to a number in the Summary JSON (`leakers.mean`,
    /// `by_layer.pac-3-mse.shots`, `cost_usd.defense`, ...).
    #[arg(long)]
    metric: String,
    /// The method.
    #[arg(long, value_enum, default_value_t = Method::Morris)]
    method: Method,
    /// Morris trajectories (default: 10, fewer for many parameters, at least 4, to stay near
    /// 400 parameter sets).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..10_000))]
    trajectories: Option<u64>,
    /// Sobol base samples (default: 16, fewer for many parameters, at least 4, to stay near 400
    /// parameter sets; a power of two balances the Sobol sequence).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..65_537))]
    samples: Option<u64>,
    /// Replications per parameter set.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..1_000_000))]
    runs: u64,
    /// Master seed of the runs and of the design (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Also write the result to DIR/sensitivity.json: in the folder of a `run --out`, `skyshield
    /// report DIR` shows it beside the run (a later `run --out DIR` replaces the folder whole).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    lints: LintArgs,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
}

/// A scenario and its parameter space, played at parameter sets.
pub(crate) struct Model {
    pub scenario: Scenario,
    pub space: ParameterSpace,
    pub runs: u64,
}

impl Model {
    /// The set of unit point `u`: each parameter at the `u_i`-quantile of its range.
    pub fn set(&self, u: &[f64]) -> ParameterSet {
        ParameterSet::from_values(
            self.space
                .parameters()
                .iter()
                .zip(u)
                .map(|(p, &u)| triangular(p.range.low, p.range.nominal, p.range.high, u))
                .collect(),
        )
    }

    /// The scenario played at `set` on one thread, every run kept, with the ids of its assets
    /// (in the order of a run's hits).
    pub fn play(&self, set: &ParameterSet, seed: u64) -> Result<(Batch, Vec<String>)> {
        let prepared = self.space.prepare(&self.scenario, set)?;
        let opts = BatchOptions::new(
            &prepared,
            Overrides {
                runs: Some(self.runs),
                seed: Some(seed),
                threads: Some(1),
                nominal: false,
                keep_runs: true,
                sample_runs: None,
            },
        );
        let batch = run_batch(&prepared, &opts, Execution::default())?;
        Ok((batch, prepared.asset_ids.clone()))
    }
}

/// `f(k)` for `k` in `0..n` on `threads` threads, in order, with a progress bar of `what`.
pub(crate) fn map_sets<T: Send>(
    n: usize,
    threads: usize,
    what: &str,
    f: impl Fn(usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let bar = progress_bar(n as u64, what);
    let mut progress = |done, _total| bar.set_position(done);
    let out = map_runs(
        n as u64,
        threads,
        &CancelToken::new(),
        || (),
        |_, k| f(k as usize).map_err(|e| format!("{e:#}")),
        &mut progress,
    )?;
    bar.finish_and_clear();
    out.into_iter()
        .collect::<std::result::Result<Vec<T>, String>>()
        .map_err(anyhow::Error::msg)
}

/// The number at `path` (keys and array indices separated by dots) in `json`.
pub(crate) fn at_path(json: &serde_json::Value, path: &str) -> Option<f64> {
    path.split('.')
        .try_fold(json, |v, k| match v {
            serde_json::Value::Array(a) => k.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => v.get(k),
        })
        .and_then(serde_json::Value::as_f64)
}

pub fn run(args: &SensitivityArgs) -> Result<ExitCode> {
    let (scenario, _) = load(Some(&args.scenario), &args.limits.limits(None), args.lints)?;
    let space = ParameterSpace::of(&scenario);
    let k = space.parameters().len();
    if k == 0 {
        return Err(InputError(format!(
            "{}: no parameter has a range (`{{low, nominal, high}}`); there is nothing to vary",
            args.scenario.display()
        ))
        .into());
    }
    let seed = args.seed.unwrap_or(scenario.seed);
    let model = Model {
        scenario,
        space,
        runs: args.runs,
    };
    let threads = args.threads.map_or(0, |t| t as usize);
    // The metric is checked on the nominal set before the design is played.
    let (nominal, _) = model.play(&model.space.nominal(), seed)?;
    metric_of(&nominal, &args.metric).map_err(|e| InputError(format!("--metric: {e}")))?;
    let points = match args.method {
        Method::Morris => morris_sample(k, &morris_options(args, k, seed))?,
        Method::Sobol => sobol_sample(k, &sobol_options(args, k, seed))?,
    };
    let outputs = map_sets(points.len(), threads, "parameter sets", |i| {
        let (batch, _) = model.play(&model.set(&points[i]), seed)?;
        metric_of(&batch, &args.metric)
            .map_err(anyhow::Error::msg)
            .with_context(|| format!("parameter set {i}"))
    })?;
    let (order, indices, ranked_by): (Vec<usize>, Vec<serde_json::Value>, &str) = match args.method
    {
        Method::Morris => {
            let m = morris_analyse(&points, &outputs, &morris_options(args, k, seed))?;
            let json = m
                .iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            (rank(&m), json, "mu_star")
        }
        Method::Sobol => {
            let s = sobol_analyse(k, &outputs, &sobol_options(args, k, seed))?;
            let mut order: Vec<usize> = (0..k).collect();
            order.sort_by(|&a, &b| s[b].total.value.total_cmp(&s[a].total.value));
            let json = s
                .iter()
                .map(|s| {
                    serde_json::json!({"S1": s.first.value, "S1_ci": s.first.ci,
                        "ST": s.total.value, "ST_ci": s.total.ci})
                })
                .collect();
            (order, json, "ST")
        }
    };
    let output = Sensitivity {
        scenario: model.scenario.name.clone(),
        metric: args.metric.clone(),
        method: match args.method {
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        }
        .into(),
        ranked_by: ranked_by.into(),
        parameter_sets: points.len(),
        runs_per_set: args.runs,
        seed,
        parameters: order
            .iter()
            .map(|&i| {
                let p = &model.space.parameters()[i];
                RankedParameter {
                    name: p.name.clone(),
                    catalog_key: p.catalog_key.clone(),
                    low: p.range.low,
                    nominal: p.range.nominal,
                    high: p.range.high,
                    measures: indices[i].as_object().cloned().unwrap_or_default(),
                }
            })
            .collect(),
    };
    let json = serde_json::to_string_pretty(&output)?;
    if let Some(dir) = &args.out {
        write(dir, &json)?;
    }
    match args.format {
        Format::Json => println!("{json}"),
        Format::Table => print_table(&output),
    }
    Ok(ExitCode::SUCCESS)
}

fn morris_options(args: &SensitivityArgs, k: usize, seed: u64) -> MorrisOptions {
    MorrisOptions {
        trajectories: args
            .trajectories
            .map_or_else(|| default_size(10, k + 1), |t| t as usize),
        levels: 4,
        seed,
    }
}

fn sobol_options(args: &SensitivityArgs, k: usize, seed: u64) -> SobolOptions {
    SobolOptions {
        base_samples: args
            .samples
            .map_or_else(|| default_size(16, k + 2), |n| n as usize),
        seed,
        ..SobolOptions::default()
    }
}

/// The metric at `path` in the batch's Summary JSON.
fn metric_of(batch: &Batch, path: &str) -> std::result::Result<f64, String> {
    let json = serde_json::to_value(&batch.summary).map_err(|e| e.to_string())?;
    at_path(&json, path).ok_or_else(|| {
        format!(
            "`{path}` is not a number in the Summary JSON (e.g. `leakers.mean`, `fates.leaked`, \
             `cost_usd.defense`, `by_layer.<type>.shots`; see `skyshield run --format json`)"
        )
    })
}

fn write(dir: &Path, json: &str) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    skyshield_report::write_atomically(&dir.join(SENSITIVITY_JSON), json.as_bytes())?;
    Ok(())
}

fn print_table(o: &Sensitivity) {
    println!(
        "{}: sensitivity of {} ({}, {} parameter sets of {} runs, seed {}), ranked by {}",
        o.scenario, o.metric, o.method, o.parameter_sets, o.runs_per_set, o.seed, o.ranked_by
    );
    let cols: &[&str] = if o.method == "morris" {
        &["mu_star", "mu", "sigma", "mu_star_conf"]
    } else {
        &["ST", "S1"]
    };
    print!(
        "{:>4} {:<48} {:>24}",
        "rank", "parameter", "range (low, nominal, high)"
    );
    for c in cols {
        print!(" {c:>12}");
    }
    println!();
    for (i, r) in o.parameters.iter().enumerate() {
        let range = format!("{}, {}, {}", num(r.low), num(r.nominal), num(r.high));
        print!("{:>4} {:<48} {:>24}", i + 1, r.name, range);
        for c in cols {
            let v = r.measure(c);
            print!(" {:>12}", v.map_or("-".into(), num));
        }
        println!();
    }
}
