//! Two kinds of uncertainty: chance (what differs from run to run of one scenario) and
//! parameters (what we do not know of the scenario: the values within each
//! `{low, nominal, high}` range), played apart or together ([`run_uncertain`]); the method is
//! in `docs/uncertainty.md`.
//!
//! # Modes
//! - [`Uncertainty::Nominal`]: every parameter at its nominal value, and one run: the nominal
//!   case, without spread of either kind.
//! - [`Uncertainty::Chance`]: every parameter at its nominal value; the runs differ by chance
//!   alone. The spread is that of chance at the nominal point.
//! - [`Uncertainty::Parameters`]: `M` parameter sets drawn from the ranges, each played with
//!   the same runs of chance (common random numbers: set `j` plays runs `0..R`), so that their
//!   means differ by the parameters alone. The spread is that of the mean over the sets.
//! - [`Uncertainty::Both`]: `M` parameter sets, each played with runs of its own (set `j` plays
//!   runs `jR..(j+1)R`): the pooled runs sample both kinds, and the law of total variance
//!   splits their variance into a part due to chance and a part due to parameters.
//!
//! The runs of a batch (`--runs N`) are spread over the sets: `R = ceil(N / M)` runs per set,
//! `M R` runs in all. Parameter set `j` is drawn by [`skyshield_engine::ParameterSpace::draw`]
//! under the batch's seed, so a batch is reproducible on any number of threads.

use skyshield_engine::{ParameterSpace, PrepareError, Prepared};
use skyshield_scenario::Scenario;

use crate::batch::{Batch, BatchError, BatchOptions, Execution, Plan, play_sets};
use crate::summary::{Parameters, Uncertainty, UncertaintySummary};

/// Parameter sets drawn by default in the modes that draw them.
pub const DEFAULT_PARAMETER_SETS: u64 = 10;

/// Standard normal quantile of 0.95: the half-width, in standard deviations, of the central
/// 90 % interval of a normal distribution.
const Z90: f64 = 1.644_853_626_951_472_2;

/// Why a batch over parameter sets gave no result.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UncertaintyError {
    /// A parameter set of the scenario cannot be prepared.
    #[error("parameter set {set}: {source}")]
    Prepare {
        set: u64,
        #[source]
        source: Box<PrepareError>,
    },
    #[error(transparent)]
    Batch(#[from] BatchError),
}

