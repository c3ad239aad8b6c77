//! Morris elementary-effects screening (Morris 1991, "Factorial sampling plans for preliminary
//! computational experiments", Technometrics 33(2)), with `mu*` (Campolongo, Cariboni &
//! Saltelli 2007, "An effective screening design for sensitivity analysis of large models",
//! Environmental Modelling & Software 22(10)).
//!
//! A trajectory starts at a random point of a `p`-level grid in the unit cube and moves one
//! input at a time, in random order and direction, by `delta = p / (2 (p - 1))`: `k + 1` points
//! give one elementary effect `(f(x + delta e_i) - f(x)) / delta` per input. Over `r`
//! trajectories, `mu` is their mean, `mu*` the mean of their absolute values, `sigma` their
//! standard deviation. The design, its point order (trajectory after trajectory) and the
//! estimators are those of SALib's `morris.sample` and `morris.analyze` (without groups or
//! optimised trajectories), so SALib analyses our samples to the same numbers.

use rand::RngExt;
use rand::seq::SliceRandom;
use serde::Serialize;

use crate::stats::{mean, normal_quantile, variance};
use crate::{AnalysisError, Result, check_finite, rng};

/// The design of a Morris screening.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisOptions {
    /// Number of trajectories `r` (at least 2).
    pub trajectories: usize,
    /// Number of grid levels `p` (even, at least 2).
    pub levels: usize,
    /// Seed of the trajectories and of the bootstrap of `mu*`.
    pub seed: u64,
}

impl Default for MorrisOptions {
    /// Ten trajectories on four levels, Saltelli et al.'s usual choice ("Global Sensitivity
    /// Analysis: The Primer", 2008, ch. 3).
    fn default() -> MorrisOptions {
        MorrisOptions {
            trajectories: 10,
            levels: 4,
            seed: 1,
        }
    }
}

impl MorrisOptions {
    fn check(&self) -> Result<()> {
        if self.trajectories < 2 {
            return Err(AnalysisError::Option {
                option: "trajectories",
                expected: "at least 2",
                got: self.trajectories.to_string(),
            });
        }
        if self.levels < 2 || !self.levels.is_multiple_of(2) {
            return Err(AnalysisError::Option {
                option: "levels",
                expected: "an even number, at least 2",
                got: self.levels.to_string(),
            });
        }
        Ok(())
    }

    /// The step `delta = p / (2 (p - 1))` of the design.
    pub fn delta(&self) -> f64 {
        self.levels as f64 / (2.0 * (self.levels as f64 - 1.0))
    }

    /// The number of model runs for `inputs` inputs: `r (k + 1)`.
    pub fn runs(&self, inputs: usize) -> usize {
        self.trajectories * (inputs + 1)
    }
}

/// The points of `options.trajectories` Morris trajectories in the unit cube of `inputs`
/// dimensions, trajectory after trajectory, `inputs + 1` points each.
pub fn morris_sample(inputs: usize, options: &MorrisOptions) -> Result<Vec<Vec<f64>>> {
    options.check()?;
    check_inputs(inputs)?;
    let delta = options.delta();
    let step = 1.0 / (options.levels as f64 - 1.0);
    let mut rng = rng(options.seed, "morris trajectories");
    let mut points = Vec::with_capacity(options.runs(inputs));
    let mut order: Vec<usize> = (0..inputs).collect();
    for _ in 0..options.trajectories {
        // Morris's B* = (J x* + delta/2 ((2B - J) D* + J)) P*: base point x* on the lower half
        // of the grid, directions D* of +-1, the order of the moves P*.
        let base: Vec<f64> = (0..inputs)
            .map(|_| rng.random_range(0..options.levels / 2) as f64 * step)
            .collect();
        let up: Vec<bool> = (0..inputs).map(|_| rng.random_bool(0.5)).collect();
        order.shuffle(&mut rng);
        for m in 0..=inputs {
            points.push(
                (0..inputs)
                    .map(|j| {
                        let moved = m > order[j];
                        base[j] + if moved == up[j] { delta } else { 0.0 }
                    })
                    .collect(),
            );
        }
    }
    Ok(points)
}

/// The screening measures of one input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MorrisIndex {
    /// Mean elementary effect (signed: effects of opposite signs cancel).
    pub mu: f64,
    /// Mean absolute elementary effect: the importance measure.
    pub mu_star: f64,
    /// Standard deviation of the elementary effects (n - 1 in the denominator): non-linearity
    /// or interactions.
    pub sigma: f64,
    /// Half-width of the 95 % bootstrap interval of `mu_star` (normal approximation from the
    /// bootstrap's standard deviation, 1000 resamples of the trajectories, as SALib).
    pub mu_star_conf: f64,
}

