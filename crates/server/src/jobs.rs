//! The job queue: submitted runs wait in a bounded queue; a set number of batches run at once,
//! on one shared thread pool, each through the library pipeline of `skyshield run`.
//!
//! A job is admitted only while fewer than the queue's capacity wait ([`Jobs::reserve`] refuses
//! it otherwise, and the API answers 429). Each running batch publishes its progress on a watch
//! channel (for server-sent events) and, at most every [`PROGRESS_WRITE_S`], in its row. Its
//! outputs are written to its folder by [`RunFolder::write`] before the row says `finished`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde::Serialize;
use skyshield_campaign::{CampaignError, CampaignOptions, run_campaign};
use skyshield_engine::{Prepared, prepare};
use skyshield_mc::figures;
use skyshield_mc::{
    BatchError, BatchOptions, CancelToken, Execution, Overrides, UncertaintyError, run_batch,
    run_uncertain,
};
use skyshield_report::campaign::{campaign_summary_json, write_campaign};
use skyshield_report::folder::DEFAULT_SAMPLE_RUNS;
use skyshield_report::{RunFolder, RunOutputs, summary_json};
use skyshield_scenario::Scenario;
use tokio::sync::{mpsc, watch};

use crate::store::{RunOptions, Status, Store, StoreError};

/// Least time between two writes of a running batch's progress to its row, s.
pub const PROGRESS_WRITE_S: f64 = 0.5;

/// Progress of a run, as server-sent events carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub status: Status,
    pub done: u64,
    pub total: u64,
}

/// A run admitted to the queue: its scenario, already validated, and its text.
#[derive(Debug)]
pub struct Job {
    pub id: i64,
    pub scenario: Scenario,
    pub text: String,
    pub options: RunOptions,
}

/// What a queued or running job can be reached by.
#[derive(Debug)]
struct Live {
    progress: watch::Sender<Progress>,
    cancel: CancelToken,
    /// Holds a place in the queue (not yet taken by a worker, nor cancelled).
    waiting: bool,
}

/// The queue was full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    pub capacity: usize,
}

/// The queue and its workers.
#[derive(Debug)]
pub struct Jobs {
    store: Arc<Store>,
    runs_dir: PathBuf,
    capacity: usize,
    waiting: AtomicUsize,
    sender: mpsc::UnboundedSender<Job>,
    live: Mutex<HashMap<i64, Live>>,
    pool: rayon::ThreadPool,
}

