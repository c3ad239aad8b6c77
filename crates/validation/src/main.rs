//! `skyshield-validation`: writes `docs/validation.md` (see the library documentation).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Parser;
use skyshield_validation::{Options, events, generate};

/// Runs the library scenarios, the closed-form cases and the physics checks, and writes the
/// validation page.
#[derive(Debug, Parser)]
#[command(name = "skyshield-validation", version)]
struct Args {
    /// The Markdown file to write (written whole or not at all).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// Scenario files to compare (default: every `scenarios/*.yaml` but the built-in default).
    #[arg(long = "scenario", value_name = "FILE")]
    scenarios: Vec<PathBuf>,
    /// Runs per scenario (default: each scenario's own `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    /// Worker threads (default: one per core); the results do not depend on it.
    #[arg(long, default_value_t = 0)]
    threads: usize,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("skyshield-validation: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn run() -> Result<()> {
    let args = Args::parse();
    let scenarios = if args.scenarios.is_empty() {
        events::library(&PathBuf::from("scenarios"))?
    } else {
        args.scenarios
    };
    let page = generate(&Options {
        scenarios,
        runs: args.runs,
        threads: args.threads,
    })?;
    skyshield_report::write_atomically(&args.out, page.as_bytes())
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    Ok(())
}
