//! Validation of skyshield, and the page that shows it, `docs/validation.md`.
//!
//! Three kinds of reference:
//!
//! 1. **Reconstructed events** ([`events`]): every scenario of the library (`scenarios/*.yaml`)
//!    run as `skyshield run` runs it, each figure of its `reported:` list beside the simulated
//!    metric (mean, interval of the mean, percentiles across runs), with the reason they differ.
//!    A comparison, not a test: the parameters are public and notional.
//! 2. **Closed forms** ([`skyshield_mc::analytic`]): the Monte Carlo against Wilkening (2000),
//!    the subset that `crates/mc/tests/wilkening.rs` asserts.
//! 3. **Physics** ([`physics`]): `skyshield-physics` against the reference data in
//!    `tests/data/refdata` ([`refdata`]); `tests/physics.rs` asserts every check.
//! 4. **Flight** ([`flights`]): every rocket-powered type of the catalog flown with its nominal
//!    figures, beside the published figures of its flight. A comparison, not a test.
//!
//! 5. **Campaigns** ([`campaigns`]): every library scenario with a `campaign` section played
//!    as `skyshield campaign` plays it, its totals beside those reported over the whole war.
//!
//! [`generate`] does all of them and renders the page ([`document`]); the binary
//! `skyshield-validation` writes it:
//!
//! ```sh
//! cargo run --release -p skyshield-validation -- --out docs/validation.md
//! ```

use std::path::PathBuf;

use skyshield_mc::analytic::{SimulateError, cases_from_csv, representative_subset};

pub mod campaigns;
pub mod document;
pub mod events;
pub mod flights;
pub mod physics;
pub mod refdata;

/// Seed of the closed-form cases (the one `crates/mc/tests/wilkening.rs` uses).
pub const WILKENING_SEED: u64 = 2026;

/// Why validation could not be done.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ValidationError {
    /// A file or folder could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file or folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A reference file is not as its README describes it.
    #[error("tests/data/refdata/{file}: {message}")]
    Reference {
        /// The file name.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A scenario file is not valid: its diagnostics.
    #[error("{0}")]
    Scenario(String),
    /// A valid scenario could not be prepared.
    #[error("{}: {message}", path.display())]
    Prepare {
        /// The file (empty for a closed-form case).
        path: PathBuf,
        /// The engine's message.
        message: String,
    },
    /// A batch of a scenario gave no result.
    #[error("{}: {source}", path.display())]
    Batch {
        /// The file (empty for a closed-form case).
        path: PathBuf,
        /// The cause.
        source: skyshield_mc::BatchError,
    },
}

/// What to validate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Library scenarios to run, in order.
    pub scenarios: Vec<PathBuf>,
    /// Runs per scenario instead of each scenario's own `runs`.
    pub runs: Option<u64>,
    /// Worker threads (0: one per core); the results do not depend on it.
    pub threads: usize,
}

/// Runs every validation and renders `docs/validation.md`.
pub fn generate(opts: &Options) -> Result<String, ValidationError> {
    let events = opts
        .scenarios
        .iter()
        .map(|p| events::run_event(p, opts.runs, opts.threads))
        .collect::<Result<Vec<_>, _>>()?;
    let table = cases_from_csv(&refdata::read("wilkening_bmd.csv")?).map_err(|message| {
        ValidationError::Reference {
            file: "wilkening_bmd.csv".into(),
            message,
        }
    })?;
    let subset: Vec<_> = table
        .into_iter()
        .filter(|c| c.case.n_threats == 10 || c.case.n_threats == 100)
        .collect();
    let wilkening = representative_subset(&subset)
        .into_iter()
        .map(|c| {
            c.case
                .simulate(WILKENING_SEED)
                .map(|a| (c, a))
                .map_err(|e| match e {
                    SimulateError::Batch(source) => ValidationError::Batch {
                        path: PathBuf::new(),
                        source,
                    },
                    e => ValidationError::Prepare {
                        path: PathBuf::new(),
                        message: e.to_string(),
                    },
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let physics = physics::all()?;
    let flights = flights::all()?;
    let policies = opts
        .scenarios
        .iter()
        .map(|p| events::compare_policies(p, opts.runs, opts.threads))
        .collect::<Result<Vec<_>, _>>()?;
    let campaigns: Vec<_> = opts
        .scenarios
        .iter()
        .map(|p| campaigns::run_campaign_of(p, opts.runs, opts.threads))
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect();
    Ok(document::render(
        &events, &wilkening, &physics, &flights, &policies, &campaigns,
    ))
}
