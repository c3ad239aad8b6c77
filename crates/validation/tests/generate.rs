//! The generator of `docs/validation.md`: run on one library scenario with few runs, it writes
//! every section with its rows; and the simulated figures agree with the Summary JSON that
//! `skyshield run` prints.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use skyshield_engine::Prepared;
use skyshield_mc::figures::Simulated;
use skyshield_mc::{Batch, BatchOptions, Execution, Overrides, run_batch};
use skyshield_scenario::Metric;
use skyshield_validation::events::{EventResult, run_event};

fn scenario(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios")
        .join(name)
}

/// The runs of `e` (played by `run_event` with 64 runs on two threads) played again, with their
/// rows.
fn same_runs(e: &EventResult) -> (Prepared, Batch) {
    let prepared = skyshield_engine::prepare(&e.scenario).unwrap();
    let opts = BatchOptions::new(
        &prepared,
        Overrides {
            runs: Some(e.runs),
            threads: Some(2),
            keep_runs: true,
            ..Overrides::default()
        },
    );
    let batch = run_batch(&prepared, &opts, Execution::default()).expect("the batch runs");
    (prepared, batch)
}

#[test]
fn the_generator_writes_every_section_with_its_rows() {
    let dir = std::env::temp_dir().join(format!("skyshield-validation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("validation.md");
    let asad = scenario("ain-al-asad-2020.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_skyshield-validation"))
        .args([
            "--out",
            out.to_str().unwrap(),
            "--runs",
            "200",
            "--scenario",
        ])
        .arg(&asad)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let page = std::fs::read_to_string(&out).unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    for needle in [
        "cargo run --release -p skyshield-validation -- --out docs/validation.md",
        "## 1. Reconstructed events",
        "### Iranian missile strike on Al Asad Air Base, 8 January 2020",
        "--runs 200 --seed 20200108 --format json",
        "| Missiles hitting Al Asad (10 of 15, or 11 of 16) | 10–11 |",
        "`assets.al-asad.hits_mean`",
        "| Missiles that failed in flight | 4 |",
        "## 2. Monte Carlo against closed forms (Wilkening 2000)",
        "| 216 | (a) | 100 | 1 | 0.5 | 1 | 1 | 1000 | 50 |",
        "## 3. Physics against reference data",
        "`us_standard_atmosphere_1976.csv` | pressure, 0-86 km | 87 |",
        "`geodesic_distances.csv` | inverse: distance | 14 |",
        "`radar_horizon.csv` | horizon distance against d_exact_m | 140 |",
        "`ballistic_vacuum.csv` | time of flight | 6 |",
        "`wgs84_points.csv` | ECEF position, forward | 20 |",
        "## 4. Flight of each threat type against published figures",
        "| `iskander-m` | 500 |",
        "| `iskander-m` | `speed_at_20_km_m_s` | 500 | 2100–2600 |",
        "| `fateh-110` |",
        "## 5. Assignment policies on the same scenarios",
        "| `value-weighted` |",
        "| `cost-aware` |",
    ] {
        assert!(page.contains(needle), "missing {needle:?} in:\n{page}");
    }
    // Twelve closed-form cases, each agreeing; every physics check within its tolerance.
    let wilkening_rows = page
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(" | ("))
        .count();
    assert_eq!(wilkening_rows, 12);
    let physics = &page[page.find("## 3.").unwrap()..page.find("## 4.").unwrap()];
    assert!(!physics.contains("| no |"), "{physics}");
    let closed = &page[page.find("## 2.").unwrap()..page.find("## 3.").unwrap()];
    assert!(!closed.contains("| no |"), "{closed}");
}

