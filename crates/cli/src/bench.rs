//! `skyshield bench`: throughput of replications, or the prepare time of scenario files,
//! measured on this machine ([`skyshield_mc::bench`] says what is measured and how).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Shorter measurements (fewer runs), for a quick look.
    #[arg(long)]
    quick: bool,
    /// Time instead the preparation of these scenario files (trajectories, coverage,
    /// engagement windows): the median of 5 preparations of each, e.g. `--prepare scenarios/*.yaml`.
    #[arg(long, value_name = "SCENARIO", num_args = 1.., conflicts_with = "quick")]
    prepare: Vec<PathBuf>,
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let mut print = |line: &str| println!("{line}");
    if args.prepare.is_empty() {
        skyshield_mc::bench::run(args.quick, &mut print)?;
    } else {
        skyshield_mc::bench::prepare_times(&args.prepare, &mut print)?;
    }
    Ok(ExitCode::SUCCESS)
}
