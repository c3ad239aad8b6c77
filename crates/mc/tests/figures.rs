//! Reported figures scored against a batch (`skyshield_mc::figures`), every metric of the
//! scenario format at once: a figure's simulated mean, interval and percentiles are those of its
//! values in the runs' rows, its mean the Summary's; its rank is that of the reported range among
//! the runs and its label follows from the rank, unless the scenario sets the figure itself (a
//! stock fired whole in every run, a lead the siren policy aims at).

use std::path::Path;

use skyshield_engine::prepare;
use skyshield_mc::figures::{self, FigureResult, MAX_SCORED_RUNS, Simulated};
use skyshield_mc::reported::Agreement;
use skyshield_mc::{Batch, BatchOptions, Execution, FigureScore, RunRow, Summary, run_batch};
use skyshield_scenario::reported::{LayerField, Lead, LeadQuantile};
use skyshield_scenario::{Metric, ReportedFigure, Scenario};

/// The default scenario, whose ship fires its 24 SM-6 in every run, with a Patriot battery in
/// Libya, which no threat comes near: it fires as many rounds in every run (none), not its stock.
fn scenario() -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let ship =
        "  - {id: ship-sm6, type: sm-6, at: [32.60, 34.40], rounds: 24, radar: ship-radar}\n";
    assert!(text.contains(ship));
    let far =
        "  - {id: far, type: pac-3-mse, at: [29.0, 20.0], launchers: 1, rounds_per_launcher: 4}\n";
    let text = text.replace(ship, &format!("{ship}{far}"));
    skyshield_scenario::from_str(&text, &path).expect("the default scenario is valid")
}

fn batch(prepared: &skyshield_engine::Prepared, keep_runs: bool) -> Batch {
    let opts = BatchOptions {
        runs: 120,
        seed: 1,
        threads: 2,
        keep_runs,
        sample_runs: 0,
        sample_parameters: true,
    };
    run_batch(prepared, &opts, Execution::default()).expect("the batch runs")
}

/// A figure of `metric` reported as `[low, high]`.
fn figure(metric: &str, low: f64, high: f64, layers: &[&str], assets: &[&str]) -> ReportedFigure {
    ReportedFigure {
        figure: format!("{metric} in [{low}, {high}]"),
        low,
        high,
        metric: Metric::parse(metric, layers, assets, true).unwrap(),
        source: "a test".into(),
        note: None,
    }
}

/// The value of a metric in one run, read from the row by its documented meaning
/// (`docs/scenario-format.md`, section `reported`).
fn value_in(metric: &str, row: &RunRow, layers: &[&str], assets: &[&str], threats: f64) -> f64 {
    let at = |names: &[&str], name: &str| names.iter().position(|n| *n == name).unwrap();
    let parts: Vec<&str> = metric.split('.').collect();
    let count = f64::from;
    match parts.as_slice() {
        ["leakers", "mean"] | ["fates", "leaked"] => count(row.leakers),
        ["leakers", "p_zero"] => f64::from(u8::from(row.leakers == 0)),
        ["fates", "intercepted"] => count(row.intercepted),
        ["fates", "ignored_open_area"] => count(row.ignored_open_area),
        ["fates", "failed_in_flight"] => count(row.failed_in_flight),
        ["by_layer", layer, "shots"] => count(row.shots[at(layers, layer)]),
        ["by_layer", layer, "kills"] => count(row.kills[at(layers, layer)]),
        ["by_layer", layer, "rounds_left"] => count(row.rounds_left[at(layers, layer)]),
        ["assets", asset, "hits_mean"] => count(row.hits[at(assets, asset)]),
        ["assets", asset, "p_hit"] => f64::from(u8::from(row.hits[at(assets, asset)] > 0)),
        ["cost_usd", "defense"] => row.defense_cost_usd,
        ["warning", "false_alarm_zones_mean"] => count(row.false_alarm_zones),
        ["warning", "false_alarm_people_mean"] => row.false_alarm_people,
        ["warning", "too_late_people_mean"] => row.too_late_people,
        ["warning", "people_minutes_under_alert_mean"] => row.people_minutes_under_alert,
        ["intercept_rate"] => match row.intercepted + row.leakers {
            0 => 1.0,
            reached => count(row.intercepted) / count(reached),
        },
        ["ignored_share"] => count(row.ignored_open_area) / threats,
        _ => panic!("no per-run value for {metric}"),
    }
}

