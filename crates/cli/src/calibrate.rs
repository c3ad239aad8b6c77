//! `skyshield calibrate`: the parameter values consistent with the figures reported for one or
//! several scenarios (their `reported:` sections), by rejection ABC
//! ([`skyshield_analysis::abc`]).
//!
//! The parameters are the union of the scenarios' parameter spaces: a catalog parameter that
//! several scenarios share (the same interceptor type's kill probability, say) is one
//! parameter, calibrated from all their figures together; a scenario's own parameter is named
//! `<file stem>:<name>` when several scenarios are given. The prior of each is its triangular
//! range. A draw plays every scenario at its values, with a seed of its own (so that the
//! chance of the runs enters the distance as it would in another realisation), and a figure's
//! simulated value is the metric's mean over the runs (the lead-time quantile for a lead-time
//! metric): the calibration fits the expected value of each figure to the reported one. The
//! kept draws are played again with other seeds for the posterior predictive check.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow};
use serde::Serialize;
use skyshield_analysis::abc::{AbcOptions, abc_reject, predictive_check, prior_sample};
use skyshield_engine::{ParameterSpace, triangular};
use skyshield_mc::Batch;
use skyshield_mc::figures::per_run;
use skyshield_scenario::{Metric, Uncertain};

use skyshield_report::sensitivity::num;

use crate::limits::ScenarioLimitArgs;
use crate::run::{LintArgs, load};
use crate::sensitivity::{Model, at_path, map_sets};
use crate::{Format, InputError};

#[derive(Debug, clap::Args)]
pub struct CalibrateArgs {
    /// The scenarios (YAML), each with a `reported:` section.
    #[arg(required = true)]
    scenarios: Vec<PathBuf>,
    /// Parameter sets drawn from the prior.
    #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u64).range(4..1_000_000))]
    draws: u64,
    /// Fraction of the draws kept (the closest to the reported figures).
    #[arg(long, default_value_t = 0.1)]
    keep: f64,
    /// Replications per scenario and parameter set.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..1_000_000))]
    runs: u64,
    /// Master seed of the draws and runs (default: the first scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    lints: LintArgs,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
}

/// A parameter of the calibration, with where it sits in each scenario's space.
struct Joint {
    name: String,
    catalog_key: Option<String>,
    range: Uncertain,
    /// `(scenario, index in its space)`.
    sites: Vec<(usize, usize)>,
}

#[derive(Debug, Serialize)]
struct ParameterOut {
    name: String,
    catalog_key: Option<String>,
    scenarios: Vec<String>,
    prior: [f64; 3],
    /// 5 %, 50 % and 95 % posterior quantiles.
    posterior: [f64; 3],
    width_ratio: f64,
}

#[derive(Debug, Serialize)]
struct FigureOut {
    scenario: String,
    figure: String,
    metric: String,
    reported: [f64; 2],
    /// 5 %, 50 % and 95 % quantiles of the posterior predictive simulations.
    predictive: [f64; 3],
    p_below: f64,
    inside: bool,
}

#[derive(Debug, Serialize)]
struct Output {
    scenarios: Vec<String>,
    method: &'static str,
    draws: usize,
    kept: usize,
    tolerance: f64,
    runs_per_set: u64,
    seed: u64,
    /// Parameters, most constrained first.
    parameters: Vec<ParameterOut>,
    figures: Vec<FigureOut>,
}

