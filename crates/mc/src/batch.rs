//! Running a batch of replications in parallel.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, mpsc};
use std::time::Instant;

use skyshield_engine::{Fate, Outcome, Prepared, Replication, WarningOutcome, WarningPlan};

use crate::stats::{CountStat, Histogram, Moments, ValueStat, wilson95};
use crate::summary::{
    AssetSummary, CostSummary, Fates, LEAD_BIN_S, LEAD_HISTOGRAM_CAP_S, LayerSummary, LeadSummary,
    LeakerSummary, Parameters, Summary, Timing, WarningSummary, ZoneSummary,
};

/// Runs per chunk: the unit of work of a thread and of the ordered merge.
const CHUNK_RUNS: u64 = 32;
/// How many chunks past the oldest one not yet merged a thread may start: the summaries
/// waiting for their turn to be merged, and so the memory of a batch, stay bounded.
const LEAD_CHUNKS: u64 = 64;

/// How to run a batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchOptions {
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; 0: one per core.
    pub threads: usize,
    /// Keep one [`RunRow`] per run.
    pub keep_runs: bool,
    /// Keep the full [`Outcome`] of the first `sample_runs` runs (runs `0..sample_runs`).
    pub sample_runs: u64,
    /// Draw every parameter with a range from it in each run (see
    /// [`Replication::with_parameter_sampling`]); otherwise nominal values.
    pub sample_parameters: bool,
}

/// Receives progress as runs are summarised, in run order: `(runs done, runs in all)`.
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
    /// Civil warning (0 without warning zones): zones alerted with no impact, their people,
    /// people warned too late, people-minutes under alert.
    pub false_alarm_zones: u32,
    pub false_alarm_people: f64,
    pub too_late_people: f64,
    pub people_minutes_under_alert: f64,
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

/// Statistics of a chunk of runs, merged in chunk order.
#[derive(Debug, Clone, Default)]
struct Acc {
    leakers: CountStat,
    zero_leak_runs: u64,
    /// Per fate, in the order of [`Fate::ALL`].
    fates: [Moments; 4],
    shots: Vec<CountStat>,
    kills: Vec<CountStat>,
    rounds_left: Vec<Moments>,
    asset_hits: Vec<CountStat>,
    asset_hit_runs: Vec<u64>,
    defense: ValueStat,
    offense: Moments,
    warning: WarningAcc,
    rows: Vec<RunRow>,
    sample: Vec<Outcome>,
}

/// Civil-warning statistics of a chunk of runs (empty without warning zones).
#[derive(Debug, Clone, Default)]
struct WarningAcc {
    siren_lead: LeadStat,
    early_lead: LeadStat,
    sirens: Moments,
    impacts: Moments,
    false_alarm_zones: Moments,
    false_alarm_people: Moments,
    too_late_people: Moments,
    people_minutes: Moments,
    /// Per zone: alert periods, impacts, minutes under alert per run; runs with an alert, an
    /// impact, a warning too late.
    zone_alerts: Vec<Moments>,
    zone_impacts: Vec<Moments>,
    zone_minutes: Vec<Moments>,
    zone_alert_runs: Vec<u64>,
    zone_impact_runs: Vec<u64>,
    zone_too_late_runs: Vec<u64>,
}

impl WarningAcc {
    fn new(zones: usize) -> Self {
        WarningAcc {
            zone_alerts: vec![Moments::default(); zones],
            zone_impacts: vec![Moments::default(); zones],
            zone_minutes: vec![Moments::default(); zones],
            zone_alert_runs: vec![0; zones],
            zone_impact_runs: vec![0; zones],
            zone_too_late_runs: vec![0; zones],
            ..WarningAcc::default()
        }
    }

    fn add(&mut self, w: &WarningOutcome) {
        for impact in &w.impacts {
            self.siren_lead.add(impact.lead_s);
        }
        for &lead in &w.early_warning_lead_s {
            self.early_lead.add(lead);
        }
        self.sirens.add(w.sirens.len() as f64);
        self.impacts.add(w.impacts.len() as f64);
        self.false_alarm_zones.add(f64::from(w.false_alarm_zones));
        self.false_alarm_people.add(w.false_alarm_people);
        self.too_late_people.add(w.too_late_people);
        self.people_minutes.add(w.people_minutes);
        for (z, tally) in w.zones.iter().enumerate() {
            self.zone_alerts[z].add(f64::from(tally.alerts));
            self.zone_impacts[z].add(f64::from(tally.impacts));
            self.zone_minutes[z].add(tally.alert_s / 60.0);
            self.zone_alert_runs[z] += u64::from(tally.alerts > 0);
            self.zone_impact_runs[z] += u64::from(tally.impacts > 0);
            self.zone_too_late_runs[z] += u64::from(tally.too_late);
        }
    }