impl Jobs {
    /// A queue of `capacity` waiting jobs, `concurrent` batches at once on a pool of `threads`
    /// (0: one per core), writing output folders under `runs_dir`; its workers run on the
    /// current tokio runtime.
    pub fn start(
        store: Arc<Store>,
        runs_dir: PathBuf,
        capacity: usize,
        concurrent: usize,
        threads: usize,
    ) -> Result<Arc<Jobs>, rayon::ThreadPoolBuildError> {
        let (sender, receiver) = mpsc::unbounded_channel();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("skyshield-batch-{i}"))
            .build()?;
        let jobs = Arc::new(Jobs {
            store,
            runs_dir,
            capacity,
            waiting: AtomicUsize::new(0),
            sender,
            live: Mutex::new(HashMap::new()),
            pool,
        });
        let receiver = Arc::new(tokio::sync::Mutex::new(receiver));
        for _ in 0..concurrent.max(1) {
            let jobs = Arc::clone(&jobs);
            let receiver = Arc::clone(&receiver);
            tokio::spawn(async move {
                loop {
                    let Some(job) = receiver.lock().await.recv().await else {
                        return;
                    };
                    if !jobs.take_from_queue(job.id) {
                        // Cancelled while it waited.
                        continue;
                    }
                    let worker = Arc::clone(&jobs);
                    let id = job.id;
                    if let Err(e) = tokio::task::spawn_blocking(move || worker.play(job)).await {
                        let _ =
                            jobs.store
                                .end(id, Status::Failed, &format!("the batch stopped: {e}"));
                        jobs.publish_end(id);
                    }
                }
            });
        }
        Ok(jobs)
    }

    /// Gives up the place of job `id` in the queue; `false` when it had none (it was
    /// cancelled while it waited).
    fn take_from_queue(&self, id: i64) -> bool {
        let Ok(mut live) = self.live.lock() else {
            return false;
        };
        match live.get_mut(&id) {
            Some(l) if l.waiting => {
                l.waiting = false;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                true
            }
            _ => false,
        }
    }

    /// Jobs waiting for a worker.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::SeqCst)
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// Takes a place in the queue, or says it is full.
    pub fn reserve(&self) -> Result<Reservation<'_>, QueueFull> {
        self.waiting
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| {
                (n < self.capacity).then_some(n + 1)
            })
            .map(|_| Reservation {
                jobs: self,
                used: false,
            })
            .map_err(|_| QueueFull {
                capacity: self.capacity,
            })
    }

    /// Progress of a queued or running job; `None` once it is over.
    pub fn subscribe(&self, id: i64) -> Option<watch::Receiver<Progress>> {
        let live = self.live.lock().ok()?;
        live.get(&id).map(|l| l.progress.subscribe())
    }

    /// Cancels a queued or running job; `false` when it is not queued or running.
    pub fn cancel(&self, id: i64) -> Result<bool, StoreError> {
        {
            let mut live = self.live.lock().map_err(|_| StoreError::Poisoned)?;
            let Some(l) = live.get_mut(&id) else {
                return Ok(false);
            };
            l.cancel.cancel();
            if l.waiting {
                // Its place is free at once; the worker that takes it from the channel skips it.
                l.waiting = false;
                self.waiting.fetch_sub(1, Ordering::SeqCst);
            }
        }
        // The row ends now; a running batch stops at its next run and writes nothing.
        self.store.end(id, Status::Cancelled, "cancelled")?;
        self.publish_end(id);
        Ok(true)
    }

    fn publish(&self, id: i64, progress: Progress) {
        if let Ok(live) = self.live.lock()
            && let Some(l) = live.get(&id)
        {
            l.progress.send_replace(progress);
        }
    }

    /// Sends the row's final state to the job's listeners and forgets the job.
    fn publish_end(&self, id: i64) {
        let record = self.store.run(id).ok().flatten();
        if let Ok(mut live) = self.live.lock()
            && let Some(l) = live.remove(&id)
            && let Some(r) = record
        {
            l.progress.send_replace(Progress {
                status: r.status,
                done: r.done,
                total: r.total,
            });
        }
    }

    /// Plays a job through the library pipeline, on the calling (blocking) thread.
    fn play(&self, job: Job) {
        let id = job.id;
        let cancel = match self.live.lock() {
            Ok(live) => live.get(&id).map(|l| l.cancel.clone()),
            Err(_) => None,
        };
        let Some(cancel) = cancel else { return };
        if cancel.is_cancelled() {
            self.publish_end(id);
            return;
        }
        let result = self.play_batch(&job, &cancel);
        match result {
            Ok(()) => {}
            Err((status, message)) => {
                let _ = self.store.end(id, status, &message);
            }
        }
        self.publish_end(id);
    }

    fn play_batch(&self, job: &Job, cancel: &CancelToken) -> Result<(), (Status, String)> {
        let failed = |e: &dyn std::fmt::Display| (Status::Failed, e.to_string());
        let prepared = prepare(&job.scenario).map_err(|e| failed(&e))?;
        if job.options.campaign {
            return self.play_campaign(job, &prepared, cancel);
        }
        let opts = BatchOptions::new(
            &prepared,
            Overrides {
                runs: Some(job.options.runs),
                seed: Some(job.options.seed),
                threads: None,
                nominal: job.options.nominal,
                keep_runs: true,
                sample_runs: Some(DEFAULT_SAMPLE_RUNS),
            },
        );
        if !self
            .store
            .start(job.id, opts.runs)
            .map_err(|e| failed(&e))?
        {
            return Ok(());
        }
        let mut progress = self.reporter(job.id);
        self.publish(
            job.id,
            Progress {
                status: Status::Running,
                done: 0,
                total: opts.runs,
            },
        );
        let execution = Execution::default()
            .observe(&mut progress)
            .cancel_on(cancel)
            .on_pool(&self.pool);
        let cancelled_or_failed = |e: BatchError| match e {
            BatchError::Cancelled { .. } => (Status::Cancelled, e.to_string()),
            e => failed(&e),
        };
        let mut batch = match job.options.uncertainty {
            Some(mode) => run_uncertain(
                &job.scenario,
                &prepared,
                mode,
                job.options.parameter_sets,
                &opts,
                execution,
            )
            .map_err(|e| match e {
                UncertaintyError::Batch(e) => cancelled_or_failed(e),
                e => failed(&e),
            })?,
            None => run_batch(&prepared, &opts, execution).map_err(cancelled_or_failed)?,
        };
        // The runs' rows are kept (`keep_runs`), so the reported figures are scored as by
        // `skyshield run`.
        figures::score_batch(&job.scenario, &prepared, &mut batch);
        let dir = self.runs_dir.join(job.id.to_string());
        RunFolder::new(&dir)
            .write(
                &RunOutputs {
                    scenario: &job.scenario,
                    text: &job.text,
                    prepared: &prepared,
                    opts: &opts,
                    batch: &batch,
                },
                &crate::LIMITS,
            )
            .map_err(|e| failed(&e))?;
        let json = summary_json(&batch.summary).map_err(|e| failed(&e))?;
        self.finish(job.id, &json, &dir)
    }
}

