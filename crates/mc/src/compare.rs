//! Paired comparison of two variants of a scenario: the same runs under the same seed, run `k`
//! of one against run `k` of the other.
//!
//! The engine keys every random draw by what draws it (a threat of a raid group, a threat seen
//! by a sensor, a parameter by name), so two variants share the draws of everything they have in
//! common: a difference between their run `k`s comes from the change and what it touches, not
//! from reshuffled chance. The interval of the mean paired difference is then far narrower than
//! that of the difference of two independent means, which [`PairedMetric`] gives beside it.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::accumulate::RunRow;
use crate::batch::Batch;
use crate::stats::{Moments, Z95};

/// One variant of a comparison: its batch (with per-run rows) and the ids of its defended
/// assets, in the order of the prepared scenario's `asset_ids`.
#[derive(Debug, Clone, Copy)]
pub struct Variant<'a> {
    pub batch: &'a Batch,
    pub asset_ids: &'a [String],
}

/// A metric of both variants, run by run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairedMetric {
    /// `leakers`, `intercepted`, `defense_cost_usd`, `offense_cost_usd`, `shots.<interceptor
    /// type>`, `kills.<interceptor type>` or `hits.<asset id>` (0 in a variant that lacks the
    /// type or the asset).
    pub metric: String,
    pub a_mean: f64,
    pub b_mean: f64,
    /// Mean of the per-run differences, B − A.
    pub difference: f64,
    /// Standard deviation of the per-run differences.
    pub difference_sd: f64,
    /// 95 % confidence interval of the mean paired difference (normal approximation).
    pub ci95: [f64; 2],
    /// 95 % confidence interval of the difference of the means were the runs independent: what
    /// an unpaired comparison would give.
    pub unpaired_ci95: [f64; 2],
    /// Share of runs in which both variants give exactly the same value.
    pub identical_runs: f64,
}

/// Paired differences of the main metrics of two variants.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub runs: u64,
    pub seed: u64,
    pub metrics: Vec<PairedMetric>,
}

/// Why two batches cannot be compared run by run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    #[error("the variants were run with different runs or seeds ({0} and {1})")]
    Mismatch(String, String),
    #[error("a variant kept no per-run rows: run its batch with `keep_runs`")]
    NoRows,
}

type Extract = Box<dyn Fn(&RunRow) -> f64>;

/// The extractor of metric `name` from the rows of a variant whose per-type columns follow
/// `layers` and per-asset ones `assets`; 0 when the variant lacks the type or asset.
fn column(names: &[String], wanted: &str, pick: fn(&RunRow) -> &[u32]) -> Extract {
    match names.iter().position(|n| n == wanted) {
        Some(k) => Box::new(move |r: &RunRow| f64::from(pick(r)[k])),
        None => Box::new(|_: &RunRow| 0.0),
    }
}

/// Compares `a` and `b` (named `a_name`, `b_name`) run by run.
pub fn compare(
    a_name: &str,
    a: Variant<'_>,
    b_name: &str,
    b: Variant<'_>,
) -> Result<Comparison, CompareError> {
    let (sa, sb) = (&a.batch.summary, &b.batch.summary);
    if sa.runs != sb.runs || sa.seed != sb.seed {
        return Err(CompareError::Mismatch(
            format!("{} runs, seed {}", sa.runs, sa.seed),
            format!("{} runs, seed {}", sb.runs, sb.seed),
        ));
    }
    if a.batch.rows.len() as u64 != sa.runs || b.batch.rows.len() as u64 != sb.runs {
        return Err(CompareError::NoRows);
    }
    let layers_a: Vec<String> = sa.by_layer.keys().cloned().collect();
    let layers_b: Vec<String> = sb.by_layer.keys().cloned().collect();
    let layers: BTreeSet<&String> = layers_a.iter().chain(&layers_b).collect();
    let mut assets: Vec<&String> = a.asset_ids.iter().collect();
    assets.extend(b.asset_ids.iter().filter(|id| !a.asset_ids.contains(id)));

    let mut metrics: Vec<(String, Extract, Extract)> = vec![
        (
            "leakers".into(),
            Box::new(|r: &RunRow| f64::from(r.leakers)),
            Box::new(|r: &RunRow| f64::from(r.leakers)),
        ),
        (
            "intercepted".into(),
            Box::new(|r: &RunRow| f64::from(r.intercepted)),
            Box::new(|r: &RunRow| f64::from(r.intercepted)),
        ),
        (
            "defense_cost_usd".into(),
            Box::new(|r: &RunRow| r.defense_cost_usd),
            Box::new(|r: &RunRow| r.defense_cost_usd),
        ),
        (
            "offense_cost_usd".into(),
            Box::new(|r: &RunRow| r.offense_cost_usd),
            Box::new(|r: &RunRow| r.offense_cost_usd),
        ),
    ];
    for (what, pick) in [
        (
            "shots",
            (|r: &RunRow| r.shots.as_slice()) as fn(&RunRow) -> &[u32],
        ),
        ("kills", |r: &RunRow| r.kills.as_slice()),
    ] {
        for layer in &layers {
            metrics.push((
                format!("{what}.{layer}"),
                column(&layers_a, layer, pick),
                column(&layers_b, layer, pick),
            ));
        }
    }
    for asset in assets {
        let hits: fn(&RunRow) -> &[u32] = |r| r.hits.as_slice();
        metrics.push((
            format!("hits.{asset}"),
            column(a.asset_ids, asset, hits),
            column(b.asset_ids, asset, hits),
        ));
    }

    let metrics = metrics
        .into_iter()
        .map(|(metric, fa, fb)| {
            let (mut ma, mut mb, mut md) =
                (Moments::default(), Moments::default(), Moments::default());
            let mut identical = 0u64;
            for (ra, rb) in a.batch.rows.iter().zip(&b.batch.rows) {
                let (x, y) = (fa(ra), fb(rb));
                ma.add(x);
                mb.add(y);
                md.add(y - x);
                identical += u64::from(x == y);
            }
            let n = md.n.max(1) as f64;
            let unpaired_half = Z95 * ((ma.sd().powi(2) + mb.sd().powi(2)) / n).sqrt();
            let difference = mb.mean - ma.mean;
            PairedMetric {
                metric,
                a_mean: ma.mean,
                b_mean: mb.mean,
                difference,
                difference_sd: md.sd(),
                ci95: md.ci95(),
                unpaired_ci95: [difference - unpaired_half, difference + unpaired_half],
                identical_runs: identical as f64 / n,
            }
        })
        .collect();
    Ok(Comparison {
        a: a_name.to_owned(),
        b: b_name.to_owned(),
        runs: sa.runs,
        seed: sa.seed,
        metrics,
    })
}