    fn merge(&mut self, o: &WarningAcc) {
        self.siren_lead.merge(&o.siren_lead);
        self.early_lead.merge(&o.early_lead);
        for (a, b) in [
            (&mut self.sirens, &o.sirens),
            (&mut self.impacts, &o.impacts),
            (&mut self.false_alarm_zones, &o.false_alarm_zones),
            (&mut self.false_alarm_people, &o.false_alarm_people),
            (&mut self.too_late_people, &o.too_late_people),
            (&mut self.people_minutes, &o.people_minutes),
        ] {
            a.merge(b);
        }
        for (v, w) in [
            (&mut self.zone_alerts, &o.zone_alerts),
            (&mut self.zone_impacts, &o.zone_impacts),
            (&mut self.zone_minutes, &o.zone_minutes),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                a.merge(b);
            }
        }
        for (v, w) in [
            (&mut self.zone_alert_runs, &o.zone_alert_runs),
            (&mut self.zone_impact_runs, &o.zone_impact_runs),
            (&mut self.zone_too_late_runs, &o.zone_too_late_runs),
        ] {
            for (a, b) in v.iter_mut().zip(w) {
                *a += b;
            }
        }
    }

    fn summary(&self, w: &WarningPlan, runs: u64) -> WarningSummary {
        let fraction = |k: u64| {
            if runs == 0 {
                0.0
            } else {
                k as f64 / runs as f64
            }
        };
        let zones = w
            .zones
            .iter()
            .enumerate()
            .map(|(z, zone)| {
                (
                    zone.name.clone(),
                    ZoneSummary {
                        population: zone.population,
                        shelter_time_s: zone.shelter_time_s,
                        alerts_mean: self.zone_alerts[z].mean,
                        impacts_mean: self.zone_impacts[z].mean,
                        p_alert: fraction(self.zone_alert_runs[z]),
                        p_impact: fraction(self.zone_impact_runs[z]),
                        p_too_late: fraction(self.zone_too_late_runs[z]),
                        alert_minutes_mean: self.zone_minutes[z].mean,
                    },
                )
            })
            .collect();
        WarningSummary {
            zone_count: w.zones.len(),
            population: w.zones.iter().map(|z| z.population).sum(),
            confidence: w.confidence,
            region_sigmas: w.sigmas,
            min_lead_s: w.min_lead_s,
            warn_debris: w.warn_debris,
            all_clear_s: w.all_clear_s,
            siren_lead_s: self.siren_lead.summary(),
            early_warning_lead_s: self.early_lead.summary(),
            sirens_mean: self.sirens.mean,
            impacts_in_zones_mean: self.impacts.mean,
            false_alarm_zones_mean: self.false_alarm_zones.mean,
            false_alarm_zones_ci95: self.false_alarm_zones.ci95(),
            false_alarm_people_mean: self.false_alarm_people.mean,
            false_alarm_people_ci95: self.false_alarm_people.ci95(),
            too_late_people_mean: self.too_late_people.mean,
            too_late_people_ci95: self.too_late_people.ci95(),
            people_minutes_under_alert_mean: self.people_minutes.mean,
            people_minutes_under_alert_ci95: self.people_minutes.ci95(),
            zones,
        }
    }
}

/// Lead times: moments and quantiles ([`ValueStat`]), and counts in bins of [`LEAD_BIN_S`] up to
/// [`LEAD_HISTOGRAM_CAP_S`] ([`Histogram`] of bin indices).
#[derive(Debug, Clone, Default)]
struct LeadStat {
    value: ValueStat,
    bins: Histogram,
}

impl LeadStat {
    fn add(&mut self, lead_s: f64) {
        self.value.add(lead_s);
        let last = (LEAD_HISTOGRAM_CAP_S / LEAD_BIN_S) as u32;
        // `as` saturates: negative leads fall in bin 0.
        self.bins
            .add(((lead_s / LEAD_BIN_S).floor() as u32).min(last));
    }

    fn merge(&mut self, other: &LeadStat) {
        self.value.merge(&other.value);
        self.bins.merge(&other.bins);
    }

    fn summary(&self) -> LeadSummary {
        let v = &self.value;
        let some = |x: f64| (v.moments.n > 0).then_some(x);
        let q = v.quantiles();
        LeadSummary {
            count: v.moments.n,
            mean: some(v.moments.mean),
            sd: some(v.moments.sd()),
            p5: some(q.p5),
            p50: some(q.p50),
            p95: some(q.p95),
            histogram_bin_s: LEAD_BIN_S,
            histogram_cap_s: LEAD_HISTOGRAM_CAP_S,
            histogram: self.bins.counts.clone(),
        }
    }
}

