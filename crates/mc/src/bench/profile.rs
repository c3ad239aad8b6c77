//! `skyshield bench --profile`: where the time of the 400-MRBM raid goes, stage by stage.
//!
//! - Its preparation, through a new [`FlightCache`] (every flight solved) and again through the
//!   same cache (every flight found): flights, then sensor coverage and engagement windows,
//!   then warning zones ([`prepare_timed`]).
//! - Its runs on one thread: the time per run of the replications alone, and of a batch (the
//!   replications, and the Monte Carlo accumulation and chunking around them), whose difference
//!   is the Monte Carlo overhead; then the same runs played with a clock read around every
//!   event ([`Observer::TIMED`]), which splits a run into its [`Stage`]s. Reading the clock
//!   costs some tens of nanoseconds an event, so the timed runs take longer than the others:
//!   the shares of the stages are what they tell.

use std::path::Path;
use std::time::{Duration, Instant};

use skyshield_engine::{
    EngineEvent, FlightCache, GLOBAL_CACHE_SAMPLES, Observer, PrepareStages, Replication, Stage,
    prepare_timed,
};

use super::{BenchError, batch, fastest_in_turns, mrbm_raid};

/// The time of each stage of the runs it watches.
#[derive(Debug, Default)]
struct StageClock {
    elapsed: [Duration; Stage::ALL.len()],
}

impl Observer for StageClock {
    const ACTIVE: bool = false;
    const TIMED: bool = true;

    fn event(&mut self, _event: &EngineEvent) {}

    fn stage_time(&mut self, stage: Stage, elapsed: Duration) {
        self.elapsed[stage.index()] += elapsed;
    }
}

/// The stages of a preparation, in ms.
fn stages_ms(s: &PrepareStages) -> String {
    format!(
        "{:.1} ms: flights {:.1} ms, coverage and windows {:.1} ms, warning zones {:.1} ms",
        s.total_s * 1e3,
        s.flights_s * 1e3,
        s.coverage_windows_s * 1e3,
        s.warning_s * 1e3
    )
}

/// Profiles the 400-MRBM raid and hands each line of results to `print`; `quick` takes a
/// tenth of the runs.
pub fn profile(quick: bool, print: &mut dyn FnMut(&str)) -> Result<(), BenchError> {
    let runs: u64 = if quick { 200 } else { 2_000 };
    let scenario = skyshield_scenario::from_str(&mrbm_raid(400), Path::new("bench.yaml"))
        .map_err(|d| BenchError::Scenario(d.to_string()))?;
    let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
    let (p, cold) = prepare_timed(&scenario, &cache)?;
    let (_, warm) = prepare_timed(&scenario, &cache)?;
    print("profile of the 400-MRBM raid:");
    print(&format!(
        "  prepare, every flight solved: {}",
        stages_ms(&cold)
    ));
    print(&format!(
        "  prepare, every flight cached: {}",
        stages_ms(&warm)
    ));

    let mut rep = Replication::new().with_parameter_sampling(true);
    let times = fastest_in_turns(2, |k| {
        if k == 0 {
            for run in 0..runs {
                std::hint::black_box(rep.run(&p, 1, run));
            }
            Ok(())
        } else {
            batch(&p, runs, 1)
        }
    })?;
    let (bare_us, batch_us) = (times[0] * 1e6 / runs as f64, times[1] * 1e6 / runs as f64);
    print(&format!(
        "  a run on one thread: {bare_us:.0} us replicating, {batch_us:.0} us in a batch (Monte Carlo accumulation and chunking: {:.0} us, {:.1} %)",
        batch_us - bare_us,
        100.0 * (batch_us - bare_us) / batch_us
    ));

    let mut clock = StageClock::default();
    let start = Instant::now();
    for run in 0..runs {
        rep.run_observed(&p, 1, run, &mut clock);
    }
    let timed_us = start.elapsed().as_secs_f64() * 1e6 / runs as f64;
    let total: Duration = clock.elapsed.iter().sum();
    print(&format!(
        "  stages of a run, timed event by event ({timed_us:.0} us a run with the clock read around each event):"
    ));
    for stage in Stage::ALL {
        let spent = clock.elapsed[stage.index()];
        print(&format!(
            "    {:<20} {:>7.1} us  {:>5.1} %",
            stage.name(),
            spent.as_secs_f64() * 1e6 / runs as f64,
            100.0 * spent.as_secs_f64() / total.as_secs_f64()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading the clock around each event changes nothing in a run, every stage is given
    /// time in its own place, and no more in all than the timed runs took.
    #[test]
    fn a_timed_run_is_the_same_run() {
        let scenario = skyshield_scenario::from_str(&mrbm_raid(60), Path::new("test.yaml"))
            .expect("the raid scenario");
        let p = skyshield_engine::prepare(&scenario).expect("prepared");
        let mut rep = Replication::new().with_parameter_sampling(true);
        let mut clock = StageClock::default();
        let mut wall = Duration::ZERO;
        for run in 0..20 {
            let plain = format!("{:?}", rep.run(&p, 3, run));
            let start = Instant::now();
            let outcome = rep.run_observed(&p, 3, run, &mut clock);
            wall += start.elapsed();
            let timed = format!("{outcome:?}");
            assert_eq!(plain, timed, "run {run}");
        }
        // Each stage has a place of its own in the clock.
        for (k, stage) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(stage.index(), k, "{}", stage.name());
            assert!(clock.elapsed[k] > Duration::ZERO, "{} timed", stage.name());
        }
        let timed: Duration = clock.elapsed.iter().sum();
        assert!(
            timed <= wall,
            "{timed:?} given to the stages of runs that took {wall:?}"
        );
    }
}
