//! The shared ground of skyshield: exact simulation time and reproducible random streams.
//!
//! # Time
//! [`SimTime`] counts integer nanoseconds from the scenario's time origin (the raid's nominal
//! start; launches may be earlier, at negative times). Events are ordered by time, then by
//! their insertion sequence, never by floating-point time alone, so that simultaneous events
//! always fire in the same order.
//!
//! # Conventions of every crate
//! Stated here once; the other crates' docs refer to this section.
//! - **Time**: an instant of a run, and every time a library type stores to order or compare
//!   events (launches, coverage intervals, engagement windows, reaction and flight times), is a
//!   [`SimTime`]. Seconds as `f64` appear only where time is a physical variable (integration,
//!   trajectory samples), in parameters as a scenario gives them (drawn per run, then turned
//!   into a [`SimTime`] with [`SimTime::from_s`] where they meet an instant), and in outputs,
//!   whose fields end in `_s`.
//! - **Positions**: `skyshield_physics::earth::Geodetic` (latitude, longitude, height on
//!   WGS84) inside every crate. At the edges, a position in degrees is `[lat, lon]` or
//!   `[lat, lon, height_m]` (scenario files, JSON, the event log), or names each field
//!   (`lat_deg`, `lon_deg`); a pair of degrees in a library type is `(lat, lon)`. Formats whose
//!   standard fixes the other order (GeoJSON, CZML, KML) write `(lon, lat)` at the last step, and
//!   plots draw `(x, y) = (lon, lat)` on their projections. A pair of metres in a plane is
//!   `(east, north)`.
//! - **Ids**: a scenario names its elements with strings; once resolved, an element is a
//!   `usize` index into the vector that holds it (threats, sensors, batteries, assets, raid
//!   groups, warning zones), in every library type: events, outcomes, sirens and zone impacts
//!   alike. Outputs for people give the strings back.
//! - **Units**: SI inside; a field or variable names its unit by its suffix (`_m`, `_s`,
//!   `_m_s`, `_deg`, `_usd`), and an unsuffixed angle is in radians.
//!
//! # Randomness
//! Each replication draws from its own streams, derived from `(master seed, run index, stream,
//! key)` by [`stream`]: run `k` can be replayed alone, and the numbers of one component
//! (detections, say) do not change when another component draws more or fewer numbers. The key
//! names what draws: a threat (its raid group's id and its index in the group), a threat seen
//! by a sensor, a parameter (its name), each made by [`key_of`] and [`mix_keys`]. So two
//! variants of a scenario share the draws of everything they have in common (common random
//! numbers): adding a battery, a sensor or a raid group, or changing a doctrine, leaves the
//! draws of every threat, sensor and parameter that both have unchanged.

use std::fmt;
use std::ops::{Add, Sub};

use rand::SeedableRng;
pub use rand::{Rng, RngExt};
pub use rand_xoshiro::Xoshiro256PlusPlus as StreamRng;

/// A point in simulated time, in integer nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SimTime(pub i64);

impl SimTime {
    /// The time origin.
    pub const ZERO: SimTime = SimTime(0);
    /// Later than any event.
    pub const MAX: SimTime = SimTime(i64::MAX);

    /// From seconds, rounded to the nearest nanosecond (halves away from zero, as
    /// [`f64::round`], saturating at the ends of the range).
    pub fn from_s(seconds: f64) -> SimTime {
        SimTime(round_to_i64(seconds * 1e9))
    }

    /// In seconds.
    pub fn as_s(self) -> f64 {
        self.0 as f64 * 1e-9
    }
}

/// `x` rounded to the nearest integer, halves away from zero, as `f64::round(x) as i64`
/// (saturating at the ends of the range).
pub fn round_to_i64(x: f64) -> i64 {
    // `f64::round` is a library call on baseline x86-64; this is the same rounding in
    // arithmetic: the truncation and the remainder are exact, so are the comparisons.
    // Without branches: the rest's sign and size are as likely one way as the other.
    let whole = x as i64;
    let rest = x - whole as f64;
    whole.saturating_add(i64::from(rest >= 0.5) - i64::from(rest <= -0.5))
}

impl Add<SimTime> for SimTime {
    type Output = SimTime;
    fn add(self, o: SimTime) -> SimTime {
        SimTime(self.0.saturating_add(o.0))
    }
}

impl Sub<SimTime> for SimTime {
    type Output = SimTime;
    fn sub(self, o: SimTime) -> SimTime {
        SimTime(self.0.saturating_sub(o.0))
    }
}

impl fmt::Display for SimTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3} s", self.as_s())
    }
}