impl Acc {
    fn new(layers: usize, assets: usize, zones: usize) -> Self {
        Acc {
            warning: WarningAcc::new(zones),
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
        let counts = o.counts().map(|c| c as u32);
        let count = |f: Fate| counts[f.index()];
        let leakers = count(Fate::Leaked);
        self.leakers.add(leakers);
        self.zero_leak_runs += u64::from(leakers == 0);
        for (m, &c) in self.fates.iter_mut().zip(&counts) {
            m.add(f64::from(c));
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
        if !self.warning.zone_alerts.is_empty() {
            self.warning.add(&o.warning);
        }
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
                false_alarm_zones: o.warning.false_alarm_zones,
                false_alarm_people: o.warning.false_alarm_people,
                too_late_people: o.warning.too_late_people,
                people_minutes_under_alert: o.warning.people_minutes,
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
        self.warning.merge(&o.warning);
        self.rows.extend(o.rows);
        self.sample.extend(o.sample);
    }
}

/// Per-thread buffers reused across runs.
#[derive(Debug, Clone)]
struct Scratch {
    shots: Vec<u32>,
    kills: Vec<u32>,
    rounds_left: Vec<u32>,
    hits: Vec<u32>,
}

/// Plays runs `0..opts.runs` of `prepared` and summarises them; per-run rows and the outcomes
/// of the first runs when asked for.
pub fn run_batch(prepared: &Prepared, opts: &BatchOptions, progress: &mut dyn Progress) -> Batch {
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
    let nz = prepared.warning.as_ref().map_or(0, |w| w.zones.len());
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
    let mut total = Acc::new(nl, na, nz);
    ordered_chunks(
        &pool,
        opts.runs.div_ceil(CHUNK_RUNS),
        || {
            let rep = Replication::new().with_parameter_sampling(opts.sample_parameters);
            (rep, scratch.clone())
        },
        |(rep, scratch), c| {
            let mut acc = Acc::new(nl, na, nz);
            for run in c * CHUNK_RUNS..((c + 1) * CHUNK_RUNS).min(opts.runs) {
                let outcome = rep.run(prepared, opts.seed, run);
                acc.add(outcome, &layer_of, opts.seed, opts.keep_runs, scratch);
                if run < opts.sample_runs {
                    acc.sample.push(outcome.clone());
                }
            }
            acc
        },
        |acc| total.merge(acc),
        &mut |merged| progress.advance((merged * CHUNK_RUNS).min(opts.runs), opts.runs),
    );
    let wall_s = start.elapsed().as_secs_f64();
    Batch {
        summary: summarise(
            prepared,
            opts,
            &layer_names,
            &layer_of,
            &total,
            wall_s,
            threads,
        ),
        rows: total.rows,
        sample: total.sample,
    }
}

/// The ordered merge of the results of chunks, shared by the threads of [`ordered_chunks`].
struct Merge<A, M> {
    merge: M,
    /// Results of chunks done past `merged`, waiting for their turn.
    waiting: BTreeMap<u64, A>,
    /// Chunks merged: `0..merged`.
    merged: u64,
    /// A thread panicked: the others stop instead of waiting for its chunk.
    stopped: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Stops the others if the thread holding it panics, so that none waits for a chunk that will
/// never be merged.
struct StopOnPanic<'a, A, M> {
    shared: &'a Mutex<Merge<A, M>>,
    turn: &'a Condvar,
}

impl<A, M> Drop for StopOnPanic<'_, A, M> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.shared).stopped = true;
            self.turn.notify_all();
        }
    }
}

