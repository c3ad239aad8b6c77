//! A cache of solved flights, so that variants of a scenario that move or resize its defense
//! (a sweep, a sensitivity study, the server's jobs) solve no threat trajectory again.
//!
//! A flight is keyed by all that its solution depends on: the vehicle and every parameter of
//! it, the Earth model, the launch site, the route, the aim and the trajectory shape; not by
//! the scenario it came from. Solving is deterministic, so a flight taken from the cache is the
//! one a solve would give, and a preparation gives the same [`crate::Prepared`] whether it hits
//! or misses. With each flight, the cache keeps the debris falls computed so far from its
//! samples (see `DebrisFalls` in `reach`), which depend on the flight alone: a battery moved
//! meets the trajectory where others met it before, and finds those falls known. So are the
//! intervals in which each radar sees it, by the radar's site, limits and range.
//!
//! The cache is bounded by the samples it holds ([`FlightCache::new`]); when full, the flights
//! used least recently are dropped first. It is shared between threads behind a mutex, held
//! only to look up and to store, never while solving. [`crate::prepare`] uses one cache for the
//! whole process ([`FlightCache::global`]); [`crate::prepare_with`] takes any other.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use skyshield_core::SimTime;
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{Flight, TrajectoryShape, Vehicle};

use super::reach::Fall;

/// Radar coverages kept per flight, at most: past this, those kept are dropped.
const COVERAGES_PER_FLIGHT: usize = 256;

/// A solved flight, the debris falls from its samples computed so far (`None`: not yet), and
/// the intervals in which radars see it, by the radar's key.
#[derive(Debug)]
pub(super) struct CachedFlight {
    pub(super) flight: Flight,
    falls: Mutex<Vec<Option<Fall>>>,
    coverages: Mutex<HashMap<String, Vec<(SimTime, SimTime)>>>,
}

impl CachedFlight {
    pub(super) fn new(flight: Flight) -> Self {
        let falls = Mutex::new(vec![None; flight.samples.len()]);
        Self {
            flight,
            falls,
            coverages: Mutex::default(),
        }
    }

    /// The coverage of the radar of key `radar` (all that the coverage depends on besides the
    /// flight), computed by `compute` unless known; `cache` counts those computed.
    pub(super) fn coverage(
        &self,
        cache: &FlightCache,
        radar: String,
        compute: impl FnOnce() -> Vec<(SimTime, SimTime)>,
    ) -> Vec<(SimTime, SimTime)> {
        if let Some(known) = self
            .coverages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&radar)
        {
            return known.clone();
        }
        let intervals = compute();
        cache.coverages.fetch_add(1, Ordering::Relaxed);
        let mut coverages = self
            .coverages
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if coverages.len() >= COVERAGES_PER_FLIGHT {
            coverages.clear();
        }
        coverages.insert(radar, intervals.clone());
        intervals
    }

    /// The falls known so far, one per sample.
    pub(super) fn falls(&self) -> Vec<Option<Fall>> {
        self.falls
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Keeps the falls of `falls` not known yet, which `cache` counts. A fall depends on the
    /// flight alone, so one known already is the same.
    pub(super) fn keep_falls(&self, cache: &FlightCache, falls: &[Option<Fall>]) {
        let mut known = self.falls.lock().unwrap_or_else(PoisonError::into_inner);
        let mut new = 0;
        for (k, f) in known.iter_mut().zip(falls) {
            if k.is_none() && f.is_some() {
                *k = *f;
                new += 1;
            }
        }
        cache.falls.fetch_add(new, Ordering::Relaxed);
    }
}

/// Samples held by the process-wide cache: at most about 80 MB (a sample is five `f64`, and its
/// debris fall as many once computed), some two thousand ballistic flights of ten minutes.
pub const GLOBAL_CACHE_SAMPLES: usize = 1_000_000;

/// Solved flights by what they depend on, bounded by the samples they hold.
#[derive(Debug)]
pub struct FlightCache {
    capacity_samples: usize,
    inner: Mutex<Inner>,
    /// Radar coverages of flights computed, and debris falls kept with their flights.
    coverages: AtomicU64,
    falls: AtomicU64,
}

#[derive(Debug, Default)]
struct Inner {
    /// Per key, the flight and the number of the look-up that last used it.
    flights: HashMap<String, (Arc<CachedFlight>, u64)>,
    samples: usize,
    lookups: u64,
    hits: u64,
    solves: u64,
}

