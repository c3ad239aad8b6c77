//! Streaming statistics: moments, exact quantiles of counts, binomial intervals.

use serde::{Deserialize, Serialize};

/// Two-sided 95 % quantile of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// Running mean and variance (Welford 1962), mergeable in a fixed order (Chan, Golub & LeVeque
/// 1979), so that a batch gives the same numbers on any number of threads.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    m2: f64,
}

impl Moments {
    /// Adds one observation.
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Adds the observations summarised in `other`.
    pub fn merge(&mut self, other: &Moments) {
        if other.n == 0 {
            return;
        }
        if self.n == 0 {
            *self = *other;
            return;
        }
        let n = self.n + other.n;
        let d = other.mean - self.mean;
        self.mean += d * other.n as f64 / n as f64;
        self.m2 += other.m2 + d * d * self.n as f64 * other.n as f64 / n as f64;
        self.n = n;
    }

    /// Sample standard deviation (0 with fewer than two observations).
    pub fn sd(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            (self.m2 / (self.n - 1) as f64).sqrt()
        }
    }

    /// 95 % confidence interval of the mean (normal approximation).
    pub fn ci95(&self) -> [f64; 2] {
        let half = if self.n == 0 {
            0.0
        } else {
            Z95 * self.sd() / (self.n as f64).sqrt()
        };
        [self.mean - half, self.mean + half]
    }

    /// [`Moments::ci95`] of a quantity that cannot be negative, its lower end at 0 at least: the
    /// normal approximation reaches below 0 when most runs give 0.
    pub fn ci95_nonnegative(&self) -> [f64; 2] {
        let [low, high] = self.ci95();
        [low.max(0.0), high]
    }
}

/// Counts of a non-negative integer quantity: exact quantiles in memory bounded by its range.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Histogram {
    pub counts: Vec<u64>,
}

impl Histogram {
    pub fn add(&mut self, k: u32) {
        let k = k as usize;
        if self.counts.len() <= k {
            self.counts.resize(k + 1, 0);
        }
        self.counts[k] += 1;
    }

