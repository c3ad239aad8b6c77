//! Reported figures against a batch: each figure of a scenario's `reported:` list beside its
//! simulated metric (the mean over runs with the 95 % interval of the mean and the 5th and 95th
//! percentiles across runs; for a lead-time quantile, the Summary's quantile with the 5th and
//! 95th percentiles of the same lead-time distribution), its percentile rank and its label
//! ([`crate::reported`]).

use skyshield_scenario::reported::{
    AssetField, FateMetric, LayerField, Lead, LeadQuantile, WarningField,
};
use skyshield_scenario::{Metric, ReportedFigure, Scenario};

use crate::reported::{self, Agreement};
use crate::stats::{CountStat, ValueStat};
use crate::summary::FigureScore;
use crate::{LEAD_BIN_S, LeadSummary, RunRow, Summary};

/// How a metric came out over the runs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricStats {
    /// Mean over runs.
    pub mean: f64,
    /// 95 % confidence interval of the mean.
    pub ci95: [f64; 2],
    /// 5th percentile across runs (exact for counts, within 0.5 % for other amounts).
    pub p5: f64,
    /// 95th percentile across runs.
    pub p95: f64,
}

/// A quantile of a lead-time distribution pooled over all runs, with the 5th and 95th
/// percentiles of that distribution (s).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QuantileStats {
    /// The quantile.
    pub value: f64,
    /// 5th percentile of the distribution.
    pub p5: f64,
    /// 95th percentile of the distribution.
    pub p95: f64,
}

/// How a metric came out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Simulated {
    /// A per-run quantity: its mean over runs and its spread.
    Mean(MetricStats),
    /// A lead-time quantile; `None` when no lead time was measured in any run.
    Quantile(Option<QuantileStats>),
}

/// A reported figure with its simulated counterpart.
#[derive(Debug, Clone, PartialEq)]
pub struct FigureResult {
    /// The figure as the scenario file gives it.
    pub reported: ReportedFigure,
    /// The simulated metric.
    pub simulated: Simulated,
    /// The metric's value in the Summary JSON (`None` for a derived ratio, or a quantile of no
    /// lead time); equal to the simulated mean, or quantile.
    pub summary_value: Option<f64>,
    /// Percentile rank of the reported value among the runs (of a lead-time quantile: in the
    /// pooled lead-time distribution, to its 10 s bin); `None` when nothing was measured.
    pub rank: Option<f64>,
    /// How the reported value sits in the simulated distribution ([`crate::reported`]).
    pub agreement: Agreement,
}

impl From<&FigureResult> for FigureScore {
    fn from(f: &FigureResult) -> Self {
        let (simulated, p5, p95) = match f.simulated {
            Simulated::Mean(m) => (Some(m.mean), Some(m.p5), Some(m.p95)),
            Simulated::Quantile(Some(q)) => (Some(q.value), Some(q.p5), Some(q.p95)),
            Simulated::Quantile(None) => (None, None, None),
        };
        FigureScore {
            figure: f.reported.figure.clone(),
            low: f.reported.low,
            high: f.reported.high,
            metric: f.reported.metric.to_string(),
            source: f.reported.source.clone(),
            note: f.reported.note.clone(),
            simulated,
            simulated_p5: p5,
            simulated_p95: p95,
            rank: f.rank,
            agreement: f.agreement,
        }
    }
}

/// Most runs whose rows a front end keeps to score a scenario's reported figures ([`wants_rows`]):
/// a million rows take a few hundred megabytes.
pub const MAX_SCORED_RUNS: u64 = 1_000_000;

/// Whether a batch of `runs` runs of `scenario` should keep its per-run rows so that its
/// reported figures can be scored ([`score_batch`]).
pub fn wants_rows(scenario: &Scenario, runs: u64) -> bool {
    !scenario.reported.is_empty() && runs <= MAX_SCORED_RUNS
}

/// Scores the reported figures of `scenario` against `batch` into its summary's `reported`,
/// when the batch kept its rows ([`crate::BatchOptions::keep_runs`]); otherwise leaves it
/// empty.
pub fn score_batch(scenario: &Scenario, prepared: &crate::Prepared, batch: &mut crate::Batch) {
    if batch.rows.is_empty() {
        return;
    }
    batch.summary.reported = score(scenario, &prepared.asset_ids, &batch.summary, &batch.rows)
        .iter()
        .map(FigureScore::from)
        .collect();
}

