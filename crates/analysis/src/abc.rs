//! Calibration by rejection approximate Bayesian computation (ABC).
//!
//! Rejection ABC (Pritchard et al. 1999, "Population growth of human Y chromosomes",
//! Molecular Biology and Evolution 16(12); Beaumont, Zhang & Balding 2002, "Approximate
//! Bayesian computation in population genetics", Genetics 162(4)):
//! 1. draw parameter sets from the prior ([`prior_sample`]: uniform in the unit cube, i.e.
//!    each parameter from its prior through its quantile function);
//! 2. simulate the reported figures for each draw (the caller's model);
//! 3. keep the fraction of draws whose simulated figures are closest to the reported ones
//!    ([`abc_reject`]), by the Euclidean distance between figures (a simulated figure inside a
//!    reported range `[low, high]` is at distance 0 from it), each divided by its scale: the
//!    median absolute deviation of its simulations over all draws (times 1.4826, a standard
//!    deviation for normal data), or their standard deviation when that is zero, so that each
//!    figure weighs alike whatever its unit;
//! 4. the kept draws approximate the posterior: their 5 %, 50 % and 95 % quantiles give a
//!    90 % credible interval per parameter, and the ratio of its width to the prior's 90 %
//!    width (0.9 in the unit cube) says how much the reported figures constrain the parameter
//!    (near 1: not at all).
//!
//! A posterior predictive check ([`predictive_check`]) compares each reported figure with its
//! simulations at the kept draws, simulated afresh with other random streams (the kept
//! simulations themselves were chosen for being close).

use rand::RngExt;
use serde::Serialize;

use crate::stats::{quantile, quantile_sorted};
use crate::{AnalysisError, Result, check_finite, rng};

/// The prior sample and the tolerance of a rejection ABC.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AbcOptions {
    /// Number of draws from the prior.
    pub draws: usize,
    /// Fraction of the draws kept (the closest ones), in (0, 1].
    pub keep: f64,
    /// Seed of the prior draws.
    pub seed: u64,
}

impl Default for AbcOptions {
    fn default() -> AbcOptions {
        AbcOptions {
            draws: 400,
            keep: 0.1,
            seed: 1,
        }
    }
}

impl AbcOptions {
    fn check(&self) -> Result<()> {
        if !(self.keep > 0.0 && self.keep <= 1.0) {
            return Err(AnalysisError::Option {
                option: "keep",
                expected: "a fraction in (0, 1]",
                got: self.keep.to_string(),
            });
        }
        if self.kept() < 2 || self.kept() > self.draws {
            return Err(AnalysisError::Option {
                option: "draws",
                expected: "enough draws to keep at least 2",
                got: self.draws.to_string(),
            });
        }
        Ok(())
    }

    /// The number of draws kept.
    pub fn kept(&self) -> usize {
        (self.keep * self.draws as f64).ceil() as usize
    }
}

/// `options.draws` parameter sets drawn uniformly in the unit cube of `inputs` dimensions.
pub fn prior_sample(inputs: usize, options: &AbcOptions) -> Result<Vec<Vec<f64>>> {
    options.check()?;
    let mut rng = rng(options.seed, "abc prior");
    Ok((0..options.draws)
        .map(|_| (0..inputs).map(|_| rng.random::<f64>()).collect())
        .collect())
}

/// The posterior of one parameter, in unit coordinates (prior quantiles).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParameterPosterior {
    /// 5 % quantile of the kept draws.
    pub p5: f64,
    /// Median of the kept draws.
    pub p50: f64,
    /// 95 % quantile of the kept draws.
    pub p95: f64,
    /// Width of the 90 % credible interval over that of the prior (0.9): 1 when the reported
    /// figures say nothing of the parameter, small when they pin it down.
    pub width_ratio: f64,
}

/// The result of a rejection ABC.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Posterior {
    /// Indices of the kept draws, closest first.
    pub kept: Vec<usize>,
    /// Largest distance among the kept draws (the tolerance it amounts to).
    pub tolerance: f64,
    /// The scale each figure's difference was divided by.
    pub scales: Vec<f64>,
    /// Per parameter.
    pub parameters: Vec<ParameterPosterior>,
}

