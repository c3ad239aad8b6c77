//! Monte Carlo batches of replications: runs in parallel, statistics streamed.
//!
//! # The pipeline
//! Every front end (the command line, the web server, the Python package) runs a scenario the
//! same way, and re-implements no step:
//! 1. load and validate: `skyshield_scenario` gives a `Scenario` or located diagnostics;
//! 2. prepare: [`skyshield_engine::prepare`] gives a [`Prepared`] scenario;
//! 3. run: [`BatchOptions::new`] takes the scenario's runs and seed with the caller's
//!    [`Overrides`]; [`run_uncertain`] plays the batch under the [`Uncertainty`] asked for (over
//!    parameter sets, through [`run_batch`]'s machinery; [`run_batch`] plays one prepared
//!    scenario) with an [`Execution`] (an observer of progress
//!    and per-run rows, a [`CancelToken`], a caller's thread pool) and gives a [`Batch`]: the
//!    [`Summary`] (which serialises and reads itself back), per-run rows and kept outcomes;
//! 4. outputs: `skyshield_report` writes and reads the run folder.
//!
//! This crate owns batches, per-run seeds, streaming statistics, the Summary and the analytic
//! reference models. It must not depend on I/O beyond its arguments, on tokio, or on the report
//! and front-end crates.
//!
//! # Batches
//! [`run_batch`] plays runs `0..N` of a [`Prepared`] scenario on a rayon pool. Run `k` draws from
//! the streams of `(seed, k, stream, key)`, the key naming what draws (a threat, a threat seen by
//! a sensor, a parameter), so it is the same whichever thread plays it, can be replayed alone,
//! and shares its draws with run `k` of any variant of the scenario wherever the two have the
//! same elements ([`compare`]: paired differences). Runs are grouped in fixed chunks; each chunk is summarised on its own and the
//! chunk summaries are merged in chunk order, so the statistics are bit-identical for any number
//! of threads. Threads take chunks as they come free; memory stays flat in the number of runs,
//! as a thread starts no chunk more than a bounded number past the oldest one not yet merged.

mod accumulate;
pub mod analytic;
mod batch;
pub mod bench;
pub mod breakpoint;
mod chunks;
pub mod compare;
pub mod figures;
pub mod reported;
pub mod stats;
mod summary;
pub mod uncertainty;

pub use accumulate::RunRow;
pub use batch::{
    Batch, BatchError, BatchObserver, BatchOptions, CancelToken, Execution, Overrides, map_runs,
    run_batch,
};
pub use summary::{
    AssetSummary, CostSummary, Fates, FigureScore, LEAD_BIN_S, LEAD_HISTOGRAM_CAP_S, LayerSummary,
    LeadSummary, LeakCauses, LeakerSummary, Parameters, Summary, Timing, Uncertainty,
    UncertaintySummary, WarningSummary, ZoneLeads, ZoneSummary, representative_run,
};

pub use uncertainty::{DEFAULT_PARAMETER_SETS, UncertaintyError, run_uncertain};

pub use skyshield_engine::Prepared;
