//! Running a batch of replications in parallel.

use std::collections::BTreeMap;
use std::time::Instant;

use rayon::prelude::*;
use skyshield_engine::{Fate, Outcome, Prepared, Replication};

use crate::stats::{CountStat, Moments, ValueStat, wilson95};
use crate::summary::{
    AssetSummary, CostSummary, Fates, LayerSummary, LeakerSummary, Summary, Timing,
};

/// Runs per chunk: the unit of work of a thread and of the ordered merge.
const CHUNK_RUNS: u64 = 32;
/// Chunks per block: the runs in flight at a time are at most `CHUNK_RUNS * BLOCK_CHUNKS`.
const BLOCK_CHUNKS: u64 = 64;

/// How to run a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; 0: one per core.
    pub threads: usize,
    /// Keep one [`RunRow`] per run.
    pub keep_runs: bool,
    /// Draw every parameter with a range from it in each run (see
    /// [`Replication::with_parameter_sampling`]); otherwise nominal values.
    pub sample_parameters: bool,
}

/// Receives progress between blocks of runs: `(runs done, runs in all)`.
pub trait Progress {
    fn advance(&mut self, done: u64, total: u64);
}

impl<F: FnMut(u64, u64)> Progress for F {
    fn advance(&mut self, done: u64, total: u64) {
        self(done, total)
    }
}

/// The numbers of one run, for per-run output.
#[derive(Debug, Clone, PartialEq)]
pub struct RunRow {
    pub run: u64,
    pub seed: u64,
    pub leakers: u32,
    pub intercepted: u32,
    pub ignored_open_area: u32,
    pub failed_in_flight: u32,
    /// Interceptors fired per interceptor type, in the order of [`Summary::by_layer`].
    pub shots: Vec<u32>,
    /// Threats killed per interceptor type, in the same order.
    pub kills: Vec<u32>,
    /// Rounds left at the end per interceptor type, in the same order.
    pub rounds_left: Vec<u32>,
    /// Threats landing in each asset, in the order of the prepared scenario's `asset_ids`.
    pub hits: Vec<u32>,
    pub defense_cost_usd: f64,
    pub offense_cost_usd: f64,
}

/// Statistics of a chunk of runs, merged in chunk order.
#[derive(Debug, Clone, Default)]
struct Acc {
    leakers: CountStat,
    zero_leak_runs: u64,
    fates: [Moments; 4],
    shots: Vec<CountStat>,
    kills: Vec<CountStat>,
    rounds_left: Vec<Moments>,
    asset_hits: Vec<CountStat>,
    asset_hit_runs: Vec<u64>,
    defense: ValueStat,
    offense: Moments,
    rows: Vec<RunRow>,
}

impl Acc {
    fn new(layers: usize, assets: usize) -> Self {
        Acc {
            shots: vec![CountStat::default(); layers],
            kills: vec![CountStat::default(); layers],
            rounds_left: vec![Moments::default(); layers],
            asset_hits: vec![CountStat::default(); assets],
            asset_hit_runs: vec![0; assets],
            ..Acc::default()
        }
    }