pub fn run(args: &CalibrateArgs) -> Result<ExitCode> {
    let limits = args.limits.limits(None);
    let mut models = Vec::new();
    let mut stems = Vec::new();
    for path in &args.scenarios {
        let (scenario, _) = load(Some(path), &limits, args.lints)?;
        if scenario.reported.is_empty() {
            return Err(InputError(format!(
                "{}: no `reported:` figures; calibration needs what was reported",
                path.display()
            ))
            .into());
        }
        stems.push(path.file_stem().map_or_else(
            || path.display().to_string(),
            |s| s.to_string_lossy().into_owned(),
        ));
        let space = ParameterSpace::of(&scenario);
        models.push(Model {
            scenario,
            space,
            runs: args.runs,
        });
    }
    let joint = joint_parameters(&models, &stems);
    if joint.is_empty() {
        return Err(InputError(
            "no parameter of these scenarios has a range (`{low, nominal, high}`); there is \
             nothing to calibrate"
                .into(),
        )
        .into());
    }
    let options = AbcOptions {
        draws: args.draws as usize,
        keep: args.keep,
        seed: args.seed.unwrap_or(models[0].scenario.seed),
    };
    let draws = prior_sample(joint.len(), &options).map_err(|e| InputError(e.to_string()))?;
    let observed: Vec<[f64; 2]> = models
        .iter()
        .flat_map(|m| m.scenario.reported.iter().map(|r| [r.low, r.high]))
        .collect();
    let threads = args.threads.map_or(0, |t| t as usize);
    let seed = options.seed;
    let simulate = |u: &[f64], seed: u64| -> Result<Vec<f64>> {
        let mut figures = Vec::with_capacity(observed.len());
        for (s, m) in models.iter().enumerate() {
            let mut unit = vec![0.0; m.space.parameters().len()];
            for (j, p) in joint.iter().enumerate() {
                for &(_, i) in p.sites.iter().filter(|(t, _)| *t == s) {
                    unit[i] = u[j];
                }
            }
            let (batch, assets) = m.play(&m.set(&unit), seed)?;
            figures.extend(figure_values(m, &batch, &assets).with_context(|| stems[s].clone())?);
        }
        Ok(figures)
    };
    let sims = map_sets(draws.len(), threads, "parameter sets", |d| {
        simulate(&draws[d], skyshield_core::mix_keys(seed, d as u64))
            .with_context(|| format!("parameter set {d}"))
    })?;
    let posterior = abc_reject(&draws, &sims, &observed, &options)?;
    let again = skyshield_core::splitmix64(seed);
    let resim = map_sets(posterior.kept.len(), threads, "posterior checks", |k| {
        simulate(
            &draws[posterior.kept[k]],
            skyshield_core::mix_keys(again, k as u64),
        )
    })?;
    let checks = predictive_check(&observed, &resim)?;
    let mut parameters: Vec<ParameterOut> = joint
        .iter()
        .zip(&posterior.parameters)
        .map(|(p, q)| {
            let r = p.range;
            let value = |u| triangular(r.low, r.nominal, r.high, u);
            let mut scenarios: Vec<String> =
                p.sites.iter().map(|(s, _)| stems[*s].clone()).collect();
            scenarios.dedup();
            ParameterOut {
                name: p.name.clone(),
                catalog_key: p.catalog_key.clone(),
                scenarios,
                prior: [r.low, r.nominal, r.high],
                posterior: [value(q.p5), value(q.p50), value(q.p95)],
                width_ratio: q.width_ratio,
            }
        })
        .collect();
    parameters.sort_by(|a, b| a.width_ratio.total_cmp(&b.width_ratio));
    let figures = models
        .iter()
        .zip(&stems)
        .flat_map(|(m, stem)| m.scenario.reported.iter().map(move |r| (stem, r)))
        .zip(&checks)
        .map(|((stem, r), c)| FigureOut {
            scenario: stem.clone(),
            figure: r.figure.clone(),
            metric: r.metric.to_string(),
            reported: c.observed,
            predictive: [c.p5, c.p50, c.p95],
            p_below: c.p_below,
            inside: c.inside,
        })
        .collect();
    let output = Output {
        scenarios: stems,
        method: "rejection ABC",
        draws: options.draws,
        kept: posterior.kept.len(),
        tolerance: posterior.tolerance,
        runs_per_set: args.runs,
        seed,
        parameters,
        figures,
    };
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&output)?),
        Format::Table => print_table(&output),
    }
    Ok(ExitCode::SUCCESS)
}