/// Every reported figure of `scenario` against the batch that gave `summary` and the per-run
/// `rows` (all runs); `asset_ids` are the prepared scenario's assets, in the order of a row's
/// hits.
pub fn score(
    scenario: &Scenario,
    asset_ids: &[String],
    summary: &Summary,
    rows: &[RunRow],
) -> Vec<FigureResult> {
    let layers: Vec<&str> = summary.by_layer.keys().map(String::as_str).collect();
    let assets: Vec<&str> = asset_ids.iter().map(String::as_str).collect();
    let json = serde_json::to_value(summary).unwrap_or_default();
    let threats = summary.threats as f64;
    let values_of = |metric: &Metric| -> Vec<f64> {
        rows.iter()
            .filter_map(|row| per_run(metric, row, &layers, &assets, threats))
            .collect()
    };
    scenario
        .reported
        .iter()
        .map(|r| {
            let lead = match (&r.metric, &summary.warning) {
                (Metric::LeadTime { lead, .. }, Some(w)) => Some(match lead {
                    Lead::Siren => &w.siren_lead_s,
                    Lead::EarlyWarning => &w.early_warning_lead_s,
                }),
                _ => None,
            };
            let (simulated, rank) = match (&r.metric, lead) {
                (Metric::LeadTime { quantile, .. }, Some(lead)) => (
                    Simulated::Quantile(lead_quantile(lead, *quantile)),
                    lead_rank(lead, r.low, r.high),
                ),
                (Metric::LeadTime { .. }, None) => (Simulated::Quantile(None), None),
                (metric, _) => {
                    let values = values_of(metric);
                    (
                        Simulated::Mean(stats(&values, counts(metric))),
                        reported::range_rank(&values, r.low, r.high),
                    )
                }
            };
            let agreement = if by_construction(scenario, summary, r, &simulated) {
                Agreement::ByConstruction
            } else {
                rank.map_or(Agreement::Outside, Agreement::of_rank)
            };
            let summary_value = r.metric.summary_path().and_then(|p| {
                p.split('.')
                    .try_fold(&json, |v, k| v.get(k))
                    .and_then(serde_json::Value::as_f64)
            });
            FigureResult {
                reported: r.clone(),
                simulated,
                summary_value,
                rank,
                agreement,
            }
        })
        .collect()
}

/// Whether the scenario sets the figure itself, so that the simulation agrees with it by
/// construction: a layer's shots when every run fires the whole stock the scenario gives it,
/// or a lead time that the siren policy aims at (`min_lead_s`) and the simulation gives to
/// within a histogram bin.
fn by_construction(
    scenario: &Scenario,
    summary: &Summary,
    r: &ReportedFigure,
    simulated: &Simulated,
) -> bool {
    match (&r.metric, simulated) {
        (
            Metric::Layer {
                layer,
                field: LayerField::Shots,
            },
            Simulated::Mean(m),
        ) => summary
            .by_layer
            .get(layer)
            .and_then(|l| l.rounds)
            .is_some_and(|stock| m.p5 == m.p95 && m.p5 == stock as f64),
        (Metric::LeadTime { .. }, Simulated::Quantile(Some(q))) => {
            let aim = scenario
                .as_layered()
                .and_then(|l| l.warning.as_ref())
                .map(|w| w.min_lead_s);
            aim.is_some_and(|aim| {
                let near = |x: f64| (x - aim).abs() <= LEAD_BIN_S;
                (r.low <= aim && aim <= r.high || near(r.low) || near(r.high)) && near(q.value)
            })
        }
        _ => false,
    }
}

/// The percentile rank of the reported range `[low, high]` in a pooled lead-time
/// distribution, from its histogram (to its bin: ties within a bin count as half), taken at
/// the range's point closest to the distribution's median; `None` when nothing was measured.
fn lead_rank(lead: &LeadSummary, low: f64, high: f64) -> Option<f64> {
    if lead.count == 0 || lead.histogram.is_empty() {
        return None;
    }
    let last = lead.histogram.len() - 1;
    let rank = |x: f64| {
        let k = ((x / lead.histogram_bin_s).floor().max(0.0) as usize).min(last + 1);
        let below: u64 = lead.histogram[..k.min(last + 1)].iter().sum();
        let within = lead.histogram.get(k).copied().unwrap_or(0);
        100.0 * (below as f64 + 0.5 * within as f64) / lead.count as f64
    };
    let (lo, hi) = (rank(low), rank(high));
    Some(if hi < 50.0 {
        hi
    } else if lo > 50.0 {
        lo
    } else {
        50.0
    })
}

/// A quantile of a lead-time distribution with its 5th and 95th percentiles; `None` when
/// nothing was measured.
fn lead_quantile(lead: &LeadSummary, quantile: LeadQuantile) -> Option<QuantileStats> {
    let value = match quantile {
        LeadQuantile::P5 => lead.p5,
        LeadQuantile::P50 => lead.p50,
        LeadQuantile::P95 => lead.p95,
    }?;
    Some(QuantileStats {
        value,
        p5: lead.p5?,
        p95: lead.p95?,
    })
}

