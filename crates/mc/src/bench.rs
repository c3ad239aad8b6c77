//! Throughput of replications, measured on this machine (`skyshield bench`).
//!
//! Figures, each from wall time over a number of runs:
//! - runs per second of the built-in default scenario (all cores);
//! - runs per second of a 400-MRBM raid against the default defense, on 1 and 2 threads;
//! - time per run against the number of threats (100, 400, 1,600, 6,400 MRBMs, one thread);
//! - the Monte Carlo overhead: time per run of an abstract 400-threat scenario (one thread)
//!   against a bare loop that makes the draws the abstract kernel makes, as it makes them;
//! - peak resident memory after 10,000 and after 1,000,000 runs of a small abstract scenario,
//!   and their ratio.
//!
//! Each timing is the fastest of five repeats of the same work: other work on the
//! machine only ever slows a repeat down. Timings set against each other (one and two threads;
//! raids of different sizes; the abstract run and the bare loop) are repeated in turns.
//!
//! [`prepare_times`] (`skyshield bench --prepare FILE...`) times instead the preparation of
//! scenario files (trajectories, sensor coverage, engagement windows, warning zones): the
//! median of [`PREPARE_REPEATS`] preparations of each, on all cores, with its flights solved
//! and with them cached; and [`prepare_sweep`] that of a sweep's variants that move the
//! batteries, which solve no flight again. [`profile`] (`skyshield bench --profile`) splits
//! the time of the 400-MRBM raid into the stages of its preparation and of its runs.

mod profile;
mod sweep;

pub use profile::profile;
pub use sweep::{SWEEP_VARIANTS, prepare_sweep};

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use skyshield_core::{Stream, splitmix64, stream_seed};
use skyshield_engine::{
    FlightCache, GLOBAL_CACHE_SAMPLES, PrepareError, Prepared, prepare, prepare_with,
};
use skyshield_scenario::DEFAULT_SCENARIO;

use crate::{BatchError, BatchOptions, Execution, Overrides, run_batch};

