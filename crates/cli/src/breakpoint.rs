//! `skyshield breakpoint`: the smallest raid that exhausts a layer, or the rounds or batteries
//! a defense needs for an asset to take no hit with a given probability
//! ([`skyshield_mc::breakpoint`] says how it is searched).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use skyshield_mc::CancelToken;
use skyshield_mc::breakpoint::{BreakPoint, BreakPointError, Question, SearchOptions, search};
use skyshield_scenario::Limit;

use crate::limits::{ScenarioLimitArgs, check_option};
use crate::run::{LintArgs, load};
use crate::{Format, InputError};

#[derive(Debug, clap::Args)]
#[command(group(
    clap::ArgGroup::new("question")
        .required(true)
        .args(["exhausts", "rounds", "batteries"])
))]
pub struct BreakPointArgs {
    /// The scenario (YAML).
    scenario: PathBuf,
    /// Find the smallest raid (the scenario's, grown or shrunk in proportion) that leaves this
    /// interceptor type (layer) with no ready round.
    #[arg(long, value_name = "LAYER")]
    exhausts: Option<String>,
    /// With --exhausts: grow only this raid group, the others as written.
    #[arg(long, value_name = "GROUP", requires = "exhausts")]
    group: Option<String>,
    /// Find the fewest ready rounds of this battery (a layer of an abstract scenario) for no
    /// threat to land in --asset (without --asset: no leaker at all).
    #[arg(long, value_name = "BATTERY")]
    rounds: Option<String>,
    /// Find the fewest batteries like this one (copies at its place, sharing its radar) for no
    /// threat to land in --asset (without --asset: no leaker at all).
    #[arg(long, value_name = "BATTERY")]
    batteries: Option<String>,
    /// With --rounds or --batteries: the asset that must take no hit.
    #[arg(long, value_name = "ASSET", conflicts_with = "exhausts")]
    asset: Option<String>,
    /// Target probability of the event (default: 0.5 for --exhausts, 0.9 otherwise).
    #[arg(long, value_parser = probability)]
    probability: Option<f64>,
    /// Replications per level played.
    #[arg(long, default_value_t = 500, value_parser = clap::value_parser!(u64).range(10..10_000_000))]
    runs: u64,
    /// Master seed of every level (default: the scenario's `seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..1025))]
    threads: Option<u64>,
    /// Take every parameter at its nominal value instead of drawing it in each run.
    #[arg(long)]
    nominal: bool,
    /// The largest level searched (default: 16 batteries, or 16 times the scenario's raid or
    /// rounds and at least 64; a raid no larger than --max-threats).
    #[arg(long, value_name = "N")]
    max_level: Option<u32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    #[command(flatten)]
    limits: ScenarioLimitArgs,
    #[command(flatten)]
    lints: LintArgs,
}

fn probability(s: &str) -> Result<f64, String> {
    let p: f64 = s.parse().map_err(|_| format!("`{s}` is not a number"))?;
    if p > 0.0 && p <= 1.0 {
        Ok(p)
    } else {
        Err(format!("{p} is not a probability in (0, 1]"))
    }
}

impl BreakPointArgs {
    /// The question asked (clap lets exactly one of the three through).
    fn question(&self) -> Result<Question, InputError> {
        match (&self.exhausts, &self.rounds, &self.batteries) {
            (Some(layer), None, None) => Ok(Question::Exhaustion {
                layer: layer.clone(),
                group: self.group.clone(),
            }),
            (None, Some(battery), None) => Ok(Question::Rounds {
                battery: battery.clone(),
                asset: self.asset.clone(),
            }),
            (None, None, Some(battery)) => Ok(Question::Batteries {
                battery: battery.clone(),
                asset: self.asset.clone(),
            }),
            _ => Err(InputError(
                "give one of --exhausts, --rounds and --batteries".into(),
            )),
        }
    }
}

pub fn run(args: &BreakPointArgs) -> Result<ExitCode> {
    let limits = args.limits.limits(None);
    check_option(&limits, Limit::Runs, "--runs", args.runs)?;
    let (scenario, _) = load(Some(&args.scenario), &limits, args.lints)?;
    let question = args.question()?;
    let opts = SearchOptions {
        probability: args.probability,
        runs: args.runs,
        seed: args.seed.unwrap_or(scenario.seed),
        threads: args.threads.map_or(0, |t| t as usize),
        nominal: args.nominal,
        max_level: args.max_level,
        max_threats: limits.threats,
    };
    let bar = ProgressBar::new_spinner();
    if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} levels played, last {msg}  {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    let found = search(&scenario, &question, &opts, &CancelToken::new(), &mut |l| {
        bar.inc(1);
        bar.set_message(format!("{} at {:.3}", l.level, l.probability));
    });
    bar.finish_and_clear();
    let found = found.map_err(|e| match e {
        BreakPointError::Question(m) => {
            InputError(format!("{}: {m}", args.scenario.display())).into()
        }
        e => anyhow::Error::from(e),
    })?;
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&found)?),
        Format::Table => print!("{}", table(&found)),
    }
    Ok(ExitCode::SUCCESS)
}

/// A level, or "beyond N" for an end past the largest level searched.
fn level_or_beyond(level: Option<u32>, max: u32) -> String {
    level.map_or(format!("beyond {max}"), |l| l.to_string())
}

fn table(b: &BreakPoint) -> String {
    let of = match &b.question {
        Question::Exhaustion { group: Some(g), .. } => format!(" (growing `{g}`)"),
        Question::Exhaustion { group: None, .. } => " (the raid in proportion)".into(),
        Question::Rounds { battery, .. } => format!(" of `{battery}`"),
        Question::Batteries { battery, .. } => format!(" like `{battery}`"),
    };
    let mut out = format!(
        "{}\nsmallest number of {}{of} for P({}) >= {}\n",
        b.scenario, b.level_name, b.event, b.probability
    );
    match b.level {
        Some(level) => {
            out += &format!(
                "  break point {level} (95 % interval {} to {}); the scenario has {}\n",
                level_or_beyond(b.level_ci95[0], b.max_level),
                level_or_beyond(b.level_ci95[1], b.max_level),
                b.scenario_level
            )
        }
        None => {
            out += &format!(
                "  not reached up to {} (raise --max-level); the scenario has {}\n",
                b.max_level, b.scenario_level
            )
        }
    }
    out += &format!(
        "  {} runs per level, seed {}, the same runs at every level\n\n  {:>8}  {:>7}  {:>15}\n",
        b.runs_per_level, b.seed, "level", "P", "95 % interval"
    );
    for l in &b.levels {
        let interval = format!("{:.3}-{:.3}", l.probability_ci95[0], l.probability_ci95[1]);
        out += &format!(
            "  {:>8}  {:>7.3}  {interval:>15}{}\n",
            l.level,
            l.probability,
            if Some(l.level) == b.level { "  <" } else { "" }
        );
    }
    out
}