/// The smallest of `sorted` with at least a fraction `q` of them at or below it.
fn order_statistic(sorted: &[f64], q: f64) -> f64 {
    sorted[((q * sorted.len() as f64).ceil() as usize).max(1) - 1]
}

/// The percentile rank of `x` among `values`, ties counted as half.
fn rank_of(values: &[f64], x: f64) -> f64 {
    let below = values.iter().filter(|v| **v < x).count() as f64;
    let equal = values.iter().filter(|v| **v == x).count() as f64;
    100.0 * (below + 0.5 * equal) / values.len() as f64
}

/// The rank of `[low, high]`: that of its point nearest the median, 50 when it holds it.
fn range_rank(rank: impl Fn(f64) -> f64, low: f64, high: f64) -> f64 {
    let (lo, hi) = (rank(low), rank(high));
    if hi < 50.0 {
        hi
    } else if lo > 50.0 {
        lo
    } else {
        50.0
    }
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()).max(1e-9)
}

/// The value at a path of the Summary JSON.
fn summary_value(json: &serde_json::Value, path: &str) -> Option<f64> {
    path.split('.')
        .try_fold(json, |v, k| v.get(k))
        .and_then(serde_json::Value::as_f64)
}

/// Checks a per-run figure against its values in the rows.
fn check_mean(f: &FigureResult, values: &[f64], json: &serde_json::Value, stock: Option<f64>) {
    let text = f.reported.metric.to_string();
    let Simulated::Mean(m) = f.simulated else {
        panic!("{text}: a per-run metric scored as a quantile: {f:?}");
    };
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = 1.959_963_984_540_054 * sd / n.sqrt();
    // Threats, rounds, hits, zones and flags are counted; costs, people and ratios are amounts.
    let is_count = [
        "leakers.",
        "fates.",
        "by_layer.",
        "assets.",
        "warning.false_alarm_zones",
    ]
    .iter()
    .any(|p| text.starts_with(p));
    // A count's interval stops at 0.
    let low = if is_count {
        (mean - half).max(0.0)
    } else {
        mean - half
    };
    assert!(
        close(m.mean, mean, 1e-9),
        "{text}: {} against {mean}",
        m.mean
    );
    assert!(
        close(m.ci95[0], low, 1e-9) && close(m.ci95[1], mean + half, 1e-9),
        "{text}: {:?} against [{low}, {}]",
        m.ci95,
        mean + half
    );
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // Exact for counts, within half a bin of 1 % for other amounts.
    let tolerance = if is_count { 0.0 } else { 0.005 };
    for (q, got) in [(0.05, m.p5), (0.95, m.p95)] {
        let want = order_statistic(&sorted, q);
        assert!(
            close(got, want, tolerance),
            "{text}: p{q} {got} against {want}"
        );
    }
    match f.reported.metric.summary_path() {
        Some(path) => {
            let v = summary_value(json, &path).unwrap();
            assert_eq!(f.summary_value, Some(v), "{text}");
            assert!(
                close(v, mean, 1e-9),
                "{text}: the Summary's {v} against {mean}"
            );
        }
        None => assert_eq!(f.summary_value, None, "{text}"),
    }
    let rank = range_rank(|x| rank_of(values, x), f.reported.low, f.reported.high);
    assert_eq!(f.rank, Some(rank), "{text}: {f:?}");
    let whole_stock = stock.is_some_and(|s| values.iter().all(|v| *v == s));
    check_label(f, whole_stock, rank);
}

/// Checks a figure's label: by construction when the scenario sets the figure, else that of its
/// rank.
fn check_label(f: &FigureResult, by_construction: bool, rank: f64) {
    let want = if by_construction {
        Agreement::ByConstruction
    } else {
        Agreement::of_rank(rank)
    };
    assert_eq!(f.agreement, want, "{}: {f:?}", f.reported.metric);
}