/// The random streams of a replication; each component draws from its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u64)]
pub enum Stream {
    /// Launch-time jitter, in-flight failures, aim dispersion.
    Launch = 1,
    /// Radar and early-warning detections.
    Detection = 2,
    /// Impact-point prediction errors.
    Prediction = 3,
    /// Interceptor kill draws.
    Kill = 4,
    /// Kill assessment after intercepts.
    Assessment = 5,
    /// Parameter uncertainty (values drawn from `{low, nominal, high}` ranges).
    Parameters = 6,
    /// Debris of intercepted threats.
    Debris = 7,
    /// A campaign's draws of a day: generated salvos, relocations, maintenance, losses of
    /// batteries and launchers.
    Campaign = 8,
    /// Parameter sets drawn from the `{low, nominal, high}` ranges (the set's index in place of
    /// the run's).
    ParameterSets = 9,
}

/// The master seed of day `day` of a campaign under `master_seed`: a day's replications and
/// campaign draws use the streams of `(day_seed(master_seed, day), run, stream)`, so that they
/// are keyed by (seed, run, day).
pub fn day_seed(master_seed: u64, day: u32) -> u64 {
    splitmix64(splitmix64(master_seed) ^ (u64::from(day) << 32 | 0xDA7))
}

/// SplitMix64 (Steele, Lea & Flood, "Fast splittable pseudorandom number generators",
/// OOPSLA 2014): a bijective mixing of 64 bits, used to derive independent seeds.
#[inline]
pub fn splitmix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `stream` of run `run` under `master_seed` for what `key` names:
/// xoshiro256++ (Blackman & Vigna 2018) seeded by SplitMix64 from the four numbers.
pub fn stream(master_seed: u64, run: u64, stream: Stream, key: u64) -> StreamRng {
    seeded_stream(stream_seed(master_seed, run, stream), key)
}

/// The generator of [`stream`] from the stream's seed ([`stream_seed`]), for a caller that
/// draws from many keys of one stream and computes its seed once.
#[inline]
pub fn seeded_stream(stream_seed: u64, key: u64) -> StreamRng {
    StreamRng::seed_from_u64(splitmix64(stream_seed ^ key))
}

/// The seed of stream `stream` of run `run` under `master_seed`, before the key of what draws
/// is mixed in: [`stream`] seeds its generator from `splitmix64(stream_seed(..) ^ key)`; a
/// counter-based draw is `splitmix64(stream_seed(..) ^ key)` itself, for a key that names both
/// what draws and which of its draws it is.
pub fn stream_seed(master_seed: u64, run: u64, stream: Stream) -> u64 {
    splitmix64(splitmix64(splitmix64(master_seed) ^ run) ^ stream as u64)
}

/// The key of a name (an element's id, a parameter's name): its 64-bit FNV-1a hash (Fowler,
/// Noll & Vo), mixed by SplitMix64. The same name gives the same key on every platform.
pub fn key_of(name: &str) -> u64 {
    let hash = name.bytes().fold(0xCBF2_9CE4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
    });
    splitmix64(hash)
}

/// The key of `part` within what `key` names (a threat's index in its raid group, a sensor
/// seeing a threat, the n-th engagement of a threat): distinct parts give unrelated keys.
pub fn mix_keys(key: u64, part: u64) -> u64 {
    mix_part_key(key, part_key(part))
}

/// The mixed form of `part` that [`mix_keys`] combines with a key, for a part (a sensor) that
/// is combined with many keys.
#[inline]
pub fn part_key(part: u64) -> u64 {
    splitmix64(part)
}

/// [`mix_keys`]`(key, part)` from `part_key(part)` ([`part_key`]).
#[inline]
pub fn mix_part_key(key: u64, part_key: u64) -> u64 {
    splitmix64(key ^ part_key)
}

/// Whole parts summing to `total` from non-negative `quotas` that sum to it (up to rounding):
/// each quota rounded down, and the parts left over one each to the largest remainders (the
/// largest remainder method of Hamilton), ties to the first.
pub fn largest_remainder(total: u64, quotas: &[f64]) -> Vec<u64> {
    let mut parts: Vec<u64> = quotas.iter().map(|q| q.floor() as u64).collect();
    let given: u64 = parts.iter().sum();
    let mut order: Vec<usize> = (0..quotas.len()).filter(|&i| quotas[i] > 0.0).collect();
    if order.is_empty() {
        return parts;
    }
    order.sort_by(|&i, &j| {
        (quotas[j] - quotas[j].floor())
            .total_cmp(&(quotas[i] - quotas[i].floor()))
            .then(i.cmp(&j))
    });
    for k in 0..total.saturating_sub(given) {
        parts[order[k as usize % order.len()]] += 1;
    }
    parts
}