/// The measures of each input from the points of [`morris_sample`] (in the unit cube) and the
/// model's output at each point.
pub fn morris_analyse(
    points: &[Vec<f64>],
    outputs: &[f64],
    options: &MorrisOptions,
) -> Result<Vec<MorrisIndex>> {
    options.check()?;
    let inputs = points.first().map_or(0, Vec::len);
    check_inputs(inputs)?;
    let runs = options.runs(inputs);
    for (what, got) in [("points", points.len()), ("outputs", outputs.len())] {
        if got != runs {
            return Err(AnalysisError::Length {
                what,
                expected: runs,
                got,
            });
        }
    }
    check_finite(outputs)?;
    let delta = options.delta();
    // by_trajectory[t][i]: the elementary effect of input i in trajectory t.
    let mut by_trajectory = Vec::with_capacity(options.trajectories);
    for first in (0..runs).step_by(inputs + 1) {
        let mut effects = vec![0.0; inputs];
        let mut seen = vec![false; inputs];
        for m in 0..inputs {
            let (a, b) = (&points[first + m], &points[first + m + 1]);
            if b.len() != inputs {
                return Err(AnalysisError::Length {
                    what: "coordinates of a point",
                    expected: inputs,
                    got: b.len(),
                });
            }
            let mut changed = (0..inputs).filter(|&j| (b[j] - a[j]).abs() > 1e-12);
            let (Some(j), None) = (changed.next(), changed.next()) else {
                return Err(AnalysisError::Design {
                    row: first + m + 1,
                    reason: "a Morris step must change exactly one input",
                });
            };
            if std::mem::replace(&mut seen[j], true) {
                return Err(AnalysisError::Design {
                    row: first + m + 1,
                    reason: "a Morris trajectory moves each input once",
                });
            }
            let dy = outputs[first + m + 1] - outputs[first + m];
            effects[j] = if b[j] > a[j] { dy / delta } else { -dy / delta };
        }
        by_trajectory.push(effects);
    }
    let mut rng = rng(options.seed, "morris bootstrap");
    let z = normal_quantile(0.975);
    Ok((0..inputs)
        .map(|i| {
            let ee: Vec<f64> = by_trajectory.iter().map(|t| t[i]).collect();
            let abs: Vec<f64> = ee.iter().map(|e| e.abs()).collect();
            let resampled: Vec<f64> = (0..BOOTSTRAP_RESAMPLES)
                .map(|_| {
                    (0..abs.len())
                        .map(|_| abs[rng.random_range(0..abs.len())])
                        .sum::<f64>()
                        / abs.len() as f64
                })
                .collect();
            MorrisIndex {
                mu: mean(&ee),
                mu_star: mean(&abs),
                sigma: variance(&ee, 1).sqrt(),
                mu_star_conf: z * variance(&resampled, 1).sqrt(),
            }
        })
        .collect())
}

/// Resamples of the bootstrap of `mu*`.
const BOOTSTRAP_RESAMPLES: usize = 1000;

/// The inputs in decreasing order of `mu*` (ties by index): the screening's ranking.
pub fn rank(indices: &[MorrisIndex]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..indices.len()).collect();
    order.sort_by(|&a, &b| indices[b].mu_star.total_cmp(&indices[a].mu_star));
    order
}

