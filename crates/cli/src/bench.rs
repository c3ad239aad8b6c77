//! `skyshield bench`: throughput of replications, measured on this machine
//! ([`skyshield_mc::bench`] says what is measured and how).

use std::process::ExitCode;

use anyhow::Result;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Shorter measurements (fewer runs), for a quick look.
    #[arg(long)]
    quick: bool,
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    skyshield_mc::bench::run(args.quick, &mut |line| println!("{line}"))?;
    Ok(ExitCode::SUCCESS)
}
