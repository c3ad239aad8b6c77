//! The Summary of a batch: the stable JSON contract of `skyshield run --format json`.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::stats::{CountSummary, Quantiles};

/// Means per run of each fate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fates {
    pub intercepted: f64,
    pub leaked: f64,
    pub ignored_open_area: f64,
    pub failed_in_flight: f64,
}

/// What one interceptor type (a layer) did, per run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LayerSummary {
    /// Interceptors fired, mean per run.
    pub shots: f64,
    /// Threats killed, mean per run.
    pub kills: f64,
    pub shots_ci95: [f64; 2],
    pub kills_ci95: [f64; 2],
    /// Interceptors fired per run: spread, quantiles, histogram.
    pub shots_stats: CountSummary,
    /// Threats killed per run: spread, quantiles, histogram.
    pub kills_stats: CountSummary,
    /// Rounds left at the end, mean per run (`None`: unlimited).
    pub rounds_left: Option<f64>,
    /// Rounds at the start (`None`: unlimited).
    pub rounds: Option<u64>,
    /// Cost of the interceptors fired, mean per run, US$.
    pub cost_usd: f64,
}

/// Costs per run, US$.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostSummary {
    /// Interceptors fired, mean per run.
    pub defense: f64,
    pub defense_sd: f64,
    /// Quantiles of the defense's cost per run (within 0.5 %).
    pub defense_quantiles: Quantiles,
    /// Threats launched, mean per run.
    pub offense: f64,
    /// Defense over offense.
    pub exchange_ratio: f64,
    pub defense_ci95: [f64; 2],
}

/// Hits on one defended asset.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AssetSummary {
    /// Threats landing in it, mean per run.
    pub hits_mean: f64,
    /// Threats landing in it per run: spread, quantiles, histogram.
    pub hits: CountSummary,
    /// Fraction of runs in which it was hit at least once.
    pub p_hit: f64,
    /// 95 % Wilson interval of `p_hit`.
    pub p_hit_ci95: [f64; 2],
}

/// Wall time of a batch.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    pub wall_s: f64,
    pub runs_per_s: f64,
    pub threads: usize,
}

/// The summary of a batch of runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub runs: u64,
    pub seed: u64,
    /// Threats per run.
    pub threats: usize,
    /// Threats that reached the ground (in a defended asset or not), per run.
    pub leakers: LeakerSummary,
    pub fates: Fates,
    /// Per interceptor type.
    pub by_layer: BTreeMap<String, LayerSummary>,
    pub cost_usd: CostSummary,
    pub assets: BTreeMap<String, AssetSummary>,
    pub timing: Timing,
}

/// Statistics of the number of leakers per run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeakerSummary {
    pub mean: f64,
    pub sd: f64,
    pub ci95: [f64; 2],
    /// Fraction of runs with no leaker.
    pub p_zero: f64,
    /// 95 % Wilson interval of `p_zero`.
    pub p_zero_ci95: [f64; 2],
    pub quantiles: Quantiles,
    /// Runs with 0, 1, 2, ... leakers.
    pub histogram: Vec<u64>,
}