/// What a cache has done since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlightCacheStats {
    /// Flights found in the cache.
    pub hits: u64,
    /// Flights solved (not found, or dropped since).
    pub solves: u64,
    /// Radar coverages of a flight computed (not found with the flight).
    pub coverages: u64,
    /// Debris falls computed and kept with their flights (none was known).
    pub falls: u64,
    /// Flights held now, and their samples.
    pub flights: usize,
    pub samples: usize,
}

/// The key of a flight: the exact values it is solved from. `Debug` prints every `f64` so that
/// it reads back to the same value, so two keys are equal only when the inputs are.
pub(super) fn flight_key(
    vehicle: &Vehicle,
    earth: &EarthModel,
    site: &Geodetic,
    route: &[Geodetic],
    aim: &Geodetic,
    shape: TrajectoryShape,
) -> String {
    format!("{vehicle:?}|{earth:?}|{site:?}|{route:?}|{aim:?}|{shape:?}")
}

impl FlightCache {
    /// An empty cache holding flights of at most `capacity_samples` samples in all.
    pub fn new(capacity_samples: usize) -> Self {
        Self {
            capacity_samples,
            inner: Mutex::new(Inner::default()),
            coverages: AtomicU64::new(0),
            falls: AtomicU64::new(0),
        }
    }

