//! Sobol variance-based indices from a Saltelli design.
//!
//! Two matrices `A` and `B` of `N` points in the unit cube come from one `2k`-dimensional
//! scrambled Sobol sequence (Owen-scrambled, Burley 2020, "Practical hash-based Owen
//! scrambling", JCGT 9(4), through the `sobol_burley` crate, with the direction numbers of Joe &
//! Kuo 2008): `A` its first `k` coordinates, `B` the last `k`. `AB_i` is `A` with column `i`
//! taken from `B`. Point `j` of the design gives `k + 2` model runs in the order
//! `A_j, AB_1j, .., AB_kj, B_j`, SALib's order for `calc_second_order=False`.
//!
//! With `V` the variance of the outputs over `A` and `B` together:
//! - first order (Saltelli et al. 2010, "Variance based sensitivity analysis of model output.
//!   Design and estimator for the total sensitivity index", Computer Physics Communications
//!   181(2), table 2 (b)): `S_i = mean(f(B) (f(AB_i) - f(A))) / V`;
//! - total (Jansen 1999, "Analysis of variance designs for model output", Computer Physics
//!   Communications 117; Saltelli et al. 2010 table 2 (f)):
//!   `ST_i = mean((f(A) - f(AB_i))^2) / (2 V)`.
//!
//! These are the estimators of SALib's `sobol.analyze`: on the same samples and outputs its
//! point estimates equal ours. Intervals come from a bootstrap over the `N` design points
//! (percentile intervals, resampled with a seeded generator).

use rand::RngExt;
use serde::Serialize;

use crate::stats::{mean, quantile, variance};
use crate::{AnalysisError, Result, check_finite, rng};

/// Largest number of inputs: the Sobol sequence used has 256 dimensions, two per input.
pub const MAX_INPUTS: usize = 128;

/// Largest base sample `N`: the length of the Sobol sequence used.
pub const MAX_BASE_SAMPLES: usize = 1 << 16;

/// The design and bootstrap of a Sobol analysis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolOptions {
    /// Base sample size `N` (the design has `N (k + 2)` points); a power of two keeps the
    /// Sobol sequence balanced.
    pub base_samples: usize,
    /// Bootstrap resamples for the intervals.
    pub resamples: usize,
    /// Coverage of the intervals (0.95 for 95 %).
    pub confidence: f64,
    /// Seed of the scrambling and of the bootstrap.
    pub seed: u64,
}

impl Default for SobolOptions {
    fn default() -> SobolOptions {
        SobolOptions {
            base_samples: 64,
            resamples: 500,
            confidence: 0.95,
            seed: 1,
        }
    }
}

impl SobolOptions {
    fn check(&self, inputs: usize) -> Result<()> {
        if inputs == 0 || inputs > MAX_INPUTS {
            return Err(AnalysisError::Option {
                option: "inputs",
                expected: "between 1 and 128 uncertain inputs",
                got: inputs.to_string(),
            });
        }
        if !(2..=MAX_BASE_SAMPLES).contains(&self.base_samples) {
            return Err(AnalysisError::Option {
                option: "base_samples",
                expected: "between 2 and 65536",
                got: self.base_samples.to_string(),
            });
        }
        if self.resamples < 2 {
            return Err(AnalysisError::Option {
                option: "resamples",
                expected: "at least 2",
                got: self.resamples.to_string(),
            });
        }
        if !(self.confidence > 0.0 && self.confidence < 1.0) {
            return Err(AnalysisError::Option {
                option: "confidence",
                expected: "a probability strictly between 0 and 1",
                got: self.confidence.to_string(),
            });
        }
        Ok(())
    }

    /// The number of model runs for `inputs` inputs: `N (k + 2)`.
    pub fn runs(&self, inputs: usize) -> usize {
        self.base_samples * (inputs + 2)
    }
}

/// The points of the Saltelli design in the unit cube of `inputs` dimensions, in the order
/// `A_j, AB_1j, .., AB_kj, B_j` for each base point `j`.
pub fn sobol_sample(inputs: usize, options: &SobolOptions) -> Result<Vec<Vec<f64>>> {
    options.check(inputs)?;
    let seed = skyshield_core::splitmix64(options.seed) as u32;
    let mut points = Vec::with_capacity(options.runs(inputs));
    for j in 0..options.base_samples as u32 {
        let coordinate = |d: usize| f64::from(sobol_burley::sample(j, d as u32, seed));
        let a: Vec<f64> = (0..inputs).map(coordinate).collect();
        let b: Vec<f64> = (inputs..2 * inputs).map(coordinate).collect();
        points.push(a.clone());
        for i in 0..inputs {
            let mut ab = a.clone();
            ab[i] = b[i];
            points.push(ab);
        }
        points.push(b);
    }
    Ok(points)
}