#[test]
fn each_figure_is_scored_by_its_values_in_the_runs() {
    let mut scenario = scenario();
    let prepared = prepare(&scenario).unwrap();
    let b = batch(&prepared, true);
    let summary = &b.summary;
    let layers: Vec<&str> = summary.by_layer.keys().map(String::as_str).collect();
    let assets: Vec<&str> = prepared.asset_ids.iter().map(String::as_str).collect();
    let threats = summary.threats as f64;
    let mut metrics: Vec<String> = [
        "leakers.mean",
        "leakers.p_zero",
        "fates.intercepted",
        "fates.leaked",
        "fates.ignored_open_area",
        "fates.failed_in_flight",
        "cost_usd.defense",
        "warning.false_alarm_zones_mean",
        "warning.false_alarm_people_mean",
        "warning.too_late_people_mean",
        "warning.people_minutes_under_alert_mean",
        "intercept_rate",
        "ignored_share",
    ]
    .map(String::from)
    .to_vec();
    for layer in &layers {
        for field in ["shots", "kills", "rounds_left"] {
            metrics.push(format!("by_layer.{layer}.{field}"));
        }
    }
    for asset in &assets {
        for field in ["hits_mean", "p_hit"] {
            metrics.push(format!("assets.{asset}.{field}"));
        }
    }
    let values_of = |metric: &str| -> Vec<f64> {
        b.rows
            .iter()
            .map(|r| value_in(metric, r, &layers, &assets, threats))
            .collect()
    };
    // A count whose interval of the mean reaches below 0, where a count's stops: one threat left
    // to fall in open ground in all the runs.
    assert_eq!(
        values_of("fates.ignored_open_area").iter().sum::<f64>(),
        1.0
    );
    // Each metric reported below all runs, at an order statistic near each tail and at the
    // median, and as ranges across the median and in a tail.
    let mut expected = Vec::new();
    for metric in &metrics {
        let values = values_of(metric);
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let q = |p: f64| order_statistic(&sorted, p);
        for (low, high) in [
            (sorted[0] - 1.0, sorted[0] - 1.0),
            (q(0.03), q(0.03)),
            (q(0.5), q(0.5)),
            (q(0.97), q(0.97)),
            (q(0.2), q(0.8)),
            (q(0.6), q(0.99)),
        ] {
            scenario
                .reported
                .push(figure(metric, low, high, &layers, &assets));
            expected.push(values.clone());
        }
    }
    // Lead-time quantiles: the siren policy aims at the shelter time.
    let aim = scenario
        .as_layered()
        .unwrap()
        .warning
        .as_ref()
        .unwrap()
        .min_lead_s;
    let mut leads = 0;
    for lead in ["siren_lead_s", "early_warning_lead_s"] {
        for quantile in ["p5", "p50", "p95"] {
            let metric = format!("warning.{lead}.{quantile}");
            // At the aim, across it, near it at either end, near it at neither.
            for (low, high) in [
                (aim, aim),
                (aim - 100.0, aim + 100.0),
                (aim + 5.0, aim + 600.0),
                (aim - 600.0, aim - 5.0),
                (aim + 15.0, aim + 600.0),
                (30.0, aim - 15.0),
            ] {
                scenario
                    .reported
                    .push(figure(&metric, low, high, &layers, &assets));
                leads += 1;
            }
        }
    }

    let scored = figures::score(&scenario, &prepared.asset_ids, summary, &b.rows);
    assert_eq!(scored.len(), scenario.reported.len());
    let json = serde_json::to_value(summary).unwrap();
    let mut labels = [0; 4];
    for (k, f) in scored.iter().enumerate() {
        assert_eq!(f.reported, scenario.reported[k]);
        labels[f.agreement as usize] += 1;
        if let Some(values) = expected.get(k) {
            let stock = match &f.reported.metric {
                Metric::Layer { layer, field } if field == &LayerField::Shots => {
                    summary.by_layer[layer].rounds.map(|r| r as f64)
                }
                _ => None,
            };
            check_mean(f, values, &json, stock);
        } else {
            check_lead(f, summary, aim);
        }
    }
    assert_eq!(scored.len(), expected.len() + leads);
    // Every label occurs; the SM-6's rounds are fired in every run, the siren's median lead is
    // the shelter time aimed at.
    assert!(labels.iter().all(|n| *n > 0), "{labels:?}");
    let by_construction: Vec<String> = scored
        .iter()
        .filter(|f| f.agreement == Agreement::ByConstruction)
        .map(|f| f.reported.metric.to_string())
        .collect();
    assert!(
        by_construction.contains(&"by_layer.sm-6.shots".to_string())
            && by_construction.contains(&"warning.siren_lead_s.p50".to_string()),
        "{by_construction:?}"
    );
    assert!(!by_construction.contains(&"by_layer.pac-3-mse.shots".to_string()));
    let far = &summary.by_layer["pac-3-mse"];
    assert_eq!((far.shots, far.rounds), (0.0, Some(4)));
}