fn check_inputs(inputs: usize) -> Result<()> {
    if inputs == 0 {
        return Err(AnalysisError::Option {
            option: "inputs",
            expected: "at least one uncertain input",
            got: "0".into(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_step_moves_one_input_by_delta_inside_the_cube() {
        let options = MorrisOptions::default();
        let points = morris_sample(5, &options).unwrap();
        assert_eq!(points.len(), options.runs(5));
        for t in points.chunks(6) {
            for w in t.windows(2) {
                let moved: Vec<f64> = (0..5)
                    .map(|j| w[1][j] - w[0][j])
                    .filter(|d| *d != 0.0)
                    .collect();
                assert_eq!(moved.len(), 1);
                assert!((moved[0].abs() - options.delta()).abs() < 1e-12);
            }
            assert!(t.iter().flatten().all(|x| (0.0..=1.0).contains(x)));
        }
    }

    #[test]
    fn linear_model_gives_its_slopes() {
        let options = MorrisOptions::default();
        let points = morris_sample(3, &options).unwrap();
        let y: Vec<f64> = points.iter().map(|x| 5.0 * x[0] - 2.0 * x[1]).collect();
        let m = morris_analyse(&points, &y, &options).unwrap();
        assert!((m[0].mu - 5.0).abs() < 1e-9 && (m[0].sigma).abs() < 1e-9);
        assert!((m[1].mu + 2.0).abs() < 1e-9 && (m[1].mu_star - 2.0).abs() < 1e-9);
        assert!(m[2].mu_star.abs() < 1e-12);
        assert_eq!(rank(&m), vec![0, 1, 2]);
    }

    #[test]
    fn a_sample_off_design_is_refused() {
        let options = MorrisOptions::default();
        let mut points = morris_sample(2, &options).unwrap();
        points[1] = vec![0.9, 0.9];
        let y = vec![0.0; points.len()];
        assert!(matches!(
            morris_analyse(&points, &y, &options),
            Err(AnalysisError::Design { .. })
        ));
        assert!(matches!(
            morris_analyse(&points, &y[1..], &options),
            Err(AnalysisError::Length { .. })
        ));
        // In the second trajectory (points 3 to 5), a second step that moves the input of the
        // first step back.
        let mut points = morris_sample(2, &options).unwrap();
        points[5] = points[3].clone();
        assert_eq!(
            morris_analyse(&points, &y, &options),
            Err(AnalysisError::Design {
                row: 5,
                reason: "a Morris trajectory moves each input once",
            })
        );
        points[5] = vec![0.9, 0.9];
        assert!(matches!(
            morris_analyse(&points, &y, &options),
            Err(AnalysisError::Design { row: 5, .. })
        ));
        let mut y = y;
        y[4] = f64::NAN;
        let points = morris_sample(2, &options).unwrap();
        assert!(matches!(
            morris_analyse(&points, &y, &options),
            Err(AnalysisError::NotFinite { index: 4, .. })
        ));
    }

    #[test]
    fn options_out_of_range_are_refused() {
        let with = |trajectories, levels| MorrisOptions {
            trajectories,
            levels,
            seed: 1,
        };
        assert!(morris_sample(2, &with(2, 2)).is_ok());
        for (bad, option) in [
            (with(1, 4), "trajectories"),
            (with(10, 0), "levels"),
            (with(10, 3), "levels"),
        ] {
            match morris_sample(2, &bad) {
                Err(AnalysisError::Option { option: o, .. }) => assert_eq!(o, option),
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
        assert!(matches!(
            morris_sample(0, &MorrisOptions::default()),
            Err(AnalysisError::Option {
                option: "inputs",
                ..
            })
        ));
    }

    #[test]
    fn the_design_lies_on_the_grid_of_its_levels() {
        // delta = p / (2 (p - 1)): 2/3 on four levels, 3/5 on six; the levels are k / (p - 1).
        for (levels, delta) in [(4, 2.0 / 3.0), (6, 0.6)] {
            let options = MorrisOptions {
                trajectories: 20,
                levels,
                seed: 3,
            };
            assert!((options.delta() - delta).abs() < 1e-15);
            let last = levels as f64 - 1.0;
            for x in morris_sample(4, &options).unwrap().iter().flatten() {
                assert!(
                    (x * last - (x * last).round()).abs() < 1e-9,
                    "{x} off the grid"
                );
            }
        }
    }

    #[test]
    fn the_interval_of_mu_star_is_the_bootstrap_of_its_mean() {
        // Every input's elementary effect in trajectory t is t + 1: the model is (t + 1) times
        // the sum of the inputs. The mean of 20 effects 1..20 resampled has a standard deviation
        // of sqrt(33.25 / 20) (33.25: their variance); the interval's half-width is 1.96 times
        // that, estimated from 1000 resamples to within about 2.2 % (a standard error of
        // 1 / sqrt(2 * 999)): checked to within four standard errors.
        let options = MorrisOptions {
            trajectories: 20,
            levels: 4,
            seed: 5,
        };
        let points = morris_sample(3, &options).unwrap();
        let y: Vec<f64> = points
            .iter()
            .enumerate()
            .map(|(k, x)| (k / 4 + 1) as f64 * x.iter().sum::<f64>())
            .collect();
        let expected = 1.959_964 * (33.25_f64 / 20.0).sqrt();
        for m in morris_analyse(&points, &y, &options).unwrap() {
            assert!((m.mu - 10.5).abs() < 1e-9 && (m.mu_star - 10.5).abs() < 1e-9);
            assert!((m.sigma - 35.0_f64.sqrt()).abs() < 1e-9);
            assert!(
                (m.mu_star_conf / expected - 1.0).abs() < 4.0 * 0.0224,
                "{} against {expected}",
                m.mu_star_conf
            );
        }
    }
}