/// Plays `scenario` (prepared at its nominal values as `nominal`) under `mode`, with
/// `parameter_sets` sets where the mode draws them, spreading `opts.runs` over the sets (see
/// the module doc); the batch's summary carries the split ([`crate::Summary::uncertainty`]).
/// The per-run draws of [`BatchOptions::sample_parameters`] are not used: each set fixes every
/// parameter.
pub fn run_uncertain(
    scenario: &Scenario,
    nominal: &Prepared,
    mode: Uncertainty,
    parameter_sets: u64,
    opts: &BatchOptions,
    execution: Execution<'_>,
) -> Result<Batch, UncertaintyError> {
    let space = ParameterSpace::of(scenario);
    let m = if mode.draws_parameters() {
        parameter_sets.max(1)
    } else {
        1
    };
    let runs_per_set = match mode {
        Uncertainty::Nominal => 1,
        _ => opts.runs.max(1).div_ceil(m),
    };
    // Nominal modes play `nominal` without per-run draws: every parameter at its nominal
    // value.
    let sets = if mode.draws_parameters() {
        (0..m)
            .map(|j| {
                space
                    .prepare(scenario, &space.draw(opts.seed, j))
                    .map_err(|e| UncertaintyError::Prepare {
                        set: j,
                        source: Box::new(e),
                    })
            })
            .collect::<Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let refs: Vec<&Prepared> = if sets.is_empty() {
        vec![nominal]
    } else {
        sets.iter().collect()
    };
    let mut played = *opts;
    played.runs = m * runs_per_set;
    played.sample_runs = played.sample_runs.min(played.runs);
    played.sample_parameters = false;
    let plan = Plan {
        runs_per_set,
        common_chance: mode == Uncertainty::Parameters,
    };
    let (mut batch, moments) = play_sets(&refs, plan, &played, execution)?;
    let s = &mut batch.summary;
    s.timing.prepare_s = nominal.prepare_s + sets.iter().map(|p| p.prepare_s).sum::<f64>();
    s.parameters = if mode.draws_parameters() {
        Parameters::Sampled
    } else {
        Parameters::Nominal
    };
    let quantiles = [s.leakers.quantiles.p5, s.leakers.quantiles.p95];
    let threats = s.threats as f64;
    s.uncertainty = Some(split(mode, runs_per_set, &moments, quantiles, threats));
    Ok(batch)
}

/// The split of the leakers' spread from the moments of each set (runs, sum, sum of squares)
/// and the pooled runs' 5th and 95th percentiles.
fn split(
    mode: Uncertainty,
    runs_per_set: u64,
    moments: &[[f64; 3]],
    pooled_90: [f64; 2],
    threats: f64,
) -> UncertaintySummary {
    let means: Vec<f64> = moments.iter().map(|m| m[1] / m[0].max(1.0)).collect();
    let n: f64 = moments.iter().map(|m| m[0]).sum();
    let mean = moments.iter().map(|m| m[1]).sum::<f64>() / n.max(1.0);
    // Within: the mean of the sets' unbiased variances.
    let within = (moments
        .iter()
        .map(|m| {
            let k = m[0];
            if k < 2.0 {
                0.0
            } else {
                (m[2] - m[1] * m[1] / k) / (k - 1.0)
            }
        })
        .sum::<f64>()
        / moments.len() as f64)
        .max(0.0);
    let sets = means.len() as f64;
    let set_mean = means.iter().sum::<f64>() / sets;
    let between_raw = if means.len() < 2 {
        0.0
    } else {
        means.iter().map(|x| (x - set_mean).powi(2)).sum::<f64>() / (sets - 1.0)
    };
    let interval = |sd: f64| {
        [
            (mean - Z90 * sd).clamp(0.0, threats),
            (mean + Z90 * sd).clamp(0.0, threats),
        ]
    };
    let (chance_sd, parameters_sd, total) = match mode {
        Uncertainty::Nominal => (None, None, None),
        Uncertainty::Chance => (Some(within.sqrt()), None, Some(within.sqrt())),
        Uncertainty::Parameters => (None, Some(between_raw.sqrt()), None),
        Uncertainty::Both => {
            let between = (between_raw - within / runs_per_set as f64).max(0.0);
            (
                Some(within.sqrt()),
                Some(between.sqrt()),
                Some((within + between).sqrt()),
            )
        }
    };
    let parameters_90 = parameters_sd.map(|_| [percentile(&means, 0.05), percentile(&means, 0.95)]);
    UncertaintySummary {
        mode,
        parameter_sets: moments.len() as u64,
        runs_per_set,
        leakers_mean: mean,
        chance_sd,
        // With nominal parameters the pooled runs are chance alone: their percentiles need no
        // normal approximation.
        chance_90: match mode {
            Uncertainty::Chance => Some(pooled_90),
            _ => chance_sd.map(interval),
        },
        parameters_sd,
        parameters_90,
        total_sd: total,
        total_90: total.map(|_| pooled_90),
        set_means: means,
    }
}

/// The `q` quantile of `values` by linear interpolation between order statistics (Hyndman
/// and Fan's definition 7, the default of R and numpy).
pub fn percentile(values: &[f64], q: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + frac * (v[hi] - v[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_interpolate_between_order_statistics() {
        let v = [3.0, 1.0, 2.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.0), 1.0);
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.95), 4.8);
        assert_eq!(percentile(&v, 1.0), 5.0);
    }

    #[test]
    fn the_split_of_two_sets_follows_the_law_of_total_variance() {
        // Set 0: leakers 0, 2 (mean 1, variance 2); set 1: 4, 6 (mean 5, variance 2).
        let moments = [[2.0, 2.0, 4.0], [2.0, 10.0, 52.0]];
        let s = split(Uncertainty::Both, 2, &moments, [0.0, 6.0], 10.0);
        assert_eq!(s.leakers_mean, 3.0);
        assert_eq!(s.chance_sd, Some(2f64.sqrt()));
        // Variance of the set means 8, less 2 / 2 that chance adds to a mean of two runs.
        assert_eq!(s.parameters_sd, Some(7f64.sqrt()));
        assert_eq!(s.total_sd, Some(9f64.sqrt()));
        assert_eq!(s.total_90, Some([0.0, 6.0]));
        assert_eq!(s.set_means, vec![1.0, 5.0]);
        let chance = split(Uncertainty::Chance, 2, &moments[..1], [0.0, 2.0], 10.0);
        assert_eq!(chance.parameters_sd, None);
        assert_eq!(chance.parameters_90, None);
        assert_eq!(chance.chance_90, Some([0.0, 2.0]));
        // A normal interval of a count stays within 0 and the threats.
        let half = Z90 * 2f64.sqrt();
        assert_eq!(s.chance_90, Some([3.0 - half, 3.0 + half]));
        let wide = split(
            Uncertainty::Both,
            2,
            &[[2.0, 0.0, 0.0], [2.0, 0.0, 8.0]],
            [0.0, 2.0],
            4.0,
        );
        assert_eq!(wide.chance_90.map(|c| c[0]), Some(0.0));
    }

    #[test]
    fn every_mode_reads_back_from_its_name() {
        for u in Uncertainty::ALL {
            assert_eq!(Uncertainty::from_name(u.name()), Some(u));
        }
        assert_eq!(Uncertainty::from_name("all"), None);
    }
}