impl Jobs {
    /// What hears the progress of job `id`: its subscribers at once, the store every
    /// `PROGRESS_WRITE_S`.
    fn reporter(&self, id: i64) -> impl FnMut(u64, u64) + '_ {
        let mut last_write = Instant::now();
        move |done, total| {
            self.publish(
                id,
                Progress {
                    status: Status::Running,
                    done,
                    total,
                },
            );
            if last_write.elapsed().as_secs_f64() >= PROGRESS_WRITE_S {
                last_write = Instant::now();
                let _ = self.store.progress(id, done);
            }
        }
    }

    /// Plays a job's campaign day by day (`skyshield campaign`), and writes its folder:
    /// `campaign.parquet`, the plots and `summary.json`, the campaign's summary.
    fn play_campaign(
        &self,
        job: &Job,
        prepared: &Prepared,
        cancel: &CancelToken,
    ) -> Result<(), (Status, String)> {
        let failed = |e: &dyn std::fmt::Display| (Status::Failed, e.to_string());
        let opts = CampaignOptions {
            runs: job.options.runs,
            seed: job.options.seed,
            threads: self.pool.current_num_threads(),
        };
        if !self
            .store
            .start(job.id, opts.runs)
            .map_err(|e| failed(&e))?
        {
            return Ok(());
        }
        let mut progress = self.reporter(job.id);
        let result = run_campaign(&job.scenario, prepared, &opts, cancel, &mut progress).map_err(
            |e| match e {
                CampaignError::Batch(BatchError::Cancelled { .. }) => {
                    (Status::Cancelled, e.to_string())
                }
                e => failed(&e),
            },
        )?;
        let dir = self.runs_dir.join(job.id.to_string());
        write_campaign(&dir, &result.rows, &result.summary).map_err(|e| failed(&e))?;
        let json = campaign_summary_json(&result.summary).map_err(|e| failed(&e))?;
        self.finish(job.id, &json, &dir)
    }

    /// Marks job `id` finished with its `summary` and output folder `dir`, written before;
    /// when it was cancelled meanwhile, the folder belongs to no run and is removed.
    fn finish(&self, id: i64, summary: &str, dir: &Path) -> Result<(), (Status, String)> {
        let finished = self
            .store
            .finish(id, summary, &dir.to_string_lossy())
            .map_err(|e| (Status::Failed, e.to_string()))?;
        if !finished {
            let _ = std::fs::remove_dir_all(dir);
        }
        Ok(())
    }
}

/// A place taken in the queue: [`Reservation::enqueue`] fills it; dropped unused, it is given
/// back.
#[derive(Debug)]
pub struct Reservation<'a> {
    jobs: &'a Jobs,
    used: bool,
}

impl Reservation<'_> {
    /// Queues `job`, whose row is already in the store.
    pub fn enqueue(mut self, job: Job) {
        let id = job.id;
        let total = job.options.runs;
        let (progress, _) = watch::channel(Progress {
            status: Status::Queued,
            done: 0,
            total,
        });
        if let Ok(mut live) = self.jobs.live.lock() {
            live.insert(
                id,
                Live {
                    progress,
                    cancel: CancelToken::new(),
                    waiting: true,
                },
            );
        }
        self.used = true;
        if self.jobs.sender.send(job).is_err() {
            self.jobs.take_from_queue(id);
            let _ = self
                .jobs
                .store
                .end(id, Status::Failed, "the server is shutting down");
            self.jobs.publish_end(id);
        }
    }
}

impl Drop for Reservation<'_> {
    fn drop(&mut self) {
        if !self.used {
            self.jobs.waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }
}
