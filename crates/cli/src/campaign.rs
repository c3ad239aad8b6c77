//! `skyshield campaign`: a scenario's campaign, day by day, over its runs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use skyshield_campaign::{CampaignOptions, CampaignSummary, run_campaign};
use skyshield_mc::CancelToken;
use skyshield_report::campaign::{campaign_summary_json, write_campaign};

use skyshield_scenario::Limit;

use crate::limits::{ScenarioLimitArgs, check_option};
use crate::run::{LintArgs, load, prepared, progress_bar};
use crate::{Format, InputError};

#[derive(Debug, clap::Args)]
pub struct CampaignArgs {
    /// Scenario file (YAML) with a `campaign` section.
    scenario: PathBuf,
    /// Runs (default: the scenario's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Folder (created if missing) for `campaign.parquet` (one row per run and day), the plots
    /// (`plots/plot-campaign-*.svg` and `.png`) and, written last, `summary.json` (the per-day
    /// series).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
    #[command(flatten)]
    lints: LintArgs,
}

pub fn run(args: &CampaignArgs) -> Result<ExitCode> {
    let limits = args.limits.limits(None);
    if let Some(runs) = args.runs {
        check_option(&limits, Limit::Runs, "--runs", runs)?;
    }
    let (scenario, _) = load(Some(&args.scenario), &limits, args.lints)?;
    if scenario.campaign.is_none() {
        return Err(InputError(format!(
            "{}: the scenario has no `campaign` section; `skyshield run` plays one day",
            args.scenario.display()
        ))
        .into());
    }
    let prepared = prepared(&scenario)?;
    let opts = CampaignOptions {
        runs: args.runs.unwrap_or(scenario.runs),
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads.map_or(0, |t| t as usize),
    };
    let bar = progress_bar(opts.runs, "campaign runs");
    let mut progress = |done, _total| bar.set_position(done);
    let result = run_campaign(
        &scenario,
        &prepared,
        &opts,
        &CancelToken::new(),
        &mut progress,
    )
    .map_err(|e| match e {
        skyshield_campaign::CampaignError::TooLarge { .. } => InputError(e.to_string()).into(),
        e => anyhow::Error::from(e),
    })?;
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        write_campaign(dir, &result.rows, &result.summary)?;
    }
    match args.format {
        Format::Json => print!("{}", campaign_summary_json(&result.summary)?),
        Format::Table => print_table(&result.summary),
    }
    eprintln!(
        "{} runs of {} days in {:.1} s",
        opts.runs, result.summary.days, result.wall_s
    );
    Ok(ExitCode::SUCCESS)
}

fn print_table(s: &CampaignSummary) {
    println!(
        "{} ({} runs, seed {}, {} days)",
        s.scenario, s.runs, s.seed, s.days
    );
    print!("{:>4} {:>9} {:>9}", "day", "launched", "leakers");
    for t in &s.interceptor_types {
        print!(" {:>14}", format!("{t} shots"));
    }
    for t in &s.interceptor_types {
        print!(" {:>14}", format!("{t} left"));
    }
    println!(" {:>8}", "P(TEL)");
    for d in &s.by_day {
        print!(
            "{:>4} {:>9.1} {:>9.2}",
            d.day, d.launches_total.mean, d.leakers.mean
        );
        for t in &s.interceptor_types {
            print!(" {:>14.1}", d.shots[t].mean);
        }
        for t in &s.interceptor_types {
            print!(
                " {:>14.1}",
                d.stock_deployed[t].mean + d.stock_depot[t].mean
            );
        }
        println!(" {:>8.2}", d.p_launcher_limited);
    }
    println!(
        "leakers over the campaign: mean {:.1}, 95 % of runs within [{}, {}]",
        s.total_leakers.mean, s.total_leakers.p5, s.total_leakers.p95
    );
    for (t, e) in &s.exhaustion {
        let shots = &s.total_shots[t];
        match e.p50 {
            Some(d) => println!(
                "{t}: {:.0} shots (5-95 %: {}-{}); exhausted in {:.0} % of runs, median day {d}",
                shots.mean,
                shots.p5,
                shots.p95,
                100.0 * (1.0 - e.p_never)
            ),
            None => println!(
                "{t}: {:.0} shots (5-95 %: {}-{}); never exhausted",
                shots.mean, shots.p5, shots.p95
            ),
        }
    }
}