/// Why a measurement could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BenchError {
    #[error("bench scenario: {0}")]
    Scenario(String),
    #[error("bench scenario: {0}")]
    Prepare(#[from] PrepareError),
    #[error(transparent)]
    Load(#[from] skyshield_scenario::LoadError),
    #[error(transparent)]
    Batch(#[from] BatchError),
}

/// The default scenario with its raid replaced by `count` MRBMs (Emad, Ghadr and Kheibar
/// Shekan in equal parts, from the default launch areas, over ten minutes).
fn mrbm_raid(count: u32) -> String {
    let head = DEFAULT_SCENARIO
        .split("\nraid:\n")
        .next()
        .unwrap_or(DEFAULT_SCENARIO);
    let part = |k: u32| count / 3 + u32::from(k < count % 3);
    format!(
        "{head}\nraid:
  - {{id: emad-wave, threat: emad, count: {}, launch: {{area: {{center: [34.3, 47.1], radius_km: 60}}, sites: 4, window_s: [0, 600]}}, target: desert-airbase}}
  - {{id: ghadr-wave, threat: ghadr, count: {}, launch: {{area: {{center: [33.5, 48.3], radius_km: 60}}, sites: 3, window_s: [0, 600]}}, target: coastal-city}}
  - {{id: kheibar-wave, threat: kheibar-shekan, count: {}, launch: {{sites: [[34.1, 46.9], [33.6, 46.4]], window_s: [0, 600]}}, target: northern-port}}
",
        part(0),
        part(1),
        part(2)
    )
}

/// Tracking and single-shot kill probabilities of the abstract scenario.
const ABSTRACT_TRACKING: f64 = 0.97;
const ABSTRACT_KILL: f64 = 0.8;

/// An abstract scenario of `threats` threats against one layer firing one salvo of two, with
/// perfect kill assessment.
fn abstract_text(threats: u32) -> String {
    format!(
        "name: abstract {threats}\nkind: abstract\nthreats: {threats}\ntracking: common\ntracking_probability: {ABSTRACT_TRACKING}\n\
         kill_assessment_probability: 1.0\nlayers:\n  - {{id: layer, kill_probability: {ABSTRACT_KILL}, shots_per_engagement: 2, engagements: 1}}\n"
    )
}

/// The mean number of SplitMix64 mixes of a run of [`abstract_text`]`(threats)`, as the
/// abstract kernel counts them (`Replication::abstract_draws`): per threat one for its tracking
/// draw, and per tracked threat one for the two kill draws of its salvo of two. Perfect kill
/// assessment needs no draw.
fn abstract_draws(threats: u32) -> f64 {
    (1.0 + ABSTRACT_TRACKING) * f64::from(threats)
}

/// The bare loop's draws of one run: `mixes` SplitMix64 mixes of `seed` with a counter, the
/// high half of each compared with a threshold, as the abstract kernel makes its draws (in a
/// loop compiled for the processor's vector instructions); how many were below it.
struct BareDraws {
    seed: u64,
    mixes: u64,
}

impl pulp::WithSimd for BareDraws {
    type Output = u64;

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) -> u64 {
        (0..self.mixes)
            .map(|d| u64::from(((splitmix64(self.seed ^ d) >> 32) as u32) < u32::MAX / 2))
            .sum()
    }
}

fn prepared(text: &str) -> Result<Prepared, BenchError> {
    let scenario = skyshield_scenario::from_str(text, Path::new("bench.yaml"))
        .map_err(|d| BenchError::Scenario(d.to_string()))?;
    Ok(prepare(&scenario)?)
}

/// Repeats of each timing.
const REPEATS: usize = 5;

/// The shortest of [`REPEATS`] timings of each of `works` pieces of work (`work(k)` does the
/// `k`th), taken in turns so that all see the machine alike, s.
fn fastest_in_turns(
    works: usize,
    mut work: impl FnMut(usize) -> Result<(), BenchError>,
) -> Result<Vec<f64>, BenchError> {
    let mut best = vec![f64::INFINITY; works];
    for _ in 0..REPEATS {
        for (k, best) in best.iter_mut().enumerate() {
            let start = Instant::now();
            work(k)?;
            *best = best.min(start.elapsed().as_secs_f64());
        }
    }
    Ok(best)
}

/// Plays `runs` runs on `threads` threads (0: all cores), drawing parameters from their ranges.
fn batch(p: &Prepared, runs: u64, threads: usize) -> Result<(), BenchError> {
    let opts = BatchOptions::new(
        p,
        Overrides {
            runs: Some(runs),
            seed: Some(1),
            threads: Some(threads),
            ..Overrides::default()
        },
    );
    run_batch(p, &opts, Execution::default())?;
    Ok(())
}

/// Runs per second of `runs` runs on `threads` threads (0: all cores).
fn throughput(p: &Prepared, runs: u64, threads: usize) -> Result<f64, BenchError> {
    Ok(runs as f64 / fastest_in_turns(1, |_| batch(p, runs, threads))?[0])
}

/// Peak resident set size of this process so far, MiB (Linux `VmHWM`).
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Measures every figure and hands each line of results to `print` as it comes; `quick` takes
/// a tenth of the runs.
pub fn run(quick: bool, print: &mut dyn FnMut(&str)) -> Result<(), BenchError> {
    let scale = if quick { 0.1 } else { 1.0 };
    let runs = |n: f64| ((n * scale) as u64).max(10);

    let default = prepared(DEFAULT_SCENARIO)?;
    print(&format!(
        "default scenario ({} threats): {:.0} runs/s (all cores)",
        default.threats.len(),
        throughput(&default, runs(2_000.0), 0)?
    ));

    let raid = prepared(&mrbm_raid(400))?;
    let (runs_one, runs_two) = (runs(2_000.0), runs(4_000.0));
    let times = fastest_in_turns(2, |k| batch(&raid, [runs_one, runs_two][k], k + 1))?;
    let (one, two) = (runs_one as f64 / times[0], runs_two as f64 / times[1]);
    print(&format!(
        "400-MRBM raid: {one:.0} runs/s on 1 thread, {two:.0} runs/s on 2 threads (speed-up {:.2})",
        two / one
    ));

    print("time per run against threats (1 thread):");
    const COUNTS: [u32; 4] = [100, 400, 1_600, 6_400];
    let raids = COUNTS
        .iter()
        .map(|&count| {
            Ok((
                prepared(&mrbm_raid(count))?,
                runs(400_000.0 / f64::from(count)),
            ))
        })
        .collect::<Result<Vec<_>, BenchError>>()?;
    let times = fastest_in_turns(raids.len(), |k| batch(&raids[k].0, raids[k].1, 1))?;
    let per_run_ms: Vec<f64> = times
        .iter()
        .zip(&raids)
        .map(|(t, (_, n))| t * 1e3 / *n as f64)
        .collect();
    for (count, ms) in COUNTS.iter().zip(&per_run_ms) {
        print(&format!(
            "  {count:>5} threats: {ms:>8.3} ms/run  ({:.2} x the time of {} threats for {:.0} x the threats)",
            ms / per_run_ms[0],
            COUNTS[0],
            f64::from(*count) / f64::from(COUNTS[0])
        ));
    }

    let abstract400 = prepared(&abstract_text(400))?;
    // About 0.1 s of runs, so that the batch's fixed cost is a small part of a run's time.
    let n = runs(300_000.0);
    // A bare loop making, per run, as many SplitMix64 mixes as the abstract run makes on
    // average, each as the abstract kernel makes it (`BareDraws`).
    let draws_per_run = abstract_draws(400).round() as u64;
    let arch = pulp::Arch::new();
    let bare_loop = || {
        let hits: u64 = (0..n)
            .map(|k| {
                arch.dispatch(BareDraws {
                    seed: stream_seed(1, k, Stream::Kill),
                    mixes: draws_per_run,
                })
            })
            .sum();
        black_box(hits);
    };
    let times = fastest_in_turns(2, |k| {
        if k == 0 {
            batch(&abstract400, n, 1)
        } else {
            bare_loop();
            Ok(())
        }
    })?;
    let (per_run_us, bare_us) = (times[0] * 1e6 / n as f64, times[1] * 1e6 / n as f64);
    print(&format!(
        "abstract 400 threats: {per_run_us:.3} us/run; bare loop of {draws_per_run} mixes: {bare_us:.3} us/run; ratio {:.1}",
        per_run_us / bare_us
    ));

    // Memory flat in runs: the peak after 10,000 runs, then after a hundred times more (a
    // tenth of that when quick).
    let small = prepared(&abstract_text(10))?;
    batch(&small, 10_000, 0)?;
    let after_10k = peak_rss_mib();
    let more = runs(1_000_000.0);
    batch(&small, more, 0)?;
    let after_more = peak_rss_mib();
    if let (Some(a), Some(b)) = (after_10k, after_more) {
        print(&format!(
            "peak memory: {a:.1} MiB after 10,000 runs, {b:.1} MiB after {more} more runs (ratio {:.3})",
            b / a
        ));
    }
    Ok(())
}

/// Preparations of each scenario that [`prepare_times`] times.
pub const PREPARE_REPEATS: usize = 5;

/// Times the preparation of each scenario file in `paths` ([`PREPARE_REPEATS`] times, on all
/// cores, each through a new [`FlightCache`], so solving every flight) and hands a line per
/// file to `print` as it comes: the median, fastest and slowest times, the trajectories, and
/// the median time with every flight already cached. The median, since other work on the
/// machine slows some preparations down.
pub fn prepare_times(paths: &[PathBuf], print: &mut dyn FnMut(&str)) -> Result<(), BenchError> {
    let sorted = |mut times: Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times
    };
    for path in paths {
        let scenario = skyshield_scenario::load(path)?;
        let mut times = Vec::with_capacity(PREPARE_REPEATS);
        let mut cached = Vec::with_capacity(PREPARE_REPEATS);
        let mut trajectories = 0;
        let warm = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        prepare_with(&scenario, &warm)?;
        for _ in 0..PREPARE_REPEATS {
            let p = prepare_with(&scenario, &FlightCache::new(GLOBAL_CACHE_SAMPLES))?;
            times.push(p.prepare_s);
            trajectories = p.trajectories.len();
            cached.push(prepare_with(&scenario, &warm)?.prepare_s);
        }
        let (times, cached) = (sorted(times), sorted(cached));
        print(&format!(
            "{}: prepared in {:.3} s (median of {PREPARE_REPEATS}; {:.3} to {:.3} s), {trajectories} trajectories; {:.3} s with its flights cached",
            path.display(),
            times[PREPARE_REPEATS / 2],
            times[0],
            times[PREPARE_REPEATS - 1],
            cached[PREPARE_REPEATS / 2],
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use skyshield_engine::Replication;

    /// The abstract kernel's count of its draws agrees with [`abstract_draws`], which sizes
    /// the bare loop.
    #[test]
    fn the_bare_loop_makes_the_draws_of_the_abstract_run() {
        let p = prepared(&abstract_text(400)).expect("abstract scenario");
        let mut rep = Replication::new();
        let draws: Vec<f64> = (0..400)
            .map(|k| {
                rep.run(&p, 1, k);
                rep.abstract_draws() as f64
            })
            .collect();
        let runs = draws.len() as f64;
        let mean = draws.iter().sum::<f64>() / runs;
        let var = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (runs - 1.0);
        let se = (var / runs).sqrt();
        let expected = abstract_draws(400);
        assert!(
            (mean - expected).abs() < 4.0 * se,
            "{mean} ± {se} draws against {expected}"
        );
    }
}