    fn add(
        &mut self,
        o: &Outcome,
        layer_of: &[usize],
        seed: u64,
        keep: bool,
        scratch: &mut Scratch,
    ) {
        let count = |f| o.count(f) as u32;
        let leakers = count(Fate::Leaked);
        self.leakers.add(leakers);
        self.zero_leak_runs += u64::from(leakers == 0);
        for (m, f) in self.fates.iter_mut().zip(FATES) {
            m.add(f64::from(count(f)));
        }
        scratch.shots.iter_mut().for_each(|x| *x = 0);
        scratch.kills.iter_mut().for_each(|x| *x = 0);
        scratch.rounds_left.iter_mut().for_each(|x| *x = 0);
        for (b, tally) in o.batteries.iter().enumerate() {
            let l = layer_of[b];
            scratch.shots[l] += tally.shots;
            scratch.kills[l] += tally.kills;
            scratch.rounds_left[l] += tally.rounds_left;
        }
        for l in 0..self.shots.len() {
            self.shots[l].add(scratch.shots[l]);
            self.kills[l].add(scratch.kills[l]);
            self.rounds_left[l].add(f64::from(scratch.rounds_left[l]));
        }
        scratch.hits.iter_mut().for_each(|x| *x = 0);
        for t in &o.threats {
            if let (Fate::Leaked, Some(a)) = (t.fate, t.asset) {
                scratch.hits[a as usize] += 1;
            }
        }
        for (a, &h) in scratch.hits.iter().enumerate() {
            self.asset_hits[a].add(h);
            self.asset_hit_runs[a] += u64::from(h > 0);
        }
        self.defense.add(o.defense_cost_usd);
        self.offense.add(o.offense_cost_usd);
        if keep {
            self.rows.push(RunRow {
                run: o.run,
                seed,
                leakers,
                intercepted: count(Fate::Intercepted),
                ignored_open_area: count(Fate::IgnoredOpenArea),
                failed_in_flight: count(Fate::FailedInFlight),
                shots: scratch.shots.clone(),
                kills: scratch.kills.clone(),
                rounds_left: scratch.rounds_left.clone(),
                hits: scratch.hits.clone(),
                defense_cost_usd: o.defense_cost_usd,
                offense_cost_usd: o.offense_cost_usd,
            });
        }
    }

    fn merge(&mut self, o: Acc) {
        self.leakers.merge(&o.leakers);
        self.zero_leak_runs += o.zero_leak_runs;
        for (a, b) in self.fates.iter_mut().zip(&o.fates) {
            a.merge(b);
        }
        for (v, w) in [
            (&mut self.shots, &o.shots),
            (&mut self.kills, &o.kills),
            (&mut self.asset_hits, &o.asset_hits),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                a.merge(b);
            }
        }
        for (a, b) in self.rounds_left.iter_mut().zip(&o.rounds_left) {
            a.merge(b);
        }
        for (a, b) in self.asset_hit_runs.iter_mut().zip(&o.asset_hit_runs) {
            *a += b;
        }
        self.defense.merge(&o.defense);
        self.offense.merge(&o.offense);
        self.rows.extend(o.rows);
    }
}

const FATES: [Fate; 4] = [
    Fate::Intercepted,
    Fate::Leaked,
    Fate::IgnoredOpenArea,
    Fate::FailedInFlight,
];

/// Per-thread buffers reused across runs.
#[derive(Debug, Clone)]
struct Scratch {
    shots: Vec<u32>,
    kills: Vec<u32>,
    rounds_left: Vec<u32>,
    hits: Vec<u32>,
}

/// Plays runs `0..opts.runs` of `prepared` and summarises them; per-run rows when asked for.
pub fn run_batch(
    prepared: &Prepared,
    opts: &BatchOptions,
    progress: &mut dyn Progress,
) -> (Summary, Vec<RunRow>) {
    let start = Instant::now();
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
    let scratch = Scratch {
        shots: vec![0; nl],
        kills: vec![0; nl],
        rounds_left: vec![0; nl],
        hits: vec![0; na],
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.threads)
        .build()
        .expect("thread pool");
    let threads = pool.current_num_threads();
    let chunks = opts.runs.div_ceil(CHUNK_RUNS);
    let mut total = Acc::new(nl, na);
    let mut block_start = 0;
    while block_start < chunks {
        let block_end = (block_start + BLOCK_CHUNKS).min(chunks);
        let accs: Vec<Acc> = pool.install(|| {
            (block_start..block_end)
                .into_par_iter()
                .map_init(
                    || {
                        (
                            Replication::new().with_parameter_sampling(opts.sample_parameters),
                            scratch.clone(),
                        )
                    },
                    |(rep, scratch), c| {
                        let mut acc = Acc::new(nl, na);
                        for run in c * CHUNK_RUNS..((c + 1) * CHUNK_RUNS).min(opts.runs) {
                            let outcome = rep.run(prepared, opts.seed, run);
                            acc.add(outcome, &layer_of, opts.seed, opts.keep_runs, scratch);
                        }
                        acc
                    },
                )
                .collect()
        });
        for acc in accs {
            total.merge(acc);
        }
        block_start = block_end;
        progress.advance((block_end * CHUNK_RUNS).min(opts.runs), opts.runs);
    }
    let wall_s = start.elapsed().as_secs_f64();
    (
        summarise(
            prepared,
            opts,
            &layer_names,
            &layer_of,
            &total,
            wall_s,
            threads,
        ),
        total.rows,
    )
}