/// Keeps the draws closest to `observed` (see the module's description): `draws[d]` is a
/// parameter set in the unit cube, `simulated[d]` its simulated figures, in the order of
/// `observed`, each reported as a range `[low, high]` (`[v, v]` for a single value).
pub fn abc_reject(
    draws: &[Vec<f64>],
    simulated: &[Vec<f64>],
    observed: &[[f64; 2]],
    options: &AbcOptions,
) -> Result<Posterior> {
    options.check()?;
    for (what, got) in [
        ("parameter sets", draws.len()),
        ("simulations", simulated.len()),
    ] {
        if got != options.draws {
            return Err(AnalysisError::Length {
                what,
                expected: options.draws,
                got,
            });
        }
    }
    check_finite(observed.as_flattened())?;
    for s in simulated {
        if s.len() != observed.len() {
            return Err(AnalysisError::Length {
                what: "simulated figures of a draw",
                expected: observed.len(),
                got: s.len(),
            });
        }
        check_finite(s)?;
    }
    let scales: Vec<f64> = (0..observed.len())
        .map(|f| scale(&simulated.iter().map(|s| s[f]).collect::<Vec<_>>()))
        .collect();
    let distance: Vec<f64> = simulated
        .iter()
        .map(|s| {
            s.iter()
                .zip(observed)
                .zip(&scales)
                .map(|((s, [lo, hi]), c)| ((lo - s).max(s - hi).max(0.0) / c).powi(2))
                .sum::<f64>()
                .sqrt()
        })
        .collect();
    let mut order: Vec<usize> = (0..draws.len()).collect();
    order.sort_by(|&a, &b| distance[a].total_cmp(&distance[b]).then(a.cmp(&b)));
    order.truncate(options.kept());
    let tolerance = distance[*order.last().expect("at least 2 kept")];
    let inputs = draws.first().map_or(0, Vec::len);
    let parameters = (0..inputs)
        .map(|i| {
            let mut xs: Vec<f64> = order.iter().map(|&d| draws[d][i]).collect();
            xs.sort_by(f64::total_cmp);
            let (p5, p95) = (quantile_sorted(&xs, 0.05), quantile_sorted(&xs, 0.95));
            ParameterPosterior {
                p5,
                p50: quantile_sorted(&xs, 0.5),
                p95,
                width_ratio: (p95 - p5) / 0.9,
            }
        })
        .collect();
    Ok(Posterior {
        kept: order,
        tolerance,
        scales,
        parameters,
    })
}

/// The scale of a figure's simulations: 1.4826 times their median absolute deviation, or
/// their standard deviation when that is zero, or 1 when they are all equal.
fn scale(xs: &[f64]) -> f64 {
    let median = quantile(xs, 0.5);
    let deviations: Vec<f64> = xs.iter().map(|x| (x - median).abs()).collect();
    let mad = 1.482_6 * quantile(&deviations, 0.5);
    if mad > 0.0 {
        return mad;
    }
    let sd = crate::stats::variance(xs, 0).sqrt();
    if sd > 0.0 { sd } else { 1.0 }
}

/// A reported figure against its posterior predictive distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FigureCheck {
    /// The reported value or range `[low, high]`.
    pub observed: [f64; 2],
    /// 5 % quantile of the simulations at the kept draws.
    pub p5: f64,
    /// Their median.
    pub p50: f64,
    /// Their 95 % quantile.
    pub p95: f64,
    /// Fraction of the simulations below the reported value (the middle of a range) plus half
    /// of those equal to it (a posterior predictive p-value; near 0 or 1, the model fits the
    /// figure badly).
    pub p_below: f64,
    /// Whether the reported value or range meets `[p5, p95]`.
    pub inside: bool,
}

