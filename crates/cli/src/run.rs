//! `skyshield run` and `skyshield replay`: a scenario's replications, summarised or logged.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use skyshield_engine::{Fate, Prepared, prepare};
use skyshield_mc::figures;
use skyshield_mc::{
    BatchOptions, DEFAULT_PARAMETER_SETS, Execution, Overrides, Summary, Uncertainty,
    UncertaintyError, UncertaintySummary, run_batch, run_uncertain,
};
use skyshield_report::folder::DEFAULT_SAMPLE_RUNS;
use skyshield_report::{Replay, ReportError, RunFolder, RunOutputs, summary_json};
use skyshield_scenario::{
    DEFAULT_SCENARIO, Diagnostics, Limit, Limits, MemoryResolver, Scenario, Source, catalog,
    check_scenario,
};

use crate::limits::{OutputLimitArgs, ScenarioLimitArgs, check_option};
use crate::{Format, InputError};

const DEFAULT_NAME: &str = "<built-in default scenario>";

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (YAML); the built-in default scenario when omitted.
    scenario: Option<PathBuf>,
    /// Replications (default: the scenario's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    runs: Option<u64>,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Take every parameter at its nominal value instead of drawing it from its
    /// `{low, nominal, high}` range in each run (the same as `--uncertainty chance`).
    #[arg(long, conflicts_with = "uncertainty")]
    nominal: bool,
    /// Which uncertainty the runs sample, and report apart (docs/uncertainty.md): `nominal`
    /// (one run at nominal parameters), `chance` (nominal parameters, runs differ by chance),
    /// `parameters` (parameter sets drawn, sharing their chance), `both` (parameter sets drawn,
    /// each with runs of its own; the spread split into chance and parameters). Without it,
    /// each run draws its own parameters and the spread mixes both kinds.
    #[arg(long, value_enum)]
    uncertainty: Option<UncertaintyArg>,
    /// Parameter sets drawn by `--uncertainty parameters|both`; `--runs` is spread over them.
    #[arg(long, value_name = "M", default_value_t = DEFAULT_PARAMETER_SETS,
          value_parser = clap::value_parser!(u64).range(2..))]
    parameter_sets: u64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Folder (created if missing) for `runs.parquet` (one row per run), `events.parquet` (one
    /// row per threat per sampled run), `impacts.geojson` (impacts, intercepts and debris of the
    /// sampled runs), `replay.czml` and `replay.kml` (the representative run, with its alerted
    /// warning zones), `zones.geojson` (the warning zones with their alert statistics, when the
    /// scenario has zones), `scenario.yaml` (a copy of the scenario) and, written last,
    /// `summary.json`.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Runs kept in full for the per-threat outputs of `--out` (runs `0..N`; default: the
    /// first 100, or all runs when fewer).
    #[arg(long, value_name = "N")]
    sample_runs: Option<u64>,
    #[command(flatten)]
    lints: LintArgs,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
    #[command(flatten)]
    output_limits: OutputLimitArgs,
}

/// `--uncertainty`, as the command line spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum UncertaintyArg {
    Nominal,
    Chance,
    Parameters,
    Both,
}

