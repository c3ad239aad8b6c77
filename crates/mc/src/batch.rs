//! Running a batch of replications in parallel: its options, who hears it, what stops it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use skyshield_engine::{Outcome, Prepared, Replication};

use crate::accumulate::{Acc, RunRow, Scratch, summarise};
use crate::chunks::ordered_chunks;
use crate::summary::{Parameters, Summary};

/// Runs per chunk: the unit of work of a thread and of the ordered merge.
const CHUNK_RUNS: u64 = 32;

/// Runs per chunk of an abstract scenario, whose runs take about a thousandth of the time of a
/// layered scenario's: a chunk then still takes some hundreds of microseconds, so that the
/// merge and the hand-over between threads stay a small part of the time.
const ABSTRACT_CHUNK_RUNS: u64 = 1024;

/// How to run a batch. [`BatchOptions::new`] takes the scenario's own runs and seed unless
/// [`Overrides`] say otherwise: every front end builds its options there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads of the pool built for the batch; 0: one per core. Unused when the batch
    /// runs on a caller's pool ([`Execution::on_pool`]).
    pub threads: usize,
    /// Keep one [`RunRow`] per run (in [`Batch::rows`], and for [`BatchObserver::row`]).
    pub keep_runs: bool,
    /// Keep the full [`Outcome`] of the first `sample_runs` runs (runs `0..sample_runs`).
    pub sample_runs: u64,
    /// Draw every parameter with a range from it in each run (see
    /// [`Replication::with_parameter_sampling`]); otherwise nominal values.
    pub sample_parameters: bool,
}

/// What a caller sets over a scenario's own batch settings; `None` and `false` keep the
/// scenario's.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replications, instead of the scenario's `runs`.
    pub runs: Option<u64>,
    /// Master seed, instead of the scenario's `seed`.
    pub seed: Option<u64>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
    /// Every parameter at its nominal value instead of drawn from its range in each run.
    pub nominal: bool,
    /// Keep one [`RunRow`] per run.
    pub keep_runs: bool,
    /// Runs kept in full (runs `0..N`, at most the batch's runs; default none).
    pub sample_runs: Option<u64>,
}

impl BatchOptions {
    /// The options of a batch of `prepared`: its scenario's runs and seed, with `overrides`.
    pub fn new(prepared: &Prepared, overrides: Overrides) -> BatchOptions {
        let runs = overrides.runs.unwrap_or(prepared.runs);
        BatchOptions {
            runs,
            seed: overrides.seed.unwrap_or(prepared.seed),
            threads: overrides.threads.unwrap_or(0),
            keep_runs: overrides.keep_runs,
            sample_runs: overrides.sample_runs.unwrap_or(0).min(runs),
            sample_parameters: !overrides.nominal,
        }
    }
}

/// Hears a batch as it goes, on the calling thread, in run order.
pub trait BatchObserver {
    /// Runs summarised so far, of `total`.
    fn progress(&mut self, done: u64, total: u64) {
        let _ = (done, total);
    }

    /// The row of one run, when the batch keeps per-run rows ([`BatchOptions::keep_runs`]).
    fn row(&mut self, row: &RunRow) {
        let _ = row;
    }
}

/// A closure hears progress: `(runs done, runs in all)`.
impl<F: FnMut(u64, u64)> BatchObserver for F {
    fn progress(&mut self, done: u64, total: u64) {
        self(done, total)
    }
}

/// Stops a batch from another thread: every worker checks it before each run.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn new() -> CancelToken {
        CancelToken::default()
    }

    /// Asks the batches that hold this token (or a clone of it) to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// Where and how a batch runs: who hears its progress, what can cancel it, on which threads.
/// The default: nobody listening, no cancellation, a pool of [`BatchOptions::threads`] built
/// for the batch.
#[derive(Default)]
pub struct Execution<'a> {
    observer: Option<&'a mut dyn BatchObserver>,
    cancel: CancelToken,
    pool: Option<&'a rayon::ThreadPool>,
}

impl std::fmt::Debug for Execution<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("observer", &self.observer.is_some())
            .field("cancel", &self.cancel)
            .field("pool", &self.pool.map(|p| p.current_num_threads()))
            .finish()
    }
}