/// Checks each of the `observed` figures against `resimulated[d][f]`, figure `f` simulated
/// afresh at kept draw `d`.
pub fn predictive_check(
    observed: &[[f64; 2]],
    resimulated: &[Vec<f64>],
) -> Result<Vec<FigureCheck>> {
    if resimulated.is_empty() {
        return Err(AnalysisError::Length {
            what: "posterior simulations",
            expected: 1,
            got: 0,
        });
    }
    observed
        .iter()
        .enumerate()
        .map(|(f, &[lo, hi])| {
            let o = 0.5 * (lo + hi);
            let mut xs = Vec::with_capacity(resimulated.len());
            for s in resimulated {
                let Some(&x) = s.get(f) else {
                    return Err(AnalysisError::Length {
                        what: "simulated figures of a draw",
                        expected: observed.len(),
                        got: s.len(),
                    });
                };
                xs.push(x);
            }
            check_finite(&xs)?;
            xs.sort_by(f64::total_cmp);
            let below = xs.iter().filter(|&&x| x < o).count() as f64;
            let equal = xs.iter().filter(|&&x| x == o).count() as f64;
            let (p5, p95) = (quantile_sorted(&xs, 0.05), quantile_sorted(&xs, 0.95));
            Ok(FigureCheck {
                observed: [lo, hi],
                p5,
                p50: quantile_sorted(&xs, 0.5),
                p95,
                p_below: (below + 0.5 * equal) / xs.len() as f64,
                inside: hi >= p5 && lo <= p95,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_draw_is_kept_first() {
        let options = AbcOptions {
            draws: 20,
            keep: 0.2,
            seed: 3,
        };
        let draws = prior_sample(2, &options).unwrap();
        let sim: Vec<Vec<f64>> = draws.iter().map(|x| vec![x[0] * 10.0, x[1]]).collect();
        let observed = [[sim[7][0]; 2], [sim[7][1]; 2]];
        let post = abc_reject(&draws, &sim, &observed, &options).unwrap();
        assert_eq!(post.kept.len(), 4);
        assert_eq!(post.kept[0], 7);
        assert!(post.tolerance > 0.0);
    }

    #[test]
    fn options_out_of_range_are_refused() {
        let with = |draws, keep| AbcOptions {
            draws,
            keep,
            seed: 1,
        };
        for ok in [with(2, 1.0), with(20, 0.1)] {
            assert!(prior_sample(1, &ok).is_ok(), "{ok:?}");
        }
        for (bad, option) in [
            (with(20, 0.0), "keep"),
            (with(20, 1.5), "keep"),
            (with(20, f64::NAN), "keep"),
            (with(20, 0.05), "draws"),
            (with(1, 1.0), "draws"),
        ] {
            match prior_sample(1, &bad) {
                Err(AnalysisError::Option { option: o, .. }) => assert_eq!(o, option),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn distances_are_scaled_and_zero_inside_a_reported_range() {
        // Figure 0 in thousands (0 to 4000), figure 1 in units (0 to 4): their scales, 1.4826
        // times the median absolute deviation (1000 and 1), make a miss weigh alike in both.
        // Draw 0 lies inside both reported ranges; draws 4, 1, 2 and 3 miss each figure by a
        // third, two thirds, one and four thirds of 1500 and 1.5 in its unit.
        let draws: Vec<Vec<f64>> = (0..5).map(|d| vec![f64::from(d) / 5.0]).collect();
        let simulated = vec![
            vec![2000.0, 2.0],
            vec![3000.0, 1.0],
            vec![0.0, 4.0],
            vec![4000.0, 0.0],
            vec![1000.0, 3.0],
        ];
        let options = AbcOptions {
            draws: 5,
            keep: 0.6,
            seed: 1,
        };
        let observed = [[1500.0, 2000.0], [2.0, 2.5]];
        let post = abc_reject(&draws, &simulated, &observed, &options).unwrap();
        assert_eq!(post.kept, vec![0, 4, 1]);
        assert!((post.scales[0] - 1482.6).abs() < 1e-9);
        assert!((post.scales[1] - 1.4826).abs() < 1e-12);
        // Draw 1 misses by 1000 and 1: one scale over 1.4826 on each figure.
        let expected = 2.0_f64.sqrt() / 1.4826;
        assert!(
            (post.tolerance - expected).abs() < 1e-12,
            "{}",
            post.tolerance
        );
    }

    #[test]
    fn the_width_ratio_is_the_credible_width_over_the_priors() {
        // 21 draws evenly from 0 to 1, every one kept: their 5 % and 95 % quantiles are 0.05 and
        // 0.95, the prior's own, so the ratio is 1.
        let draws: Vec<Vec<f64>> = (0..21).map(|d| vec![f64::from(d) / 20.0]).collect();
        let simulated = vec![vec![0.0]; 21];
        let options = AbcOptions {
            draws: 21,
            keep: 1.0,
            seed: 1,
        };
        let post = abc_reject(&draws, &simulated, &[[0.0, 0.0]], &options).unwrap();
        let p = post.parameters[0];
        assert!((p.p5 - 0.05).abs() < 1e-12 && (p.p95 - 0.95).abs() < 1e-12);
        assert!((p.p50 - 0.5).abs() < 1e-12 && (p.width_ratio - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_figures_scale_is_its_mad_else_its_deviation_else_one() {
        // 1, 2, 3, 4, 100: median 3, absolute deviations 2, 1, 0, 1, 97 of median 1.
        assert!((scale(&[1.0, 2.0, 3.0, 4.0, 100.0]) - 1.4826).abs() < 1e-12);
        // 1, 1, 1, 1, 5: no median absolute deviation; standard deviation 1.6.
        assert!((scale(&[1.0, 1.0, 1.0, 1.0, 5.0]) - 1.6).abs() < 1e-12);
        assert_eq!(scale(&[2.0; 3]), 1.0);
    }

    #[test]
    fn predictive_check_places_the_figure() {
        let sims: Vec<Vec<f64>> = (0..101).map(|i| vec![f64::from(i)]).collect();
        let c = predictive_check(&[[50.0; 2]], &sims).unwrap();
        assert_eq!((c[0].p5, c[0].p50, c[0].p95), (5.0, 50.0, 95.0));
        assert!(c[0].inside && (c[0].p_below - 0.5).abs() < 1e-12);
        let far = predictive_check(&[[200.0; 2]], &sims).unwrap();
        assert!(!far[0].inside && far[0].p_below == 1.0);
        let range = predictive_check(&[[96.0, 300.0]], &sims).unwrap();
        assert!(!range[0].inside);
        let range = predictive_check(&[[90.0, 300.0]], &sims).unwrap();
        assert!(range[0].inside);
    }
}