    /// The cache of the whole process, of [`GLOBAL_CACHE_SAMPLES`] samples, that
    /// [`crate::prepare`] uses.
    pub fn global() -> &'static FlightCache {
        static GLOBAL: OnceLock<FlightCache> = OnceLock::new();
        GLOBAL.get_or_init(|| FlightCache::new(GLOBAL_CACHE_SAMPLES))
    }

    /// What the cache has done so far, and what it holds.
    pub fn stats(&self) -> FlightCacheStats {
        let inner = self.lock();
        FlightCacheStats {
            hits: inner.hits,
            solves: inner.solves,
            coverages: self.coverages.load(Ordering::Relaxed),
            falls: self.falls.load(Ordering::Relaxed),
            flights: inner.flights.len(),
            samples: inner.samples,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // The cache holds only finished flights: one left by a thread that panicked is whole.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The flight of each key found in the cache (`None`: to be solved).
    pub(super) fn look_up(&self, keys: &[&str]) -> Vec<Option<Arc<CachedFlight>>> {
        let mut inner = self.lock();
        keys.iter()
            .map(|key| {
                inner.lookups += 1;
                let stamp = inner.lookups;
                let found = inner.flights.get_mut(*key).map(|(flight, used)| {
                    *used = stamp;
                    Arc::clone(flight)
                });
                if found.is_some() {
                    inner.hits += 1;
                }
                found
            })
            .collect()
    }

    /// Stores flights just solved under their keys, dropping the least recently used ones
    /// while the cache holds more than its capacity. A flight larger than the whole cache is
    /// not kept.
    pub(super) fn store(&self, solved: Vec<(String, Arc<CachedFlight>)>) {
        let mut inner = self.lock();
        for (key, flight) in solved {
            inner.solves += 1;
            let samples = flight.flight.samples.len();
            if samples > self.capacity_samples {
                continue;
            }
            inner.lookups += 1;
            let stamp = inner.lookups;
            if let Some((old, _)) = inner.flights.insert(key, (flight, stamp)) {
                inner.samples -= old.flight.samples.len();
            }
            inner.samples += samples;
            while inner.samples > self.capacity_samples {
                let Some(oldest) = inner
                    .flights
                    .iter()
                    .min_by_key(|(_, (_, used))| *used)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                if let Some((dropped, _)) = inner.flights.remove(&oldest) {
                    inner.samples -= dropped.flight.samples.len();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use skyshield_scenario::Scenario;

    use super::*;
    use crate::prepare::prepare_with;

    const DEFAULT: &str = include_str!("../../../../scenarios/default.yaml");

    /// The default scenario with each `(from, to)` of `edits` made in its text.
    fn variant(edits: &[(&str, &str)]) -> Scenario {
        let mut text = DEFAULT.to_string();
        for (from, to) in edits {
            assert!(text.contains(from), "{from} is in the default scenario");
            text = text.replacen(from, to, 1);
        }
        skyshield_scenario::from_str(&text, Path::new("variant.yaml")).expect("valid variant")
    }

    /// A preparation as text, its duration left out: equal texts, equal preparations.
    fn fingerprint(p: &crate::Prepared) -> String {
        let mut p = p.clone();
        p.prepare_s = 0.0;
        format!("{p:?}")
    }

    /// Moving and resizing batteries changes no flight: the second preparation takes every
    /// flight from the cache, and gives what a preparation that solves them all gives.
    #[test]
    fn a_variant_that_moves_batteries_solves_no_flight() {
        let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        prepare_with(&variant(&[]), &cache).expect("prepared");
        let first = cache.stats();
        // Four, three, two, one and two sites: twelve distinct flights.
        assert_eq!((first.hits, first.solves, first.flights), (0, 12, 12));
        assert!(first.coverages > 0 && first.falls > 0, "{first:?}");
        let moved = variant(&[
            ("at: [31.85, 34.85]", "at: [31.95, 34.80]"),
            (
                "thaad, at: [31.30, 35.10, 400]",
                "thaad, at: [31.40, 35.00, 300]",
            ),
            (
                "launchers: 3, rounds_per_launcher: 20",
                "launchers: 5, rounds_per_launcher: 16",
            ),
        ]);
        let cached = prepare_with(&moved, &cache).expect("prepared");
        let second = cache.stats();
        assert_eq!(second.solves, first.solves, "no flight solved again");
        assert_eq!(second.hits, 12, "every flight found");
        assert_eq!(
            second.coverages, first.coverages,
            "no radar moved: no coverage computed"
        );
        let solved =
            prepare_with(&moved, &FlightCache::new(GLOBAL_CACHE_SAMPLES)).expect("prepared");
        assert_eq!(fingerprint(&cached), fingerprint(&solved));
        assert_ne!(
            fingerprint(&cached),
            fingerprint(&prepare_with(&variant(&[]), &cache).expect("prepared")),
            "the batteries moved"
        );
    }

    /// The same scenario prepared again computes nothing again: every flight, coverage and
    /// debris fall is found, each fall counted once.
    #[test]
    fn a_scenario_prepared_again_computes_nothing() {
        let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        let first = prepare_with(&variant(&[]), &cache).expect("prepared");
        let before = cache.stats();
        let known: usize = cache
            .lock()
            .flights
            .values()
            .map(|(f, _)| f.falls().iter().flatten().count())
            .sum();
        assert_eq!(before.falls, known as u64, "every fall computed is kept");
        let again = prepare_with(&variant(&[]), &cache).expect("prepared");
        let after = cache.stats();
        assert_eq!(after, FlightCacheStats { hits: 12, ..before });
        assert_eq!(fingerprint(&again), fingerprint(&first));
    }

    /// A radar moved or turned sees the flights anew: its coverage is computed again, the
    /// others' are taken from the cache, and the preparation is the one without a cache.
    #[test]
    fn a_moved_radar_sees_the_flights_anew() {
        let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        prepare_with(&variant(&[]), &cache).expect("prepared");
        let first = cache.stats();
        let moved = variant(&[
            (
                "at: [31.90, 34.90, 60], facing_deg: 75",
                "at: [31.70, 34.80, 60], facing_deg: 60",
            ),
            ("at: [32.60, 34.40]}", "at: [32.50, 34.45]}"),
        ]);
        let cached = prepare_with(&moved, &cache).expect("prepared");
        let solved =
            prepare_with(&moved, &FlightCache::new(GLOBAL_CACHE_SAMPLES)).expect("prepared");
        assert_eq!(fingerprint(&cached), fingerprint(&solved));
        let second = cache.stats();
        assert_eq!(second.solves, 12);
        // Two radars moved, each seeing at most the twelve flights, of more coverages in all.
        let computed = second.coverages - first.coverages;
        assert!(
            0 < computed && computed <= 2 * 12 && computed < first.coverages,
            "{computed} coverages computed again of {}",
            first.coverages
        );
    }

    /// A launch site moved is a flight of its own: only it is solved.
    #[test]
    fn a_moved_launch_site_alone_is_solved_again() {
        let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        prepare_with(&variant(&[]), &cache).expect("prepared");
        let moved = variant(&[("[33.6, 46.4]", "[33.7, 46.4]")]);
        let cached = prepare_with(&moved, &cache).expect("prepared");
        assert_eq!(cache.stats().solves, 13);
        assert_eq!(cache.stats().hits, 11);
        let solved =
            prepare_with(&moved, &FlightCache::new(GLOBAL_CACHE_SAMPLES)).expect("prepared");
        assert_eq!(fingerprint(&cached), fingerprint(&solved));
    }

    /// A cache too small for every flight keeps within its capacity, and a preparation through
    /// it is still the same.
    #[test]
    fn a_full_cache_keeps_within_its_bound_and_prepares_the_same() {
        let all = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        let reference = prepare_with(&variant(&[]), &all).expect("prepared");
        let half = all.stats().samples / 2;
        let small = FlightCache::new(half);
        let p = prepare_with(&variant(&[]), &small).expect("prepared");
        let stats = small.stats();
        assert!(
            stats.samples <= half,
            "{} samples held, at most {half}",
            stats.samples
        );
        assert!(
            0 < stats.flights && stats.flights < 12,
            "{} flights held",
            stats.flights
        );
        assert_eq!(fingerprint(&p), fingerprint(&reference));
        let again = prepare_with(&variant(&[]), &small).expect("prepared");
        let after = small.stats();
        assert_eq!(after.hits + (after.solves - stats.solves), 12);
        assert!(after.hits > 0 && after.solves > stats.solves);
        assert_eq!(fingerprint(&again), fingerprint(&reference));
    }

    /// The flights of the default scenario, from the smallest.
    fn default_flights() -> Vec<(String, Arc<CachedFlight>)> {
        let all = FlightCache::new(GLOBAL_CACHE_SAMPLES);
        prepare_with(&variant(&[]), &all).expect("prepared");
        let mut flights: Vec<_> = all
            .lock()
            .flights
            .iter()
            .map(|(key, (flight, _))| (key.clone(), Arc::clone(flight)))
            .collect();
        flights.sort_by_key(|(key, f)| (f.flight.samples.len(), key.clone()));
        flights
    }

    fn samples(f: &(String, Arc<CachedFlight>)) -> usize {
        f.1.flight.samples.len()
    }

    /// Whether `cache` holds the flights of `held` and not those of `dropped`.
    fn holds(
        cache: &FlightCache,
        held: &[&(String, Arc<CachedFlight>)],
        dropped: &[&(String, Arc<CachedFlight>)],
    ) -> bool {
        let flights = &cache.lock().flights;
        held.iter().all(|f| flights.contains_key(&f.0))
            && !dropped.iter().any(|f| flights.contains_key(&f.0))
    }

    /// When full, the cache drops the flight used least recently: stored first, unless looked
    /// up since. In several caches, since a map's order differs from one to the next: ties in
    /// the order of use would not always fall the same way.
    #[test]
    fn a_full_cache_drops_the_flight_used_least_recently() {
        let flights = default_flights();
        // `c` is no larger than `a` or `b`: dropping either leaves room for it.
        let [c, a, b] = [&flights[0], &flights[1], &flights[2]];
        for _ in 0..16 {
            let cache = FlightCache::new(samples(a) + samples(b));
            cache.store(vec![a.clone(), b.clone()]);
            cache.store(vec![c.clone()]);
            assert!(holds(&cache, &[b, c], &[a]), "the first stored is dropped");
            assert_eq!(cache.stats().samples, samples(b) + samples(c));

            let cache = FlightCache::new(samples(a) + samples(b));
            cache.store(vec![a.clone(), b.clone()]);
            assert!(cache.look_up(&[&a.0])[0].is_some());
            cache.store(vec![c.clone()]);
            assert!(
                holds(&cache, &[a, c], &[b]),
                "the one looked up since is kept"
            );
        }
    }

    /// A flight stored again under its key counts once; one exactly as large as the cache is
    /// kept; one larger is not, and drops nothing.
    #[test]
    fn a_cache_counts_each_flight_once_and_keeps_none_larger_than_itself() {
        let flights = default_flights();
        let (small, large) = (&flights[0], &flights[flights.len() - 1]);
        assert!(samples(small) < samples(large));
        let cache = FlightCache::new(samples(small));
        cache.store(vec![small.clone()]);
        cache.store(vec![small.clone()]);
        let stats = cache.stats();
        assert_eq!((stats.flights, stats.samples), (1, samples(small)));
        cache.store(vec![large.clone()]);
        assert!(holds(&cache, &[small], &[large]));
        assert_eq!(cache.stats().samples, samples(small));
    }
}