/// `total` shared in proportion to non-negative `weights` in whole parts that sum to `total`
/// exactly ([`largest_remainder`] of the quotas); all zeros when the weights are.
pub fn apportion(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 {
        return vec![0; weights.len()];
    }
    let quotas: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    largest_remainder(total, &quotas)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn largest_remainders_sum_to_the_total() {
        assert_eq!(largest_remainder(10, &[3.3, 3.3, 3.4]), [3, 3, 4]);
        assert_eq!(largest_remainder(7, &[3.5, 3.5, 0.0]), [4, 3, 0]);
        assert_eq!(largest_remainder(0, &[0.0, 0.0]), [0, 0]);
    }

    #[test]
    fn apportion_sums_exactly() {
        assert_eq!(apportion(10, &[1.0, 1.0, 1.0]), vec![4, 3, 3]);
        assert_eq!(apportion(7, &[0.0, 2.0, 1.0]), vec![0, 5, 2]);
        assert_eq!(apportion(5, &[0.0, 0.0]), vec![0, 0]);
        let weights: Vec<f64> = (1..=97).map(|k| f64::from(k).sqrt()).collect();
        let parts = apportion(1_234_567, &weights);
        assert_eq!(parts.iter().sum::<u64>(), 1_234_567);
        let sum: f64 = weights.iter().sum();
        for (p, w) in parts.iter().zip(&weights) {
            assert!((*p as f64 - 1_234_567.0 * w / sum).abs() < 1.0);
        }
    }

    #[test]
    fn apportion_keeps_the_total_and_the_proportions() {
        assert_eq!(apportion(10, &[1.0, 1.0, 2.0]), vec![3, 2, 5]);
        assert_eq!(apportion(7, &[3.0, 0.0, 3.0]), vec![4, 0, 3]);
        assert_eq!(apportion(0, &[5.0, 5.0]), vec![0, 0]);
        assert_eq!(apportion(100, &[8.0]), vec![100]);
        for total in 0..50 {
            assert_eq!(
                apportion(total, &[3.0, 5.0, 7.0, 1.0]).iter().sum::<u64>(),
                total
            );
        }
    }

    #[test]
    fn time_round_trips_through_seconds() {
        assert_eq!(SimTime::from_s(1.5).0, 1_500_000_000);
        assert_eq!(SimTime::from_s(-0.25).as_s(), -0.25);
        assert!(SimTime::from_s(1.0) < SimTime::from_s(1.000_000_001));
    }

    #[test]
    fn rounding_to_nanoseconds_is_that_of_f64_round() {
        let reference = |s: f64| SimTime((s * 1e9).round() as i64);
        let mut rng = stream(3, 0, Stream::Launch, 0);
        let mut cases = vec![
            0.0,
            -0.0,
            0.5e-9,
            -0.5e-9,
            1.5e-9,
            -2.5e-9,
            0.5f64.next_down() * 1e-9,
            9.3e9,
            -9.3e9,
            f64::MAX,
            f64::MIN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NAN,
        ];
        for _ in 0..200_000 {
            // Any bit pattern, and times of every scale with halves of a nanosecond.
            cases.push(f64::from_bits(rng.next_u64()));
            let scale = 10f64.powi(rng.random_range(-12..12));
            cases.push((rng.random::<f64>() - 0.5) * scale);
            cases.push((rng.random_range(-1_000_000i64..1_000_000) as f64 + 0.5) * 1e-9);
        }
        for s in cases {
            assert_eq!(SimTime::from_s(s), reference(s), "{s:e} s");
        }
    }

    #[test]
    fn streams_differ_by_run_stream_and_key_and_repeat_exactly() {
        let draw = |seed, run, s, key| stream(seed, run, s, key).next_u64();
        let k = key_of("salvo-1");
        assert_eq!(draw(1, 7, Stream::Kill, k), draw(1, 7, Stream::Kill, k));
        assert_ne!(draw(1, 7, Stream::Kill, k), draw(1, 8, Stream::Kill, k));
        assert_ne!(
            draw(1, 7, Stream::Kill, k),
            draw(1, 7, Stream::Detection, k)
        );
        assert_ne!(draw(1, 7, Stream::Kill, k), draw(2, 7, Stream::Kill, k));
        assert_ne!(
            draw(1, 7, Stream::Kill, k),
            draw(1, 7, Stream::Kill, key_of("salvo-2"))
        );
        assert_ne!(
            draw(1, 7, Stream::Kill, mix_keys(k, 0)),
            draw(1, 7, Stream::Kill, mix_keys(k, 1))
        );
    }

    #[test]
    fn keys_of_names_are_fixed_fnv_1a_hashes() {
        // FNV-1a of "" and "a" (the published test vectors), then SplitMix64.
        assert_eq!(key_of(""), splitmix64(0xCBF2_9CE4_8422_2325));
        assert_eq!(key_of("a"), splitmix64(0xAF63_DC4C_8601_EC8C));
        assert_ne!(key_of("battery-1"), key_of("battery-2"));
    }
}