impl<'a> Execution<'a> {
    /// `observer` hears progress and rows.
    pub fn observe(mut self, observer: &'a mut dyn BatchObserver) -> Self {
        self.observer = Some(observer);
        self
    }

    /// The batch stops, with [`BatchError::Cancelled`], once `token` is cancelled.
    pub fn cancel_on(mut self, token: &CancelToken) -> Self {
        self.cancel = token.clone();
        self
    }

    /// The batch runs on the threads of `pool` instead of a pool of its own.
    pub fn on_pool(mut self, pool: &'a rayon::ThreadPool) -> Self {
        self.pool = Some(pool);
        self
    }
}

/// Why a batch gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BatchError {
    #[error("the batch was cancelled after {done} of {total} runs")]
    Cancelled { done: u64, total: u64 },
    #[error("cannot start the batch's {threads} worker threads: {message}")]
    ThreadPool { threads: usize, message: String },
}

/// What a batch gives: the summary, and the per-run output asked for in [`BatchOptions`].
#[derive(Debug, Clone)]
pub struct Batch {
    pub summary: Summary,
    /// One row per run, in run order, when [`BatchOptions::keep_runs`]; otherwise empty.
    pub rows: Vec<RunRow>,
    /// The outcomes of runs `0..min(sample_runs, runs)`, in run order.
    pub sample: Vec<Outcome>,
}

/// Plays runs `0..opts.runs` of `prepared` and summarises them; per-run rows and the outcomes
/// of the first runs when asked for. Each run plays with the assignment policy the scenario
/// names. Fails when the batch is cancelled before its last run (no partial summary) or its
/// threads cannot start.
pub fn run_batch(
    prepared: &Prepared,
    opts: &BatchOptions,
    execution: Execution<'_>,
) -> Result<Batch, BatchError> {
    let plan = Plan {
        runs_per_set: opts.runs.max(1),
        common_chance: false,
    };
    play_sets(&[prepared], plan, opts, execution).map(|(batch, _)| batch)
}

/// How the runs of a batch are spread over parameter sets: global run `g` plays set
/// `g / runs_per_set`, with the chance of run `g`, or of run `g % runs_per_set` when the sets
/// share their chance (common random numbers).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Plan {
    pub runs_per_set: u64,
    pub common_chance: bool,
}

/// Per parameter set: runs, and the sum and sum of squares of their leakers (integers, so
/// the sums are exact and merge in any order).
pub(crate) type SetMoments = Vec<[f64; 3]>;