/// An estimate with its bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The point estimate.
    pub value: f64,
    /// The bootstrap percentile interval `[low, high]`.
    pub ci: [f64; 2],
}

/// The Sobol indices of one input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SobolIndex {
    /// First-order index `S1`: the share of the variance the input explains alone.
    pub first: Estimate,
    /// Total index `ST`: its share with all its interactions.
    pub total: Estimate,
}

/// The indices of each input from the outputs of the model at the points of [`sobol_sample`]
/// (for `inputs` inputs).
pub fn sobol_analyse(
    inputs: usize,
    outputs: &[f64],
    options: &SobolOptions,
) -> Result<Vec<SobolIndex>> {
    options.check(inputs)?;
    let runs = options.runs(inputs);
    if outputs.len() != runs {
        return Err(AnalysisError::Length {
            what: "outputs",
            expected: runs,
            got: outputs.len(),
        });
    }
    check_finite(outputs)?;
    let n = options.base_samples;
    // Centred on the mean of every output, as SALib does: the first-order estimator is not
    // invariant to a shift of the output, and its variance is smallest when centred.
    let centre = mean(outputs);
    let centred: Vec<f64> = outputs.iter().map(|y| y - centre).collect();
    let blocks: Vec<&[f64]> = centred.chunks(inputs + 2).collect();
    let all: Vec<usize> = (0..n).collect();
    let point = |rows: &[usize]| estimates(&blocks, rows, inputs);
    let (first, total) = point(&all);
    let mut rng = rng(options.seed, "sobol bootstrap");
    let mut boot_first = vec![Vec::with_capacity(options.resamples); inputs];
    let mut boot_total = vec![Vec::with_capacity(options.resamples); inputs];
    let mut rows = vec![0; n];
    for _ in 0..options.resamples {
        for r in &mut rows {
            *r = rng.random_range(0..n);
        }
        let (f, t) = point(&rows);
        for i in 0..inputs {
            boot_first[i].push(f[i]);
            boot_total[i].push(t[i]);
        }
    }
    let tail = (1.0 - options.confidence) / 2.0;
    let interval = |xs: &[f64]| [quantile(xs, tail), quantile(xs, 1.0 - tail)];
    Ok((0..inputs)
        .map(|i| SobolIndex {
            first: Estimate {
                value: first[i],
                ci: interval(&boot_first[i]),
            },
            total: Estimate {
                value: total[i],
                ci: interval(&boot_total[i]),
            },
        })
        .collect())
}