fn summarise(
    p: &Prepared,
    opts: &BatchOptions,
    layer_names: &[String],
    layer_of: &[usize],
    acc: &Acc,
    wall_s: f64,
    threads: usize,
) -> Summary {
    let runs = acc.leakers.moments.n;
    let leakers = acc.leakers.summary();
    let by_layer = layer_names
        .iter()
        .enumerate()
        .map(|(l, name)| {
            let batteries = || {
                p.batteries
                    .iter()
                    .zip(layer_of)
                    .filter(|(_, k)| **k == l)
                    .map(|(b, _)| b)
            };
            let unlimited = batteries().any(|b| b.rounds == u32::MAX);
            let rounds: u64 = batteries().map(|b| u64::from(b.rounds)).sum();
            let price = p
                .batteries
                .iter()
                .zip(layer_of)
                .find(|(_, k)| **k == l)
                .map_or(0.0, |(b, _)| b.cost_usd);
            (
                name.clone(),
                LayerSummary {
                    shots: acc.shots[l].moments.mean,
                    kills: acc.kills[l].moments.mean,
                    shots_ci95: acc.shots[l].moments.ci95(),
                    kills_ci95: acc.kills[l].moments.ci95(),
                    shots_stats: acc.shots[l].summary(),
                    kills_stats: acc.kills[l].summary(),
                    rounds_left: (!unlimited).then_some(acc.rounds_left[l].mean),
                    rounds: (!unlimited).then_some(rounds),
                    cost_usd: acc.shots[l].moments.mean * price,
                },
            )
        })
        .collect();
    let assets = p
        .asset_ids
        .iter()
        .enumerate()
        .map(|(a, id)| {
            let p_hit = if runs == 0 {
                0.0
            } else {
                acc.asset_hit_runs[a] as f64 / runs as f64
            };
            (
                id.clone(),
                AssetSummary {
                    hits_mean: acc.asset_hits[a].moments.mean,
                    hits: acc.asset_hits[a].summary(),
                    p_hit,
                    p_hit_ci95: wilson95(acc.asset_hit_runs[a], runs),
                },
            )
        })
        .collect::<BTreeMap<_, _>>();
    Summary {
        scenario: p.name.clone(),
        runs,
        seed: opts.seed,
        threats: p.threats.len(),
        leakers: LeakerSummary {
            mean: leakers.mean,
            sd: leakers.sd,
            ci95: leakers.ci95,
            p_zero: if runs == 0 {
                0.0
            } else {
                acc.zero_leak_runs as f64 / runs as f64
            },
            p_zero_ci95: wilson95(acc.zero_leak_runs, runs),
            quantiles: leakers.quantiles,
            histogram: leakers.histogram,
        },
        fates: Fates {
            intercepted: acc.fates[0].mean,
            leaked: acc.fates[1].mean,
            ignored_open_area: acc.fates[2].mean,
            failed_in_flight: acc.fates[3].mean,
        },
        by_layer,
        cost_usd: CostSummary {
            defense: acc.defense.moments.mean,
            defense_sd: acc.defense.moments.sd(),
            defense_quantiles: acc.defense.quantiles(),
            offense: acc.offense.mean,
            exchange_ratio: if acc.offense.mean > 0.0 {
                acc.defense.moments.mean / acc.offense.mean
            } else {
                0.0
            },
            defense_ci95: acc.defense.moments.ci95(),
        },
        assets,
        timing: Timing {
            wall_s,
            runs_per_s: if wall_s > 0.0 {
                runs as f64 / wall_s
            } else {
                0.0
            },
            threads,
        },
    }
}
