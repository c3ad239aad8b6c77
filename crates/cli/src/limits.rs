//! The flags that raise or lower the [`Limits`] on what a scenario and a run may ask for.

use skyshield_scenario::{Limit, Limits};

use crate::InputError;

/// Limits on the size of a scenario (defaults: [`Limits::DEFAULT`]).
#[derive(Debug, Clone, clap::Args)]
pub struct ScenarioLimitArgs {
    /// Most threats per run of a scenario.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.threats)]
    max_threats: u64,
    /// Most distinct trajectories (launch sites over all raid groups).
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.trajectories)]
    max_trajectories: u64,
    /// Most warning zones (GeoJSON features, or cells of a generated grid).
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.zones)]
    max_zones: u64,
    /// Most runs of a batch.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.runs)]
    max_runs: u64,
}

/// Limits on what a run writes (defaults: [`Limits::DEFAULT`]).
#[derive(Debug, Clone, clap::Args)]
pub struct OutputLimitArgs {
    /// Most runs kept in full for the per-threat outputs of `--out`.
    #[arg(long, value_name = "N", default_value_t = Limits::DEFAULT.sample_runs)]
    max_sample_runs: u64,
    /// Most bytes written into the `--out` folder.
    #[arg(long, value_name = "BYTES", default_value_t = Limits::DEFAULT.output_bytes)]
    max_output_bytes: u64,
}

impl ScenarioLimitArgs {
    /// The limits these flags give, with `output` for those of a run's outputs.
    pub fn limits(&self, output: Option<&OutputLimitArgs>) -> Limits {
        let defaults = Limits::DEFAULT;
        Limits {
            threats: self.max_threats,
            trajectories: self.max_trajectories,
            zones: self.max_zones,
            runs: self.max_runs,
            sample_runs: output.map_or(defaults.sample_runs, |o| o.max_sample_runs),
            output_bytes: output.map_or(defaults.output_bytes, |o| o.max_output_bytes),
        }
    }
}

/// Refuses the value of command-line option `option` when it is over `limit`.
pub fn check_option(
    limits: &Limits,
    limit: Limit,
    option: &str,
    value: u64,
) -> Result<(), InputError> {
    limits
        .check(limit, value)
        .map_err(|over| InputError(format!("{option} asks for {over}")))
}
