//! Sensitivity analysis and calibration of a model's uncertain parameters: pure numerics.
//!
//! # Primer
//! A model maps `k` uncertain inputs to an output (the mean number of leakers, say). Each input
//! varies over a range; this crate works in the unit cube `[0, 1]^k`, coordinate `i` being the
//! position of input `i` within its range (its prior cumulative probability when the prior is
//! not uniform). The caller maps unit coordinates to values, runs the model, and hands the
//! outputs back, so the model may be anything and may run in parallel.
//!
//! - **Screening** ([`morris`]): Morris's elementary effects (Morris 1991) rank many inputs
//!   with few model runs (`r (k + 1)`). `mu*`, the mean absolute effect (Campolongo, Cariboni &
//!   Saltelli 2007), measures importance; `sigma` measures non-linearity and interactions.
//! - **Variance decomposition** ([`sobol`]): Sobol indices from a Saltelli design on a
//!   scrambled Sobol sequence (`N (k + 2)` runs). The first-order index `S1` is the share of the
//!   output variance that an input explains alone (estimator of Saltelli et al. 2010); the total
//!   index `ST` adds its interactions (estimator of Jansen 1999). Bootstrap intervals come with
//!   both.
//! - **Calibration** ([`abc`]): approximate Bayesian computation by rejection (Pritchard et al.
//!   1999; Beaumont, Zhang & Balding 2002): draws from the prior, keeps the fraction whose
//!   simulated figures are closest to the reported ones, and summarises the kept draws as a
//!   posterior.
//!
//! # What it does not guarantee
//! Indices are estimates: their intervals say how far sampling error may move them, not how
//! wrong the model is. Rejection ABC approximates the posterior given the reported figures only
//! as well as its tolerance (the kept fraction) and the scale of its distance allow; with few
//! reported figures, parameters that trade off against each other stay unconstrained, which
//! [`abc::ParameterPosterior::width_ratio`] shows.
//!
//! Every random draw comes from a seeded stream: the same inputs and seed give the same samples
//! and the same indices on any platform and thread count.

pub mod abc;
pub mod morris;
pub mod sobol;
mod stats;

use thiserror::Error;

/// What an analysis refuses.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum AnalysisError {
    /// An option is out of its range.
    #[error("{option}: expected {expected}, got {got}")]
    Option {
        /// The option's name.
        option: &'static str,
        /// What is accepted.
        expected: &'static str,
        /// The value given.
        got: String,
    },
    /// Model outputs or sample points of the wrong count for the design.
    #[error("{what}: expected {expected} values for this design, got {got}")]
    Length {
        /// What was counted.
        what: &'static str,
        /// The count the design needs.
        expected: usize,
        /// The count given.
        got: usize,
    },
    /// A sample that does not follow the design (a Morris step changing no or several inputs).
    #[error("sample point {row}: {reason}")]
    Design {
        /// The index of the offending point.
        row: usize,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A model output that is not a finite number.
    #[error("model output {index} is not finite ({value})")]
    NotFinite {
        /// The index of the output.
        index: usize,
        /// Its value.
        value: f64,
    },
}

/// Results of this crate.
pub type Result<T> = std::result::Result<T, AnalysisError>;

/// Fails with [`AnalysisError::NotFinite`] at the first output that is NaN or infinite.
fn check_finite(outputs: &[f64]) -> Result<()> {
    match outputs.iter().position(|y| !y.is_finite()) {
        Some(index) => Err(AnalysisError::NotFinite {
            index,
            value: outputs[index],
        }),
        None => Ok(()),
    }
}

/// The generator of the draws of `purpose` (a design's or a bootstrap's) under `seed`.
fn rng(seed: u64, purpose: &str) -> skyshield_core::StreamRng {
    use rand::SeedableRng;
    skyshield_core::StreamRng::seed_from_u64(skyshield_core::mix_keys(
        skyshield_core::splitmix64(seed),
        skyshield_core::key_of(purpose),
    ))
}