/// Checks a lead-time quantile against the Summary's lead-time distribution.
fn check_lead(f: &FigureResult, summary: &Summary, aim: f64) {
    let text = f.reported.metric.to_string();
    let Metric::LeadTime { lead, quantile } = f.reported.metric else {
        panic!("{text}: {f:?}");
    };
    let w = summary.warning.as_ref().unwrap();
    let dist = match lead {
        Lead::Siren => &w.siren_lead_s,
        Lead::EarlyWarning => &w.early_warning_lead_s,
    };
    let want = match quantile {
        LeadQuantile::P5 => dist.p5,
        LeadQuantile::P50 => dist.p50,
        LeadQuantile::P95 => dist.p95,
    }
    .unwrap();
    let Simulated::Quantile(Some(q)) = f.simulated else {
        panic!("{text}: no lead time measured: {f:?}");
    };
    assert_eq!(
        (q.value, q.p5, q.p95),
        (want, dist.p5.unwrap(), dist.p95.unwrap()),
        "{text}"
    );
    assert_eq!(f.summary_value, Some(want), "{text}");
    // The rank in the pooled distribution, to its 10 s bin: the leads of lower bins, and half
    // those of the value's own.
    let rank = |x: f64| {
        let bin = (x / dist.histogram_bin_s).floor() as usize;
        let below: u64 = dist.histogram.iter().take(bin).sum();
        let within = dist.histogram.get(bin).copied().unwrap_or(0);
        100.0 * (below as f64 + 0.5 * within as f64) / dist.count as f64
    };
    let rank = range_rank(rank, f.reported.low, f.reported.high);
    assert!(
        close(f.rank.unwrap(), rank, 1e-12),
        "{text}: {f:?} against {rank}"
    );
    // By construction when the reported value is the aim, or within a bin of it, and so is the
    // simulated quantile.
    let near = |x: f64| (x - aim).abs() <= dist.histogram_bin_s;
    let aimed = (f.reported.low..=f.reported.high).contains(&aim)
        || near(f.reported.low)
        || near(f.reported.high);
    check_label(f, aimed && near(q.value), rank);
}

#[test]
fn a_batch_is_scored_only_when_it_kept_its_rows() {
    let mut scenario = scenario();
    let prepared = prepare(&scenario).unwrap();
    // Rows are kept to score figures, up to a bound on the runs.
    assert!(!figures::wants_rows(&scenario, 100));
    let layers: Vec<&str> = ["sm-6"].into();
    scenario
        .reported
        .push(figure("by_layer.sm-6.shots", 24.0, 24.0, &layers, &[]));
    scenario
        .reported
        .push(figure("leakers.mean", 3.0, 9.0, &layers, &[]));
    assert!(figures::wants_rows(&scenario, MAX_SCORED_RUNS));
    assert!(!figures::wants_rows(&scenario, MAX_SCORED_RUNS + 1));

    let mut kept = batch(&prepared, true);
    assert!(kept.summary.reported.is_empty());
    figures::score_batch(&scenario, &prepared, &mut kept);
    let scored = figures::score(&scenario, &prepared.asset_ids, &kept.summary, &kept.rows);
    let want: Vec<FigureScore> = scored.iter().map(FigureScore::from).collect();
    assert_eq!(kept.summary.reported, want);
    let [stock, leakers] = [&want[0], &want[1]];
    assert_eq!(stock.metric, "by_layer.sm-6.shots");
    assert_eq!(stock.agreement, Agreement::ByConstruction);
    assert_eq!(
        (stock.simulated, stock.simulated_p5, stock.simulated_p95),
        (Some(24.0), Some(24.0), Some(24.0))
    );
    let Simulated::Mean(m) = scored[1].simulated else {
        panic!("{:?}", scored[1]);
    };
    assert_eq!(
        (
            leakers.simulated,
            leakers.simulated_p5,
            leakers.simulated_p95
        ),
        (Some(m.mean), Some(m.p5), Some(m.p95))
    );
    assert_eq!((leakers.low, leakers.high), (3.0, 9.0));
    assert_eq!(leakers.rank, scored[1].rank);

    let mut without = batch(&prepared, false);
    figures::score_batch(&scenario, &prepared, &mut without);
    assert!(without.summary.reported.is_empty());
}
