//! The scenario library against what was reported: each scenario is run as `skyshield run`
//! runs it (same seed, same runs, parameters drawn from their ranges), and every reported
//! figure is set beside its metric: mean over runs with the 95 % interval of the mean, and the
//! 5th and 95th percentiles across runs; or, for a lead-time quantile, the Summary's quantile
//! with the 5th and 95th percentiles of the same lead-time distribution.

use std::path::{Path, PathBuf};

use skyshield_engine::{Prepared, prepare};
use skyshield_mc::figures::{self, FigureResult};
use skyshield_mc::{BatchOptions, Execution, Overrides, Summary, run_batch};
use skyshield_scenario::{Policy, Scenario};

use crate::ValidationError;

/// One library scenario, run.
#[derive(Debug, Clone)]
pub struct EventResult {
    /// The file, as given.
    pub path: PathBuf,
    /// The scenario.
    pub scenario: Scenario,
    /// Runs played.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
    /// The summary, as `skyshield run` prints it.
    pub summary: Summary,
    /// Reported figures against the simulation.
    pub figures: Vec<FigureResult>,
}

impl EventResult {
    /// The command that prints the same summary.
    pub fn command(&self) -> String {
        format!(
            "skyshield run {} --runs {} --seed {} --format json",
            self.path.display(),
            self.runs,
            self.seed
        )
    }
}

/// Loads and prepares the scenario at `path`.
pub(crate) fn load_prepared(path: &Path) -> Result<(Scenario, Prepared), ValidationError> {
    let scenario = skyshield_scenario::load(path)
        .map_err(|e| ValidationError::Scenario(e.diagnostics().to_string()))?;
    let prepared = prepare(&scenario).map_err(|e| ValidationError::Prepare {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    Ok((scenario, prepared))
}

/// Loads, prepares and runs the scenario at `path` with its own seed and `runs` runs (its own
/// `runs` when `None`) on `threads` threads (0: one per core).
pub fn run_event(
    path: &Path,
    runs: Option<u64>,
    threads: usize,
) -> Result<EventResult, ValidationError> {
    let (scenario, prepared) = load_prepared(path)?;
    let opts = BatchOptions::new(
        &prepared,
        Overrides {
            runs,
            threads: Some(threads),
            keep_runs: true,
            ..Overrides::default()
        },
    );
    let batch = run_batch(&prepared, &opts, Execution::default()).map_err(|source| {
        ValidationError::Batch {
            path: path.to_path_buf(),
            source,
        }
    })?;
    let (summary, rows) = (batch.summary, batch.rows);
    let figures = figures::score(&scenario, &prepared.asset_ids, &summary, &rows);
    Ok(EventResult {
        path: path.to_path_buf(),
        runs: opts.runs,
        seed: opts.seed,
        scenario,
        summary,
        figures,
    })
}

/// The library: every `*.yaml` in `dir` except the built-in default scenario, sorted.
pub fn library(dir: &Path) -> Result<Vec<PathBuf>, ValidationError> {
    let read_err = |source| ValidationError::Read {
        path: dir.to_path_buf(),
        source,
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().is_some_and(|e| e == "yaml")
            && path.file_stem().is_some_and(|s| s != "default")
        {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The assignment policies, with their names in scenario files.
pub const POLICIES: [(Policy, &str); 3] = [
    (Policy::EarliestIntercept, "earliest-intercept"),
    (Policy::ValueWeighted, "value-weighted"),
    (Policy::CostAware, "cost-aware"),
];

/// A scenario played under each assignment policy, with its own seed and the same runs.
#[derive(Debug, Clone)]
pub struct PolicyComparison {
    /// The scenario's title.
    pub name: String,
    /// Runs played under each policy.
    pub runs: u64,
    /// The summary under each policy, in the order of [`POLICIES`].
    pub summaries: Vec<Summary>,
}

/// Plays the scenario at `path` under each policy of [`POLICIES`], as [`run_event`] does.
pub fn compare_policies(
    path: &Path,
    runs: Option<u64>,
    threads: usize,
) -> Result<PolicyComparison, ValidationError> {
    let (scenario, mut prepared) = load_prepared(path)?;
    let mut summaries = Vec::new();
    let mut played = 0;
    for (policy, _) in POLICIES {
        prepared.policy = policy;
        let opts = BatchOptions::new(
            &prepared,
            Overrides {
                runs,
                threads: Some(threads),
                ..Overrides::default()
            },
        );
        played = opts.runs;
        let batch = run_batch(&prepared, &opts, Execution::default()).map_err(|source| {
            ValidationError::Batch {
                path: path.to_path_buf(),
                source,
            }
        })?;
        summaries.push(batch.summary);
    }
    Ok(PolicyComparison {
        name: scenario.name,
        runs: played,
        summaries,
    })
}