/// First-order and total indices over the design points `rows` (with repetition in a
/// bootstrap). A constant output gives indices of 0.
fn estimates(blocks: &[&[f64]], rows: &[usize], inputs: usize) -> (Vec<f64>, Vec<f64>) {
    let a: Vec<f64> = rows.iter().map(|&r| blocks[r][0]).collect();
    let b: Vec<f64> = rows.iter().map(|&r| blocks[r][inputs + 1]).collect();
    let both: Vec<f64> = a.iter().chain(&b).copied().collect();
    let v = variance(&both, 0);
    let scale = if v > 0.0 { 1.0 / v } else { 0.0 };
    let mut first = Vec::with_capacity(inputs);
    let mut total = Vec::with_capacity(inputs);
    for i in 0..inputs {
        let ab: Vec<f64> = rows.iter().map(|&r| blocks[r][i + 1]).collect();
        let f: Vec<f64> = (0..rows.len()).map(|j| b[j] * (ab[j] - a[j])).collect();
        let t: Vec<f64> = (0..rows.len()).map(|j| (a[j] - ab[j]).powi(2)).collect();
        first.push(mean(&f) * scale);
        total.push(0.5 * mean(&t) * scale);
    }
    (first, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn design_has_saltelli_layout() {
        let options = SobolOptions::default();
        let points = sobol_sample(3, &options).unwrap();
        assert_eq!(points.len(), options.runs(3));
        let block = &points[..5];
        for i in 0..3 {
            for c in 0..3 {
                let from = if c == i { &block[4] } else { &block[0] };
                assert_eq!(block[i + 1][c], from[c]);
            }
        }
        assert!(points.iter().flatten().all(|x| (0.0..1.0).contains(x)));
    }

    #[test]
    fn wrong_counts_are_refused() {
        let options = SobolOptions::default();
        assert!(sobol_analyse(3, &[0.0; 10], &options).is_err());
        assert!(sobol_sample(0, &options).is_err());
        let bad = SobolOptions {
            confidence: 1.0,
            ..options
        };
        assert!(sobol_sample(2, &bad).is_err());
    }

    #[test]
    fn options_out_of_range_are_refused() {
        let tiny = SobolOptions {
            base_samples: 2,
            resamples: 2,
            confidence: 0.5,
            seed: 1,
        };
        assert!(sobol_sample(MAX_INPUTS, &tiny).is_ok());
        let refused = |inputs, options: SobolOptions| match sobol_sample(inputs, &options) {
            Err(AnalysisError::Option { option, .. }) => option,
            other => panic!("{options:?} with {inputs} inputs gave {other:?}"),
        };
        assert_eq!(refused(MAX_INPUTS + 1, tiny), "inputs");
        assert_eq!(
            refused(
                2,
                SobolOptions {
                    base_samples: 1,
                    ..tiny
                }
            ),
            "base_samples"
        );
        assert_eq!(
            refused(
                2,
                SobolOptions {
                    resamples: 1,
                    ..tiny
                }
            ),
            "resamples"
        );
        for confidence in [0.0, 1.0, f64::NAN] {
            assert_eq!(
                refused(2, SobolOptions { confidence, ..tiny }),
                "confidence"
            );
        }
    }

    #[test]
    fn the_estimators_are_those_of_saltelli_and_jansen_on_centred_outputs() {
        // One input, two base points, blocks (A, AB, B) of outputs (1, 3, 2) and (5, 4, 0).
        // Centred on their mean 2.5: a = (-1.5, 2.5), ab = (0.5, 1.5), b = (-0.5, -2.5); the
        // variance of a and b together is 14 / 4. S1 = mean(b (ab - a)) / V = 0.75 / 3.5;
        // ST = mean((a - ab)^2) / 2V = 1.25 / 3.5.
        let options = SobolOptions {
            base_samples: 2,
            ..SobolOptions::default()
        };
        let outputs = [1.0, 3.0, 2.0, 5.0, 4.0, 0.0];
        let index = sobol_analyse(1, &outputs, &options).unwrap()[0];
        assert!((index.first.value - 3.0 / 14.0).abs() < 1e-15);
        assert!((index.total.value - 5.0 / 14.0).abs() < 1e-15);
        // Centred, the indices do not move with the output's origin.
        let shifted: Vec<f64> = outputs.iter().map(|y| y + 1000.0).collect();
        let moved = sobol_analyse(1, &shifted, &options).unwrap()[0];
        assert!((moved.first.value - index.first.value).abs() < 1e-12);
        // A constant output has indices of 0.
        let flat = sobol_analyse(1, &[7.0; 6], &options).unwrap()[0];
        assert_eq!((flat.first.value, flat.total.value), (0.0, 0.0));
    }

    #[test]
    fn intervals_widen_with_their_confidence_as_the_normal_quantiles() {
        // An additive model on 512 base points: the bootstrap distribution of each index is
        // close to normal, so a 95 % interval is z(0.975) / z(0.75) = 2.906 times as wide as a
        // 50 % interval (each from 4000 resamples; checked to within 15 %).
        let at = |confidence| SobolOptions {
            base_samples: 512,
            resamples: 4000,
            confidence,
            seed: 9,
        };
        let points = sobol_sample(2, &at(0.95)).unwrap();
        let y: Vec<f64> = points.iter().map(|x| x[0] + 0.5 * x[1]).collect();
        let wide = sobol_analyse(2, &y, &at(0.95)).unwrap();
        let narrow = sobol_analyse(2, &y, &at(0.5)).unwrap();
        for (w, n) in wide.iter().zip(&narrow) {
            for (w, n) in [(w.first, n.first), (w.total, n.total)] {
                let ratio = (w.ci[1] - w.ci[0]) / (n.ci[1] - n.ci[0]);
                assert!((ratio / 2.906 - 1.0).abs() < 0.15, "width ratio {ratio}");
                assert!(w.ci[0] < n.ci[0] && n.ci[0] < n.ci[1] && n.ci[1] < w.ci[1]);
            }
        }
    }
}