    pub fn merge(&mut self, other: &Histogram) {
        if self.counts.len() < other.counts.len() {
            self.counts.resize(other.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// The smallest value `k` with at least a fraction `q` of observations at or below it.
    pub fn quantile(&self, q: f64) -> u32 {
        let total = self.total();
        if total == 0 {
            return 0;
        }
        let target = (q * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (k, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= target {
                return k as u32;
            }
        }
        (self.counts.len() - 1) as u32
    }
}

/// The Wilson score interval of a binomial proportion (Wilson 1927) at 95 %.
pub fn wilson95(successes: u64, trials: u64) -> [f64; 2] {
    if trials == 0 {
        return [0.0, 1.0];
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z95 * Z95;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z95 / (1.0 + z2 / n) * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    [(centre - half).max(0.0), (centre + half).min(1.0)]
}

/// Quantiles reported in summaries.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Quantiles {
    pub p5: f64,
    pub p50: f64,
    pub p95: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_interval_of_a_nonnegative_mean_stops_at_zero() {
        let mut m = Moments::default();
        (0..19).for_each(|_| m.add(0.0));
        m.add(1000.0);
        let [low, high] = m.ci95();
        assert!(low < 0.0, "the normal interval reaches below 0: {low}");
        assert_eq!(m.ci95_nonnegative(), [0.0, high]);
    }

    #[test]
    fn merged_moments_equal_sequential_ones() {
        let xs: Vec<f64> = (0..1000).map(|i| ((i * 37) % 101) as f64 * 0.5).collect();
        let mut all = Moments::default();
        xs.iter().for_each(|&x| all.add(x));
        let (mut a, mut b) = (Moments::default(), Moments::default());
        xs[..300].iter().for_each(|&x| a.add(x));
        xs[300..].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!(a.n, all.n);
        assert!((a.mean - all.mean).abs() < 1e-12);
        assert!((a.sd() - all.sd()).abs() < 1e-12);
    }

    #[test]
    fn histogram_quantiles_are_exact() {
        let mut h = Histogram::default();
        for k in [0, 0, 1, 2, 2, 2, 3, 7, 7, 9] {
            h.add(k);
        }
        assert_eq!(h.quantile(0.05), 0);
        assert_eq!(h.quantile(0.5), 2);
        assert_eq!(h.quantile(0.95), 9);
    }

    #[test]
    fn wilson_interval_matches_a_published_example() {
        // Newcombe (1998), Table I: 81 successes of 263, Wilson interval 0.2553 to 0.3662.
        let [lo, hi] = wilson95(81, 263);
        assert!(
            (lo - 0.2553).abs() < 5e-4 && (hi - 0.3662).abs() < 5e-4,
            "{lo} {hi}"
        );
    }
}

/// Statistics of a per-run count: moments and an exact histogram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountStat {
    pub moments: Moments,
    pub histogram: Histogram,
}

impl CountStat {
    pub fn add(&mut self, k: u32) {
        self.moments.add(f64::from(k));
        self.histogram.add(k);
    }

    pub fn merge(&mut self, other: &CountStat) {
        self.moments.merge(&other.moments);
        self.histogram.merge(&other.histogram);
    }

    /// The summary: mean, spread, interval of the mean, quantiles, histogram.
    pub fn summary(&self) -> CountSummary {
        CountSummary {
            mean: self.moments.mean,
            sd: self.moments.sd(),
            ci95: self.moments.ci95_nonnegative(),
            quantiles: Quantiles {
                p5: f64::from(self.histogram.quantile(0.05)),
                p50: f64::from(self.histogram.quantile(0.5)),
                p95: f64::from(self.histogram.quantile(0.95)),
            },
            histogram: self.histogram.counts.clone(),
        }
    }
}

/// The summary of a per-run count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountSummary {
    pub mean: f64,
    pub sd: f64,
    pub ci95: [f64; 2],
    pub quantiles: Quantiles,
    /// Runs with 0, 1, 2, ...
    pub histogram: Vec<u64>,
}

/// Relative width of the bins of [`ValueStat`]: quantiles of amounts are exact to half of it
/// once the runs have more than [`MAX_EXACT_VALUES`] distinct amounts.
pub const VALUE_BIN_RATIO: f64 = 1.01;

/// Most distinct amounts that [`ValueStat`] counts one by one (for exact quantiles).
pub const MAX_EXACT_VALUES: usize = 10_000;

/// Statistics of a non-negative per-run amount (a cost): moments, the count of each distinct
/// amount while there are at most [`MAX_EXACT_VALUES`] (a cost is a sum of prices, so runs share
/// few amounts; quantiles are then exact), and a histogram in bins of relative width
/// [`VALUE_BIN_RATIO`] (quantiles within 0.5 % beyond), in bounded memory. What it holds
/// depends on the set of runs only, not on the order in which chunks of runs are merged.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ValueStat {
    pub moments: Moments,
    zeros: u64,
    bins: std::collections::BTreeMap<i32, u64>,
    /// Runs per distinct amount (keyed by its bits, which order non-negative amounts), until
    /// there are too many.
    exact: std::collections::BTreeMap<u64, u64>,
    /// Whether the amounts outgrew `exact`.
    binned: bool,
}

impl ValueStat {
    pub fn add(&mut self, x: f64) {
        self.moments.add(x);
        if !self.binned {
            *self.exact.entry(x.max(0.0).to_bits()).or_insert(0) += 1;
            self.drop_exact_beyond_the_bound();
        }
        if x <= 0.0 {
            self.zeros += 1;
        } else {
            *self
                .bins
                .entry((x.ln() / VALUE_BIN_RATIO.ln()).floor() as i32)
                .or_insert(0) += 1;
        }
    }

    pub fn merge(&mut self, other: &ValueStat) {
        self.moments.merge(&other.moments);
        self.zeros += other.zeros;
        for (k, n) in &other.bins {
            *self.bins.entry(*k).or_insert(0) += n;
        }
        self.binned |= other.binned;
        if !self.binned {
            for (k, n) in &other.exact {
                *self.exact.entry(*k).or_insert(0) += n;
            }
            self.drop_exact_beyond_the_bound();
        }
    }

    fn drop_exact_beyond_the_bound(&mut self) {
        if self.exact.len() > MAX_EXACT_VALUES {
            self.binned = true;
            self.exact = Default::default();
        }
    }

    /// Whether [`ValueStat::quantile`] is exact (the runs had at most [`MAX_EXACT_VALUES`]
    /// distinct amounts); otherwise it is within 0.5 %.
    pub fn exact(&self) -> bool {
        !self.binned
    }

    /// The smallest amount at or below which a fraction `q` of the runs lie: exact when
    /// [`ValueStat::exact`], otherwise the geometric centre of its bin.
    pub fn quantile(&self, q: f64) -> f64 {
        let total = self.zeros + self.bins.values().sum::<u64>();
        if total == 0 {
            return 0.0;
        }
        let target = (q * total as f64).ceil().max(1.0) as u64;
        if !self.binned {
            let mut seen = 0;
            for (bits, n) in &self.exact {
                seen += n;
                if seen >= target {
                    return f64::from_bits(*bits);
                }
            }
        }
        if self.zeros >= target {
            return 0.0;
        }
        let mut seen = self.zeros;
        for (k, n) in &self.bins {
            seen += n;
            if seen >= target {
                return VALUE_BIN_RATIO.powf(f64::from(*k) + 0.5);
            }
        }
        0.0
    }