/// The parameters of all the scenarios, a catalog parameter once.
fn joint_parameters(models: &[Model], stems: &[String]) -> Vec<Joint> {
    let mut joint: Vec<Joint> = Vec::new();
    let mut by_key: BTreeMap<String, usize> = BTreeMap::new();
    for (s, m) in models.iter().enumerate() {
        for (i, p) in m.space.parameters().iter().enumerate() {
            if let Some(&j) = p.catalog_key.as_ref().and_then(|k| by_key.get(k)) {
                joint[j].sites.push((s, i));
                continue;
            }
            let name = match (&p.catalog_key, models.len()) {
                (None, n) if n > 1 => format!("{}:{}", stems[s], p.name),
                _ => p.name.clone(),
            };
            if let Some(k) = &p.catalog_key {
                by_key.insert(k.clone(), joint.len());
            }
            joint.push(Joint {
                name,
                catalog_key: p.catalog_key.clone(),
                range: p.range,
                sites: vec![(s, i)],
            });
        }
    }
    joint
}

/// The simulated value of each reported figure of `m`'s scenario: the mean over the runs of
/// the batch, or the lead-time quantile of its summary.
fn figure_values(m: &Model, batch: &Batch, assets: &[String]) -> Result<Vec<f64>> {
    let layers: Vec<&str> = batch.summary.by_layer.keys().map(String::as_str).collect();
    let assets: Vec<&str> = assets.iter().map(String::as_str).collect();
    let threats = batch.summary.threats as f64;
    let json = serde_json::to_value(&batch.summary)?;
    m.scenario
        .reported
        .iter()
        .map(|r| {
            let value = match &r.metric {
                Metric::LeadTime { .. } => r.metric.summary_path().and_then(|p| at_path(&json, &p)),
                metric => {
                    let values: Vec<f64> = batch
                        .rows
                        .iter()
                        .filter_map(|row| per_run(metric, row, &layers, &assets, threats))
                        .collect();
                    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
                }
            };
            value.ok_or_else(|| {
                anyhow!(
                    "figure `{}`: the runs give no value of {}",
                    r.figure,
                    r.metric
                )
            })
        })
        .collect()
}

fn print_table(o: &Output) {
    println!(
        "calibration of {} by {}: {} parameter sets of {} runs, {} kept (tolerance {:.3}), seed {}",
        o.scenarios.join(", "),
        o.method,
        o.draws,
        o.runs_per_set,
        o.kept,
        o.tolerance,
        o.seed
    );
    println!(
        "{:<52} {:>30} {:>30} {:>7}",
        "parameter", "prior (low, nominal, high)", "posterior (p5, p50, p95)", "width"
    );
    for p in &o.parameters {
        println!(
            "{:<52} {:>30} {:>30} {:>7.2}",
            p.name,
            triple(p.prior),
            triple(p.posterior),
            p.width_ratio
        );
    }
    println!();
    println!(
        "{:<20} {:<40} {:>20} {:>30} {:>7}",
        "scenario",
        "figure (posterior predictive check)",
        "reported",
        "simulated (p5, p50, p95)",
        "inside"
    );
    for f in &o.figures {
        let reported = if f.reported[0] == f.reported[1] {
            num(f.reported[0])
        } else {
            format!("[{}, {}]", num(f.reported[0]), num(f.reported[1]))
        };
        let figure: String = f.figure.chars().take(40).collect();
        println!(
            "{:<20} {:<40} {:>20} {:>30} {:>7}",
            f.scenario,
            figure,
            reported,
            triple(f.predictive),
            if f.inside { "yes" } else { "no" }
        );
    }
}

fn triple([a, b, c]: [f64; 3]) -> String {
    format!("{}, {}, {}", num(a), num(b), num(c))
}
