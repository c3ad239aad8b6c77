//! `skyshield bench`: throughput of replications, or the prepare time of scenario files,
//! measured on this machine ([`skyshield_mc::bench`] says what is measured and how), the time
//! of the library's twelve-day campaign, and the preparation of a sweep's variants; or a
//! profile of the 400-MRBM raid, stage by stage.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use skyshield_campaign::{CampaignOptions, run_campaign};
use skyshield_mc::CancelToken;

/// The library's twelve-day campaign (June 2025), timed by `skyshield bench`.
const TWELVE_DAY: &str = include_str!("../../../scenarios/jun-2025-12-day.yaml");

#[derive(Debug, clap::Args)]
pub struct BenchArgs {
    /// Shorter measurements (fewer runs), for a quick look.
    #[arg(long)]
    quick: bool,
    /// Time instead the preparation of these scenario files (trajectories, coverage,
    /// engagement windows): the median of 5 preparations of each, e.g. `--prepare scenarios/*.yaml`.
    #[arg(long, value_name = "SCENARIO", num_args = 1.., conflicts_with = "quick")]
    prepare: Vec<PathBuf>,
    /// Profile instead the 400-MRBM raid: the stages of its preparation and of a run
    /// (draws, event queue, sensing, decisions, engagements, outcome, Monte Carlo accumulation).
    #[arg(long, conflicts_with = "prepare")]
    profile: bool,
}

pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let mut print = |line: &str| println!("{line}");
    if args.profile {
        skyshield_mc::bench::profile(args.quick, &mut print)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.prepare.is_empty() {
        skyshield_mc::bench::run(args.quick, &mut print)?;
        campaign(if args.quick { 100 } else { 1_000 }, &mut print)?;
    } else {
        skyshield_mc::bench::prepare_times(&args.prepare, &mut print)?;
    }
    skyshield_mc::bench::prepare_sweep(&mut print)?;
    Ok(ExitCode::SUCCESS)
}

/// Times `runs` runs of the twelve-day campaign on all cores, preparation included.
fn campaign(runs: u64, print: &mut dyn FnMut(&str)) -> Result<()> {
    let start = Instant::now();
    let scenario = skyshield_scenario::from_str(TWELVE_DAY, Path::new("jun-2025-12-day.yaml"))
        .map_err(|d| anyhow::anyhow!("the twelve-day campaign is invalid:\n{d}"))?;
    let prepared = skyshield_engine::prepare(&scenario)?;
    let prepare_s = start.elapsed().as_secs_f64();
    let opts = CampaignOptions {
        runs,
        seed: scenario.seed,
        threads: 0,
    };
    let result = run_campaign(
        &scenario,
        &prepared,
        &opts,
        &CancelToken::new(),
        &mut |_, _| {},
    )?;
    let days = result.summary.days;
    print(&format!(
        "twelve-day campaign (jun-2025-12-day): {runs} runs of {days} days in {:.2} s with {prepare_s:.2} s of preparation ({:.0} days/s, all cores)",
        prepare_s + result.wall_s,
        (runs * u64::from(days)) as f64 / result.wall_s
    ));
    Ok(())
}
