//! `skyshield compare`: two variants of a scenario on the same runs and seed, run by run.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use skyshield_mc::compare::{Comparison, Variant, compare};
use skyshield_mc::{Batch, BatchOptions, Execution, Overrides, run_batch};

use crate::Format;
use skyshield_scenario::Limit;

use crate::limits::{ScenarioLimitArgs, check_option};
use crate::run::{LintArgs, load, prepared, progress_bar};

#[derive(Debug, clap::Args)]
pub struct CompareArgs {
    /// The first variant (YAML): the reference, A.
    a: PathBuf,
    /// The second variant (YAML), B: differences are B − A.
    b: PathBuf,
    /// Replications of each (default: A's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(2..))]
    runs: Option<u64>,
    /// Master seed of both (default: A's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Take every parameter at its nominal value instead of drawing it in each run.
    #[arg(long)]
    nominal: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: &CompareArgs) -> Result<ExitCode> {
    let limits = args.limits.limits(None);
    if let Some(runs) = args.runs {
        check_option(&limits, Limit::Runs, "--runs", runs)?;
    }
    let (a, _) = load(Some(&args.a), &limits, args.lints)?;
    let (b, _) = load(Some(&args.b), &limits, args.lints)?;
    let (pa, pb) = (prepared(&a)?, prepared(&b)?);
    let overrides = Overrides {
        runs: Some(args.runs.unwrap_or(pa.runs)),
        seed: Some(args.seed.unwrap_or(pa.seed)),
        threads: args.threads.map(|t| t as usize),
        nominal: args.nominal,
        keep_runs: true,
        sample_runs: None,
    };
    let play = |p, what| -> Result<Batch> {
        let opts = BatchOptions::new(p, overrides);
        let bar = progress_bar(opts.runs, what);
        let mut progress = |done, _total| bar.set_position(done);
        let batch = run_batch(p, &opts, Execution::default().observe(&mut progress))?;
        bar.finish_and_clear();
        Ok(batch)
    };
    let batch_a = play(&pa, "runs of A")?;
    let batch_b = play(&pb, "runs of B")?;
    let comparison = compare(
        &a.name,
        Variant {
            batch: &batch_a,
            asset_ids: &pa.asset_ids,
        },
        &b.name,
        Variant {
            batch: &batch_b,
            asset_ids: &pb.asset_ids,
        },
    )?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&comparison)?),
        Format::Table => print_table(&comparison),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(c: &Comparison) {
    println!("A: {}\nB: {}", c.a, c.b);
    println!(
        "{} runs, seed {}; differences B − A, run by run",
        c.runs, c.seed
    );
    println!(
        "{:<28} {:>12} {:>12} {:>12} {:>27} {:>27} {:>9}",
        "metric", "A", "B", "B − A", "paired 95 % interval", "unpaired 95 % interval", "same runs"
    );
    for m in &c.metrics {
        println!(
            "{:<28} {:>12} {:>12} {:>12} {:>27} {:>27} {:>8.0}%",
            m.metric,
            number(m.a_mean),
            number(m.b_mean),
            number(m.difference),
            interval(m.ci95),
            interval(m.unpaired_ci95),
            100.0 * m.identical_runs
        );
    }
}

fn number(x: f64) -> String {
    if x.abs() >= 1e5 {
        format!("{x:.3e}")
    } else {
        format!("{x:.3}")
    }
}

fn interval([lo, hi]: [f64; 2]) -> String {
    format!("[{}, {}]", number(lo), number(hi))
}