/// Plays `opts.runs` runs over `sets` as `plan` says and summarises them (with the structure
/// of `sets[0]`: every set is one scenario prepared with other parameter values); gives the
/// leakers' moments per set besides.
pub(crate) fn play_sets(
    sets: &[&Prepared],
    plan: Plan,
    opts: &BatchOptions,
    execution: Execution<'_>,
) -> Result<(Batch, SetMoments), BatchError> {
    let prepared = sets[0];
    let start = Instant::now();
    let Execution {
        observer,
        cancel,
        pool,
    } = execution;
    let mut quiet = Quiet;
    let observer = observer.unwrap_or(&mut quiet);
    let owned;
    let pool = match pool {
        Some(pool) => pool,
        None => {
            owned = rayon::ThreadPoolBuilder::new()
                .num_threads(opts.threads)
                .build()
                .map_err(|e| BatchError::ThreadPool {
                    threads: opts.threads,
                    message: e.to_string(),
                })?;
            &owned
        }
    };
    // Layers: interceptor types, sorted by name (the order of `Summary::by_layer`).
    let mut layer_names: Vec<String> = prepared
        .batteries
        .iter()
        .map(|b| b.type_id.clone())
        .collect();
    layer_names.sort();
    layer_names.dedup();
    let layer_of: Vec<usize> = prepared
        .batteries
        .iter()
        .map(|b| layer_names.binary_search(&b.type_id).unwrap_or(0))
        .collect();
    let (nl, na) = (layer_names.len(), prepared.asset_ids.len());
    let nz = prepared.warning.as_ref().map_or(0, |w| w.zones.len());
    let scratch = Scratch::new(nl, na);
    let threads = pool.current_num_threads();
    let mut total = Acc::new(nl, na, nz);
    let mut rows = Vec::new();
    let mut moments: SetMoments = vec![[0.0; 3]; sets.len()];
    let mut done = 0;
    let chunk_runs = if prepared.abstract_plan.is_some() {
        ABSTRACT_CHUNK_RUNS
    } else {
        CHUNK_RUNS
    };
    ordered_chunks(
        pool,
        opts.runs.div_ceil(chunk_runs),
        || {
            let rep = Replication::new().with_parameter_sampling(opts.sample_parameters);
            (rep, scratch.clone())
        },
        |(rep, scratch), c| {
            let mut acc = Acc::new(nl, na, nz);
            let mut chunk_moments: Vec<(usize, f64)> = Vec::new();
            for run in c * chunk_runs..((c + 1) * chunk_runs).min(opts.runs) {
                if cancel.is_cancelled() {
                    return None;
                }
                let set = ((run / plan.runs_per_set) as usize).min(sets.len() - 1);
                let chance = if plan.common_chance {
                    run % plan.runs_per_set
                } else {
                    run
                };
                // Each threat's outcome is read only to count hits on assets and for the runs
                // kept in full.
                rep.set_threat_outcomes(na > 0 || run < opts.sample_runs);
                let outcome = rep.run(sets[set], opts.seed, chance);
                let leakers = acc.add(outcome, &layer_of, opts.seed, opts.keep_runs, scratch);
                chunk_moments.push((set, f64::from(leakers)));
                if run < opts.sample_runs {
                    acc.sample.push(outcome.clone());
                }
            }
            Some((acc, chunk_moments))
        },
        |(mut acc, chunk_moments)| {
            for (set, leakers) in chunk_moments {
                let m = &mut moments[set];
                m[0] += 1.0;
                m[1] += leakers;
                m[2] += leakers * leakers;
            }
            let rows = std::mem::take(&mut acc.rows);
            total.merge(acc);
            rows
        },
        &mut |merged, chunk_rows| {
            for row in &chunk_rows {
                observer.row(row);
            }
            rows.extend(chunk_rows);
            done = (merged * chunk_runs).min(opts.runs);
            observer.progress(done, opts.runs);
        },
    );
    if done < opts.runs {
        return Err(BatchError::Cancelled {
            done,
            total: opts.runs,
        });
    }
    let wall_s = start.elapsed().as_secs_f64();
    let batch = Batch {
        summary: summarise(
            prepared,
            opts.seed,
            if opts.sample_parameters {
                Parameters::Sampled
            } else {
                Parameters::Nominal
            },
            &layer_names,
            &layer_of,
            &total,
            wall_s,
            threads,
        ),
        rows,
        sample: total.sample,
    };
    Ok((batch, moments))
}

/// An observer that hears nothing.
struct Quiet;

impl BatchObserver for Quiet {}

/// Plays `play(state, k)` for `k` in `0..n` on a pool of `threads` worker threads (0: one per
/// core), each thread keeping its own `state()` across the indices it plays, and gives the
/// results in index order: for a `play` that depends only on `k`, the same on any number of
/// threads. This is the batch machinery of [`run_batch`] for work that is not one replication
/// per index (the days of a campaign run, say). `progress` hears, in order, how many indices
/// are done, of `n`. Fails when `cancel` is cancelled before the last index, or the threads
/// cannot start.
pub fn map_runs<S, T: Send>(
    n: u64,
    threads: usize,
    cancel: &CancelToken,
    state: impl Fn() -> S + Sync,
    play: impl Fn(&mut S, u64) -> T + Sync,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Vec<T>, BatchError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| BatchError::ThreadPool {
            threads,
            message: e.to_string(),
        })?;
    let mut out = Vec::new();
    let mut done = 0;
    ordered_chunks(
        &pool,
        n.div_ceil(CHUNK_RUNS),
        state,
        |s, c| {
            let mut chunk = Vec::new();
            for k in c * CHUNK_RUNS..((c + 1) * CHUNK_RUNS).min(n) {
                if cancel.is_cancelled() {
                    return None;
                }
                chunk.push(play(s, k));
            }
            Some(chunk)
        },
        |chunk| chunk,
        &mut |merged, chunk| {
            out.extend(chunk);
            done = (merged * CHUNK_RUNS).min(n);
            progress(done, n);
        },
    );
    if done < n {
        return Err(BatchError::Cancelled { done, total: n });
    }
    Ok(out)
}