    pub fn quantiles(&self) -> Quantiles {
        Quantiles {
            p5: self.quantile(0.05),
            p50: self.quantile(0.5),
            p95: self.quantile(0.95),
        }
    }
}

#[cfg(test)]
mod value_tests {
    use super::*;

    #[test]
    fn value_quantiles_are_within_half_a_percent() {
        let mut v = ValueStat::default();
        for k in 1..=1000 {
            v.add(f64::from(k) * 1e6);
        }
        for (q, exact) in [(0.05, 50e6), (0.5, 500e6), (0.95, 950e6)] {
            let got = v.quantile(q);
            assert!((got / exact - 1.0).abs() < 0.006, "{q}: {got} vs {exact}");
        }
        let mut z = ValueStat::default();
        z.add(0.0);
        z.add(0.0);
        z.add(5.0);
        assert_eq!(z.quantile(0.5), 0.0);
    }

    #[test]
    fn value_quantiles_are_exact_over_few_distinct_amounts_in_any_merge_order() {
        // 93 % of runs at 504M, the rest at 501M: the binned quantile was one value for all.
        let amounts: Vec<f64> = (0..1000)
            .map(|k| if k % 100 < 7 { 501e6 } else { 504e6 })
            .collect();
        let (mut a, mut b, mut whole): (ValueStat, ValueStat, ValueStat) = Default::default();
        for (k, &x) in amounts.iter().enumerate() {
            let half: &mut ValueStat = if k < 400 { &mut a } else { &mut b };
            half.add(x);
            whole.add(x);
        }
        let mut ab: ValueStat = a.clone();
        ab.merge(&b);
        let mut ba: ValueStat = b;
        ba.merge(&a);
        let mut sorted = amounts.clone();
        sorted.sort_by(f64::total_cmp);
        let exact = |q: f64| sorted[((q * 1000.0).ceil() as usize).max(1) - 1];
        for v in [&whole, &ab, &ba] {
            assert!(v.exact());
            for q in [0.05, 0.5, 0.95] {
                assert_eq!(v.quantile(q), exact(q), "{q}");
            }
        }
        assert_eq!((exact(0.05), exact(0.5)), (501e6, 504e6));
    }

    #[test]
    fn value_quantiles_fall_back_to_bins_beyond_the_bound() {
        let mut v = ValueStat::default();
        for k in 0..=MAX_EXACT_VALUES {
            v.add(1e6 + k as f64);
        }
        assert!(!v.exact());
        let got = v.quantile(0.5);
        let exact = 1e6 + (MAX_EXACT_VALUES / 2) as f64;
        assert!((got / exact - 1.0).abs() < 0.006, "{got} vs {exact}");
        // Merging a bounded stat into a binned one keeps it binned.
        let mut small = ValueStat::default();
        small.add(5.0);
        small.merge(&v);
        assert!(!small.exact());
    }

    #[test]
    fn zero_amounts_count_in_the_quantiles_added_or_merged() {
        // 0, 0, 0, 10, 20: the 95 % quantile is the fifth amount.
        let mut v = ValueStat::default();
        [0.0, 0.0, 0.0, 10.0, 20.0].iter().for_each(|&x| v.add(x));
        assert_eq!((v.quantile(0.5), v.quantile(0.95)), (0.0, 20.0));
        let (mut a, mut b) = (ValueStat::default(), ValueStat::default());
        [0.0, 0.0, 10.0].iter().for_each(|&x| a.add(x));
        [0.0, 20.0].iter().for_each(|&x| b.add(x));
        a.merge(&b);
        assert_eq!((a.quantile(0.5), a.quantile(0.95)), (0.0, 20.0));
    }

    #[test]
    fn value_stats_count_up_to_the_bound_exactly_added_or_merged() {
        let mut v = ValueStat::default();
        (0..MAX_EXACT_VALUES).for_each(|k| v.add(k as f64));
        assert!(
            v.exact(),
            "{MAX_EXACT_VALUES} distinct amounts are counted one by one"
        );
        // Two halves of 6,000 distinct amounts each, merged: beyond the bound at once.
        let (mut a, mut b) = (ValueStat::default(), ValueStat::default());
        (0..6000).for_each(|k| a.add(k as f64));
        (6000..12_000).for_each(|k| b.add(k as f64));
        assert!(a.exact() && b.exact());
        a.merge(&b);
        assert!(!a.exact());
    }

    #[test]
    fn two_observations_have_a_sample_deviation() {
        let mut m = Moments::default();
        m.add(1.0);
        assert_eq!(m.sd(), 0.0);
        m.add(3.0);
        assert!((m.sd() - 2.0_f64.sqrt()).abs() < 1e-15);
    }
}
