//! `skyshield`: the command line of the simulator.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod bench;
mod breakpoint;
mod calibrate;
mod campaign;
mod compare;
mod limits;
mod report;
mod run;
mod scenario_cmds;
mod sensitivity;
mod serve;
mod trajectory;

/// skyshield: an open, reproducible simulator of layered air-and-missile defense.
#[derive(Debug, Parser)]
#[command(name = "skyshield", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a scenario's replications (the built-in default scenario without a file) and print
    /// the summary.
    Run(run::RunArgs),
    /// Run two variants of a scenario on the same runs and seed, and print the paired
    /// differences of their main metrics (B − A) with confidence intervals.
    Compare(compare::CompareArgs),
    /// Play a scenario's campaign day by day over its runs: stocks, deliveries, launchers and
    /// battery availability carried from one day to the next.
    Campaign(campaign::CampaignArgs),
    /// Rank a scenario's uncertain parameters by their effect on a metric (Morris screening or
    /// Sobol indices).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Find the parameter values consistent with the figures reported for one or several
    /// scenarios (`reported:`), by approximate Bayesian computation.
    Calibrate(calibrate::CalibrateArgs),
    /// Find a break point of the defense: the smallest raid that exhausts a layer, or the rounds
    /// or batteries needed for an asset to take no hit with a given probability.
    Breakpoint(breakpoint::BreakPointArgs),
    /// Play one run of a scenario and write its full event log (events.jsonl).
    Replay(run::ReplayArgs),
    /// Write the HTML report and plots of a run's output folder (`run --out DIR`).
    Report(report::ReportArgs),
    /// Measure replications per second on this machine.
    Bench(bench::BenchArgs),
    /// Fly one threat from a launch point to an aim point and print its trajectory.
    Trajectory(trajectory::Args),
    /// Check scenario files; print every error as FILE:LINE:COL: message.
    Validate(scenario_cmds::ValidateArgs),
    /// Print the JSON Schema of the scenario format.
    Schema,
    /// List the built-in threat, interceptor and sensor types, or show one.
    Catalog(scenario_cmds::CatalogArgs),
    /// Serve the web page and the HTTP API (loopback unless --token is given).
    Serve(serve::ServeArgs),
}

/// Output format of commands that print a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Json,
}

/// An error in what the user gave (arguments, files): exit code 2.
#[derive(Debug)]
pub struct InputError(pub String);

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// Exit code for invalid input.
const EXIT_INPUT: u8 = 2;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            // clap's whole message: what was wrong, the arguments missing, a "did you mean"
            // for a misspelt subcommand or option, and the usage line.
            let _ = err.print();
            let help = matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            );
            return ExitCode::from(if help { 0 } else { EXIT_INPUT });
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Campaign(args) => campaign::run(&args),
        Command::Sensitivity(args) => sensitivity::run(&args),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::Breakpoint(args) => breakpoint::run(&args),
        Command::Replay(args) => run::replay(&args),
        Command::Report(args) => report::run(&args),
        Command::Bench(args) => bench::run(&args),
        Command::Trajectory(args) => trajectory::run(&args),
        Command::Validate(args) => scenario_cmds::validate(&args),
        Command::Schema => scenario_cmds::schema(),
        Command::Catalog(args) => scenario_cmds::catalog(&args),
        Command::Serve(args) => serve::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            if let Some(input) = err.downcast_ref::<InputError>() {
                eprintln!("error: {input}");
                ExitCode::from(EXIT_INPUT)
            } else {
                eprintln!("error: {err:#}");
                ExitCode::FAILURE
            }
        }
    }
}
