//! Monte Carlo batches of replications: runs in parallel, statistics streamed.
//!
//! [`run_batch`] plays runs `0..N` of a [`Prepared`] scenario on a rayon pool. Run `k` draws from
//! the streams of `(seed, k, stream)`, so it is the same whichever thread plays it, and can be
//! replayed alone. Runs are grouped in fixed chunks; each chunk is summarised on its own and the
//! chunk summaries are merged in chunk order, so the statistics are bit-identical for any number
//! of threads. Threads take chunks as they come free; memory stays flat in the number of runs,
//! as a thread starts no chunk more than a bounded number past the oldest one not yet merged.

pub mod analytic;
mod batch;
pub mod stats;
mod summary;

pub use batch::{Batch, BatchOptions, Progress, RunRow, run_batch};
pub use summary::{
    AssetSummary, CostSummary, Fates, LEAD_BIN_S, LEAD_HISTOGRAM_CAP_S, LayerSummary, LeadSummary,
    LeakerSummary, Parameters, Summary, Timing, WarningSummary, ZoneSummary,
};

pub use skyshield_engine::Prepared;