impl From<UncertaintyArg> for Uncertainty {
    fn from(u: UncertaintyArg) -> Uncertainty {
        match u {
            UncertaintyArg::Nominal => Uncertainty::Nominal,
            UncertaintyArg::Chance => Uncertainty::Chance,
            UncertaintyArg::Parameters => Uncertainty::Parameters,
            UncertaintyArg::Both => Uncertainty::Both,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Scenario file (YAML).
    scenario: PathBuf,
    /// Run index to replay.
    #[arg(long)]
    run: u64,
    /// Master seed (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Folder (created if missing) for `events.jsonl` (every event of the run),
    /// `impacts.geojson`, `replay.czml` and `replay.kml` of the run, and `alerts.geojson` (the
    /// warning zones alerted in the run, when the scenario has zones).
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Take every parameter at its nominal value (as `run --nominal`).
    #[arg(long)]
    nominal: bool,
    #[command(flatten)]
    lints: LintArgs,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
}

/// What to do with the lints of a scenario ([`skyshield_scenario::lint`]): warnings on stderr,
/// or errors.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct LintArgs {
    /// Treat warnings about implausible input (swapped latitude and longitude, a battery that
    /// reaches nothing, areas far beyond the usual) as errors: exit code 2, nothing run.
    #[arg(long)]
    pub deny_warnings: bool,
}

impl LintArgs {
    /// Prints `warnings` on stderr as `FILE:LINE:COL: warning: message`; an error naming their
    /// number when warnings are denied.
    pub(crate) fn apply(&self, name: &str, warnings: &Diagnostics) -> Result<()> {
        let mut stderr = std::io::stderr().lock();
        for d in warnings {
            let _ = writeln!(
                stderr,
                "{}:{}:{}: warning: {}",
                d.file.display(),
                d.line,
                d.column,
                d.message
            );
        }
        if self.deny_warnings && !warnings.is_empty() {
            return Err(InputError(format!(
                "{name}: {} warning(s), denied by --deny-warnings",
                warnings.len()
            ))
            .into());
        }
        Ok(())
    }
}

/// Loads a scenario file within `limits`, printing every problem as `FILE:LINE:COL: message`
/// and every lint as `FILE:LINE:COL: warning: message`; returns the scenario and its text.
pub(crate) fn load(
    path: Option<&Path>,
    limits: &Limits,
    lints: LintArgs,
) -> Result<(Scenario, String)> {
    let name = path.map_or(DEFAULT_NAME.to_string(), |p| p.display().to_string());
    let result = match path {
        Some(path) => skyshield_scenario::check_keeping_text(path, limits),
        None => check_scenario(
            Source::Text {
                text: DEFAULT_SCENARIO,
                name: Path::new(DEFAULT_NAME),
            },
            &MemoryResolver::new(),
            catalog(),
            limits,
        )
        .map(|checked| (checked, DEFAULT_SCENARIO.to_string())),
    };
    match result {
        Ok((checked, text)) => {
            lints.apply(&name, &checked.warnings)?;
            Ok((checked.scenario, text))
        }
        Err(err) => {
            let diagnostics = err.diagnostics();
            let mut stderr = std::io::stderr().lock();
            for d in &diagnostics {
                let _ = writeln!(stderr, "{d}");
            }
            Err(InputError(format!(
                "{name}: {} problem(s); nothing was run",
                diagnostics.len()
            ))
            .into())
        }
    }
}

/// A progress bar of `len` `what` on stderr, drawn only when stderr is a terminal.
pub(crate) fn progress_bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template(&format!(
            "{{bar:40}} {{pos}}/{{len}} {what}  {{per_sec}}  {{eta}} left"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

pub(crate) fn prepared(scenario: &Scenario) -> Result<Prepared> {
    prepare(scenario).map_err(|e| InputError(e.to_string()).into())
}

pub fn run(args: &RunArgs) -> Result<ExitCode> {
    let limits = args.limits.limits(Some(&args.output_limits));
    if let Some(runs) = args.runs {
        check_option(&limits, Limit::Runs, "--runs", runs)?;
    }
    if let Some(n) = args.sample_runs {
        check_option(&limits, Limit::SampleRuns, "--sample-runs", n)?;
    }
    let (scenario, text) = load(args.scenario.as_deref(), &limits, args.lints)?;
    let prepared = prepared(&scenario)?;
    let opts = BatchOptions::new(
        &prepared,
        Overrides {
            runs: args.runs,
            seed: args.seed,
            threads: args.threads.map(|t| t as usize),
            nominal: args.nominal,
            keep_runs: args.out.is_some()
                || figures::wants_rows(&scenario, args.runs.unwrap_or(scenario.runs)),
            sample_runs: args
                .out
                .as_ref()
                .map(|_| args.sample_runs.unwrap_or(DEFAULT_SAMPLE_RUNS)),
        },
    );
    let bar = progress_bar(opts.runs, "runs");
    let mut progress = |done, total| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let execution = Execution::default().observe(&mut progress);
    let mode = args
        .uncertainty
        .map(Uncertainty::from)
        .or(args.nominal.then_some(Uncertainty::Chance));
    let mut batch = match mode {
        Some(mode) => run_uncertain(
            &scenario,
            &prepared,
            mode,
            args.parameter_sets,
            &opts,
            execution,
        )
        .map_err(|e| match e {
            UncertaintyError::Prepare { .. } => InputError(e.to_string()).into(),
            e => anyhow::Error::from(e),
        })?,
        None => run_batch(&prepared, &opts, execution)?,
    };
    figures::score_batch(&scenario, &prepared, &mut batch);
    bar.finish_and_clear();
    if let Some(dir) = &args.out {
        if scenario.as_layered().is_none() {
            eprintln!(
                "an abstract scenario has no geometry: no impacts.geojson, replay.czml or replay.kml"
            );
        }
        RunFolder::new(dir)
            .write(
                &RunOutputs {
                    scenario: &scenario,
                    text: &text,
                    prepared: &prepared,
                    opts: &opts,
                    batch: &batch,
                },
                &limits,
            )
            .map_err(|e| match e {
                // What the user asked for: another folder, or a larger limit.
                ReportError::NotOurs { .. } | ReportError::TooLarge { .. } => {
                    InputError(e.to_string()).into()
                }
                e => anyhow::Error::from(e),
            })?;
    }
    match args.format {
        Format::Json => println!("{}", summary_json(&batch.summary)?),
        Format::Table => print_table(&batch.summary),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(s: &Summary) {
    let l = &s.leakers;
    println!("{}", s.scenario);
    println!(
        "{} runs, seed {}, {} threats per run{}",
        s.runs,
        s.seed,
        s.threats,
        s.parameters.suffix()
    );
    println!();
    println!("fates (mean per run)");
    println!("  intercepted        {:>9.1}", s.fates.intercepted);
    println!("  leaked             {:>9.1}", s.fates.leaked);
    println!("  ignored (open)     {:>9.1}", s.fates.ignored_open_area);
    println!("  failed in flight   {:>9.1}", s.fates.failed_in_flight);
    if let Some(causes) = &s.leak_causes {
        let leaked: Vec<_> = causes.iter().filter(|(_, v)| *v > 0.0).collect();
        if !leaked.is_empty() {
            println!("leaked, by cause (mean per run)");
            for (cause, v) in leaked {
                println!("  {:<25}{:>9.2}", cause.name(), v);
            }
        }
    }
    println!();
    println!(
        "leakers  mean {:.2} (95% CI {:.2}-{:.2})  p5/p50/p95 {}/{}/{}  P(none) {:.3}",
        l.mean, l.ci95[0], l.ci95[1], l.quantiles.p5, l.quantiles.p50, l.quantiles.p95, l.p_zero
    );
    if let Some(u) = &s.uncertainty {
        print_split(u);
    }
    println!();
    println!(
        "{:<16}{:>10}{:>10}{:>10}{:>14}{:>16}",
        "layer", "shots", "kills", "reloaded", "rounds left", "cost US$"
    );
    for (name, layer) in &s.by_layer {
        let left = match (layer.rounds_left, layer.rounds) {
            (Some(left), Some(rounds)) => format!("{left:.1}/{rounds}"),
            _ => "unlimited".to_string(),
        };
        println!(
            "{:<16}{:>10.1}{:>10.1}{:>10.1}{:>14}{:>16.0}",
            name, layer.shots, layer.kills, layer.reloaded, left, layer.cost_usd
        );
    }
    println!();
    println!("{:<20}{:>12}{:>12}", "asset", "hits/run", "P(hit)");
    for (id, a) in &s.assets {
        println!("{:<20}{:>12.2}{:>12.3}", id, a.hits_mean, a.p_hit);
    }
    if let Some(w) = &s.warning {
        print_warning(w);
    }
    if !s.reported.is_empty() {
        print_reported(&s.reported);
    }
    println!();
    println!(
        "cost per run: defense US${:.0}, offense US${:.0}, exchange ratio {}",
        s.cost_usd.defense,
        s.cost_usd.offense,
        skyshield_report::exchange_ratio_text(s.cost_usd.exchange_ratio)
    );
    println!(
        "prepared in {:.2} s; {} runs in {:.2} s ({:.0} runs/s on {} threads)",
        s.timing.prepare_s, s.runs, s.timing.wall_s, s.timing.runs_per_s, s.timing.threads
    );
}

fn print_reported(figures: &[skyshield_mc::FigureScore]) {
    let number = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.2}")
        }
    };
    println!();
    println!(
        "{:<40}{:>14}{:>12}{:>18}{:>7}  agreement",
        "reported figure", "reported", "simulated", "runs p5-p95", "rank"
    );
    for f in figures {
        let reported = if f.low == f.high {
            number(f.low)
        } else {
            format!("{}-{}", number(f.low), number(f.high))
        };
        let opt = |x: Option<f64>| x.map_or("-".to_string(), number);
        let spread = match (f.simulated_p5, f.simulated_p95) {
            (Some(a), Some(b)) => format!("{}-{}", number(a), number(b)),
            _ => "-".to_string(),
        };
        let words: String = f.figure.chars().take(38).collect();
        println!(
            "{:<40}{:>14}{:>12}{:>18}{:>7}  {}",
            words,
            reported,
            opt(f.simulated),
            spread,
            f.rank.map_or("-".to_string(), |r| format!("{r:.0}")),
            f.agreement.label()
        );
    }
}

fn print_warning(w: &skyshield_mc::WarningSummary) {
    let lead = |l: &skyshield_mc::LeadSummary| match (l.p5, l.p50, l.p95) {
        (Some(a), Some(b), Some(c)) => format!("{a:.0}/{b:.0}/{c:.0} s"),
        _ => "none".to_string(),
    };
    println!();
    println!(
        "civil warning: {} zones, {:.0} people (siren region {:.0}% = {:.2} sigma, lead aimed {:.0} s)",
        w.zone_count,
        w.population,
        100.0 * w.confidence,
        w.region_sigmas,
        w.min_lead_s
    );
    println!(
        "  siren lead p5/p50/p95      {:>16}  ({:.2} impacts in zones per run)",
        lead(&w.siren_lead_s),
        w.impacts_in_zones_mean
    );
    println!(
        "  early warning p5/p50/p95   {:>16}",
        lead(&w.early_warning_lead_s)
    );
    println!(
        "  false alarms per run       {:>9.2} zones {:>12.0} people",
        w.false_alarm_zones_mean, w.false_alarm_people_mean
    );
    println!(
        "  warned too late per run    {:>28.0} people",
        w.too_late_people_mean
    );
    println!(
        "  under alert per run        {:>28.0} people-minutes",
        w.people_minutes_under_alert_mean
    );
}

pub fn replay(args: &ReplayArgs) -> Result<ExitCode> {
    let (scenario, _) = load(Some(&args.scenario), &args.limits.limits(None), args.lints)?;
    let prepared = prepared(&scenario)?;
    let seed = args.seed.unwrap_or(scenario.seed);
    let replay = Replay::play(&prepared, seed, args.run, !args.nominal);
    let files = RunFolder::new(&args.out).write_replay(
        &prepared,
        &replay,
        scenario.as_layered().is_some(),
    )?;
    let outcome = &replay.outcome;
    eprintln!(
        "run {} (seed {}): {} events, {} intercepted, {} leaked; wrote {} in {}",
        args.run,
        seed,
        replay.events.len(),
        outcome.count(Fate::Intercepted),
        outcome.count(Fate::Leaked),
        files.join(", "),
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The leakers' spread by kind of uncertainty.
fn print_split(u: &UncertaintySummary) {
    println!(
        "uncertainty {}: {} parameter set(s) of {} run(s)",
        u.mode.name(),
        u.parameter_sets,
        u.runs_per_set
    );
    let line = |what: &str, sd: Option<f64>, interval: Option<[f64; 2]>| {
        if let (Some(sd), Some([lo, hi])) = (sd, interval) {
            println!("  {what:<22} sd {sd:>7.2}   90% {lo:.2}-{hi:.2}");
        }
    };
    line("due to chance", u.chance_sd, u.chance_90);
    line("due to parameters", u.parameters_sd, u.parameters_90);
    line("both", u.total_sd, u.total_90);
}