/// Plays chunks `0..chunks` with `play` on every thread of `pool`, each thread keeping its own
/// state from `state` across its chunks, and hands their results to `merge` in chunk order.
/// `progress` hears, on the calling thread, how many chunks are merged.
///
/// Threads take the next chunk as they come free, with no barrier: a thread waits only when
/// it would start a chunk [`LEAD_CHUNKS`] past the oldest one not yet merged, so the results
/// held back for their turn stay bounded. A panic in `play` reaches the caller.
fn ordered_chunks<S, A: Send>(
    pool: &rayon::ThreadPool,
    chunks: u64,
    state: impl Fn() -> S + Sync,
    play: impl Fn(&mut S, u64) -> A + Sync,
    merge: impl FnMut(A) + Send,
    progress: &mut dyn FnMut(u64),
) {
    let next_chunk = AtomicU64::new(0);
    let shared = Mutex::new(Merge {
        merge,
        waiting: BTreeMap::new(),
        merged: 0,
        stopped: false,
    });
    let turn = Condvar::new();
    let (merged_tx, merged_rx) = mpsc::channel();
    pool.in_place_scope(|scope| {
        for _ in 0..pool.current_num_threads() {
            let merged_tx = merged_tx.clone();
            let (next_chunk, shared, turn, state, play) =
                (&next_chunk, &shared, &turn, &state, &play);
            scope.spawn(move |_| {
                let _stop = StopOnPanic { shared, turn };
                let mut s = state();
                loop {
                    let c = next_chunk.fetch_add(1, Ordering::Relaxed);
                    if c >= chunks {
                        return;
                    }
                    let mut m = lock(shared);
                    while c >= m.merged + LEAD_CHUNKS && !m.stopped {
                        m = turn.wait(m).unwrap_or_else(|e| e.into_inner());
                    }
                    if m.stopped {
                        return;
                    }
                    drop(m);
                    let result = play(&mut s, c);
                    let mut guard = lock(shared);
                    let m = &mut *guard;
                    m.waiting.insert(c, result);
                    let before = m.merged;
                    while let Some(result) = m.waiting.remove(&m.merged) {
                        (m.merge)(result);
                        m.merged += 1;
                    }
                    if m.merged > before {
                        turn.notify_all();
                        // Sent under the lock, so counts arrive in increasing order; the
                        // receiver lives until the last sender is gone.
                        let _ = merged_tx.send(m.merged);
                    }
                }
            });
        }
        drop(merged_tx);
        for merged in merged_rx {
            progress(merged);
        }
    });
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
        parameters: if opts.sample_parameters {
            Parameters::Sampled
        } else {
            Parameters::Nominal
        },
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
            intercepted: acc.fates[Fate::Intercepted.index()].mean,
            leaked: acc.fates[Fate::Leaked.index()].mean,
            ignored_open_area: acc.fates[Fate::IgnoredOpenArea.index()].mean,
            failed_in_flight: acc.fates[Fate::FailedInFlight.index()].mean,
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
        warning: p.warning.as_ref().map(|w| acc.warning.summary(w, runs)),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool")
    }

    /// Chunks that take uneven times still reach `merge` in chunk order, each once, and
    /// progress counts up to the last chunk.
    #[test]
    fn chunks_merge_in_order_whatever_their_times() {
        for threads in [1, 2, 4] {
            let states = AtomicU64::new(0);
            let mut merged = Vec::new();
            let mut seen = Vec::new();
            ordered_chunks(
                &pool(threads),
                300,
                || states.fetch_add(1, Ordering::Relaxed),
                |_, c| {
                    // Up to 0.3 ms, scrambled over the chunks.
                    std::thread::sleep(Duration::from_micros(c * 7919 % 300));
                    c
                },
                |c| merged.push(c),
                &mut |m| seen.push(m),
            );
            assert_eq!(merged, (0..300).collect::<Vec<_>>(), "{threads} threads");
            assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
            assert_eq!(seen.last(), Some(&300));
            assert_eq!(states.load(Ordering::Relaxed), threads as u64);
        }
    }

    /// Plays chunk 0 slowly: it ends only once the other threads have started every chunk
    /// up to the lead bound (or after 10 s), and 50 ms later, time they would take to go past
    /// the bound if nothing held them. `started` is the largest chunk started.
    fn slow_first_chunk(c: u64, started: &AtomicU64) {
        started.fetch_max(c, Ordering::SeqCst);
        if c == 0 {
            let give_up = Instant::now() + Duration::from_secs(10);
            while started.load(Ordering::SeqCst) < LEAD_CHUNKS - 1 && Instant::now() < give_up {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// While chunk 0 is slow, the other threads start chunks up to, and not past, the bound.
    #[test]
    fn threads_wait_for_a_slow_chunk_at_the_lead_bound() {
        let (started, merged, lead) = (AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0));
        ordered_chunks(
            &pool(3),
            4 * LEAD_CHUNKS,
            || (),
            |_, c| {
                lead.fetch_max(c - merged.load(Ordering::SeqCst), Ordering::SeqCst);
                slow_first_chunk(c, &started);
            },
            |()| {
                merged.fetch_add(1, Ordering::SeqCst);
            },
            &mut |_| {},
        );
        assert_eq!(merged.load(Ordering::SeqCst), 4 * LEAD_CHUNKS);
        assert_eq!(lead.load(Ordering::SeqCst), LEAD_CHUNKS - 1);
    }

    /// A panic in one chunk reaches the caller; the threads waiting for that chunk to be
    /// merged stop instead of waiting for ever.
    #[test]
    fn a_panic_in_a_chunk_reaches_the_caller() {
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let started = AtomicU64::new(0);
            let result = std::panic::catch_unwind(|| {
                ordered_chunks(
                    &pool(2),
                    4 * LEAD_CHUNKS,
                    || (),
                    |_, c| {
                        slow_first_chunk(c, &started);
                        assert!(c != 0, "chunk 0 fails");
                    },
                    |()| {},
                    &mut |_| {},
                );
            });
            let _ = tx.send(result.is_err());
        });
        let panicked = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the batch ends");
        assert!(panicked);
    }
}