#[test]
fn simulated_means_are_the_summary_json_values() {
    // April 2024 has figures of assets, layers and a derived ratio.
    let e = run_event(&scenario("apr-2024.yaml"), Some(64), 2).unwrap();
    assert_eq!(e.figures.len(), e.scenario.reported.len());
    // The same runs, row by row: each figure's interval is its mean ± 1.96·sd/√n, with the
    // sample standard deviation of its per-run values.
    let (prepared, batch) = same_runs(&e);
    let layers: Vec<&str> = batch.summary.by_layer.keys().map(String::as_str).collect();
    let assets: Vec<&str> = prepared.asset_ids.iter().map(String::as_str).collect();
    let threats = prepared.threats.len() as f64;
    let mut from_summary = 0;
    for f in &e.figures {
        let Simulated::Mean(m) = f.simulated else {
            panic!("April 2024 has no lead-time figures: {f:?}");
        };
        let values: Vec<f64> = batch
            .rows
            .iter()
            .map(|r| {
                skyshield_mc::figures::per_run(&f.reported.metric, r, &layers, &assets, threats)
                    .unwrap()
            })
            .collect();
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let half = 1.959_963_984_540_054 * sd / n.sqrt();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0);
        assert!(close(m.mean, mean), "{f:?}: mean of the rows {mean}");
        assert!(
            close(m.ci95[0], mean - half) && close(m.ci95[1], mean + half),
            "{f:?}: expected {mean} ± {half}"
        );
        assert!(m.p5 <= m.p95, "{f:?}");
        if let Some(v) = f.summary_value {
            assert!((v - m.mean).abs() <= 1e-9 * v.abs().max(1.0), "{f:?}");
            from_summary += 1;
        } else {
            assert!((0.0..=1.0).contains(&m.mean), "a ratio: {f:?}");
        }
    }
    assert_eq!(from_summary, 3);
    assert!(
        e.command()
            .ends_with("apr-2024.yaml --runs 64 --seed 20240414 --format json")
    );
}

#[test]
fn october_2024_compares_its_siren_and_early_warning_leads() {
    let e = run_event(&scenario("oct-2024.yaml"), Some(64), 2).unwrap();
    let w = e
        .summary
        .warning
        .as_ref()
        .expect("oct-2024 has warning zones");
    let leads: Vec<_> = e
        .figures
        .iter()
        .filter(|f| matches!(f.reported.metric, Metric::LeadTime { .. }))
        .collect();
    assert!(leads.len() >= 2, "{:?}", e.figures);
    for f in &leads {
        let Simulated::Quantile(Some(q)) = f.simulated else {
            panic!("no lead time measured: {f:?}");
        };
        assert!(q.value.is_finite() && q.value >= 0.0, "{f:?}");
        assert!(q.p5 <= q.value && q.value <= q.p95, "{f:?}");
        // The quantile is the Summary JSON's.
        assert_eq!(f.summary_value, Some(q.value), "{f:?}");
    }
    let siren = &w.siren_lead_s;
    assert!(siren.count > 0, "{siren:?}");
    for q in [siren.p5, siren.p50, siren.p95] {
        assert!(q.is_some_and(f64::is_finite), "{siren:?}");
    }
    // A warning mean, played through the per-run rows, is the Summary's mean.
    let text = "warning.false_alarm_zones_mean";
    let metric = Metric::parse(text, &[], &[], true).unwrap();
    let rows_mean = {
        let (_, batch) = same_runs(&e);
        let values: Vec<f64> = batch
            .rows
            .iter()
            .map(|r| skyshield_mc::figures::per_run(&metric, r, &[], &[], 1.0).unwrap())
            .collect();
        values.iter().sum::<f64>() / values.len() as f64
    };
    assert!(
        (rows_mean - w.false_alarm_zones_mean).abs() <= 1e-9 * rows_mean.max(1.0),
        "{rows_mean} against {}",
        w.false_alarm_zones_mean
    );

    // The page has the rows and the civil-warning table.
    let page = skyshield_validation::document::render(
        std::slice::from_ref(&e),
        &[],
        &[],
        &(Vec::new(), Vec::new()),
        &[],
        &[],
    );
    assert!(page.contains("`warning.siren_lead_s.p50`"), "{page}");
    assert!(
        page.contains("`warning.early_warning_lead_s.p50`"),
        "{page}"
    );
    assert!(page.contains("### Civil warning: lead times"), "{page}");
    let row = page
        .lines()
        .find(|l| l.starts_with("| Iranian ballistic-missile attack on Israel, 1 October 2024 |"))
        .expect("a row of the civil-warning table");
    assert!(!row.contains("—"), "{row}");
}