/// Whether `metric` counts something in a run (threats, rounds, hits, zones; a flag counts 0
/// or 1), rather than measuring an amount (a cost, people, a ratio).
fn counts(metric: &Metric) -> bool {
    matches!(
        metric,
        Metric::Leakers
            | Metric::NoLeakers
            | Metric::Fate(_)
            | Metric::Layer { .. }
            | Metric::Asset { .. }
            | Metric::Warning(WarningField::FalseAlarmZones)
    )
}

/// Mean, interval and percentiles of per-run values: exact percentiles for counts
/// ([`CountStat`], its interval no lower than 0), within 0.5 % for amounts ([`ValueStat`],
/// whose memory does not grow with the amounts, as a histogram of every dollar would).
fn stats(values: &[f64], is_count: bool) -> MetricStats {
    if is_count {
        let mut c = CountStat::default();
        values.iter().for_each(|v| c.add(*v as u32));
        let s = c.summary();
        MetricStats {
            mean: s.mean,
            ci95: s.ci95,
            p5: s.quantiles.p5,
            p95: s.quantiles.p95,
        }
    } else {
        let mut v = ValueStat::default();
        values.iter().for_each(|x| v.add(*x));
        MetricStats {
            mean: v.moments.mean,
            ci95: v.moments.ci95(),
            p5: v.quantile(0.05),
            p95: v.quantile(0.95),
        }
    }
}

/// The value of `metric` in one run. `layers` are the interceptor types in the order of the
/// row's per-layer counts, `assets` the asset ids in the order of its hits. `None` for a
/// lead-time quantile, which has no per-run value.
pub fn per_run(
    metric: &Metric,
    row: &RunRow,
    layers: &[&str],
    assets: &[&str],
    threats: f64,
) -> Option<f64> {
    let at = |names: &[&str], name: &str, values: &[u32]| {
        names
            .iter()
            .position(|n| *n == name)
            .and_then(|i| values.get(i))
            .map_or(0.0, |v| f64::from(*v))
    };
    let flag = |b: bool| if b { 1.0 } else { 0.0 };
    Some(match metric {
        Metric::Leakers => f64::from(row.leakers),
        Metric::NoLeakers => flag(row.leakers == 0),
        Metric::Fate(f) => f64::from(match f {
            FateMetric::Intercepted => row.intercepted,
            FateMetric::Leaked => row.leakers,
            FateMetric::IgnoredOpenArea => row.ignored_open_area,
            FateMetric::FailedInFlight => row.failed_in_flight,
        }),
        Metric::Layer { layer, field } => at(
            layers,
            layer,
            match field {
                LayerField::Shots => &row.shots,
                LayerField::Kills => &row.kills,
                LayerField::RoundsLeft => &row.rounds_left,
            },
        ),
        Metric::Asset { asset, field } => {
            let hits = at(assets, asset, &row.hits);
            match field {
                AssetField::HitsMean => hits,
                AssetField::PHit => flag(hits > 0.0),
            }
        }
        Metric::DefenseCost => row.defense_cost_usd,
        Metric::Warning(f) => match f {
            WarningField::FalseAlarmZones => f64::from(row.false_alarm_zones),
            WarningField::FalseAlarmPeople => row.false_alarm_people,
            WarningField::TooLatePeople => row.too_late_people,
            WarningField::PeopleMinutesUnderAlert => row.people_minutes_under_alert,
        },
        Metric::LeadTime { .. } => return None,
        Metric::InterceptRate => {
            let reached = row.intercepted + row.leakers;
            if reached == 0 {
                1.0
            } else {
                f64::from(row.intercepted) / f64::from(reached)
            }
        }
        Metric::IgnoredShare => f64::from(row.ignored_open_area) / threats,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(histogram: Vec<u64>) -> LeadSummary {
        LeadSummary {
            count: histogram.iter().sum(),
            mean: None,
            sd: None,
            p5: None,
            p50: None,
            p95: None,
            histogram_bin_s: crate::LEAD_BIN_S,
            histogram_cap_s: crate::LEAD_HISTOGRAM_CAP_S,
            histogram,
        }
    }

    #[test]
    fn a_lead_time_ranks_in_its_histogram_with_its_bin_counted_as_half() {
        // 10 leads in 0-10 s, 20 in 10-20 s, 10 in 20-30 s.
        let l = lead(vec![10, 20, 10]);
        assert_eq!(lead_rank(&l, 5.0, 5.0), Some(100.0 * 5.0 / 40.0));
        assert_eq!(lead_rank(&l, 15.0, 15.0), Some(50.0));
        assert_eq!(lead_rank(&l, 25.0, 25.0), Some(100.0 * 35.0 / 40.0));
        assert_eq!(lead_rank(&l, 45.0, 45.0), Some(100.0));
        // A range holding the median ranks 50.
        assert_eq!(lead_rank(&l, 5.0, 25.0), Some(50.0));
        assert_eq!(lead_rank(&lead(Vec::new()), 5.0, 5.0), None);
    }
}
