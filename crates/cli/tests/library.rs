//! Every scenario of the library (`scenarios/*.yaml`, found by listing the folder, and the
//! examples) validates and runs through the binary, and shows a property that follows from its
//! setup, checked against a confidence interval with the scenario's fixed seed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use arrow_array::{Array, StringArray};
use common::{repo, skyshield};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

/// Runs per scenario: enough for the intervals below, few enough for a quick test.
const RUNS: &str = "400";

fn library() -> Vec<PathBuf> {
    let root = repo("scenarios");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("examples")] {
        for entry in std::fs::read_dir(&dir).expect("scenarios folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

fn run(path: &Path) -> Value {
    let file = path.to_str().expect("utf-8 path");
    let r = skyshield(&["run", file, "--runs", RUNS, "--format", "json"]);
    assert_eq!(r.code, 0, "{file}: {}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{file}: {e}"))
}

fn num(v: &Value, path: &str) -> f64 {
    path.split('.')
        .fold(v, |v, k| match k.parse::<usize>() {
            Ok(i) => &v[i],
            Err(_) => &v[k],
        })
        .as_f64()
        .unwrap_or_else(|| panic!("no number at {path}"))
}

/// Half-width of a 95 % interval of the mean from its `ci95`, as a standard error.
fn se(v: &Value, path: &str) -> f64 {
    let ci = path.split('.').fold(v, |v, k| &v[k]);
    (ci[1].as_f64().unwrap() - ci[0].as_f64().unwrap()) / (2.0 * 1.96)
}

fn fate_sum(s: &Value) -> f64 {
    [
        "intercepted",
        "leaked",
        "ignored_open_area",
        "failed_in_flight",
    ]
    .iter()
    .map(|f| num(s, &format!("fates.{f}")))
    .sum()
}

/// The summaries of every library scenario, by file stem.
fn summaries() -> BTreeMap<String, Value> {
    library()
        .iter()
        .map(|p| {
            let v = skyshield(&["validate", p.to_str().unwrap()]);
            assert_eq!(v.code, 0, "{}: {}", p.display(), v.stderr);
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, run(p))
        })
        .collect()
}

/// The mean of the triangular distribution of a catalog threat's reliability.
fn mean_reliability(threat: &str) -> f64 {
    let u = skyshield_scenario::catalog()
        .get(threat)
        .unwrap()
        .number("reliability")
        .unwrap();
    (u.low + u.nominal + u.high) / 3.0
}

/// Variance of the number of failures in flight of `n` missiles of type `threat` sharing a
/// reliability drawn from its triangular range: n·E[r(1 − r)] + n²·Var(r), with the
/// triangular variance (l² + m² + h² − lm − lh − mh)/18.
fn failure_variance(n: f64, threat: &str) -> f64 {
    let u = skyshield_scenario::catalog()
        .get(threat)
        .unwrap()
        .number("reliability")
        .unwrap();
    let (l, m, h) = (u.low, u.nominal, u.high);
    let mean = (l + m + h) / 3.0;
    let var = (l * l + m * m + h * h - l * m - l * h - m * h) / 18.0;
    n * (mean - (var + mean * mean)) + n * n * var
}

#[test]
fn every_library_scenario_validates_runs_and_shows_what_its_setup_implies() {
    let all = summaries();
    for name in [
        "apr-2024",
        "oct-2024",
        "jun-2025-12-day",
        "al-udeid-2025",
        "ain-al-asad-2020",
        "saturation-400",
        "rocket-barrage",
        "iskander-patriot",
        "iskander-patriot-thaad",
    ] {
        assert!(all.contains_key(name), "{name} is missing from the library");
    }
    for (name, s) in &all {
        // Every threat has exactly one fate, and every interception is a layer's kill.
        let threats = num(s, "threats");
        assert!((fate_sum(s) - threats).abs() < 1e-6, "{name}: fates");
        let kills: f64 = s["by_layer"]
            .as_object()
            .unwrap()
            .values()
            .map(|l| l["kills"].as_f64().unwrap())
            .sum();
        assert!(
            (kills - num(s, "fates.intercepted")).abs() < 1e-6,
            "{name}: kills {kills} against intercepted"
        );
    }
    // Reported figures name paths that exist in the summary.
    for path in library() {
        let scenario = skyshield_scenario::load(&path).unwrap();
        let s = &all[&path.file_stem().unwrap().to_string_lossy().into_owned()];
        for r in &scenario.reported {
            if let Some(p) = r.metric.summary_path() {
                num(s, &p);
            }
        }
    }

    // No defense: every missile fails or lands, and failures follow the catalog reliabilities
    // (drawn per run from their triangular ranges).
    let asad = &all["ain-al-asad-2020"];
    assert_eq!(num(asad, "threats"), 16.0);
    assert_eq!(num(asad, "fates.intercepted"), 0.0);
    assert_eq!(num(asad, "fates.ignored_open_area"), 0.0);
    assert!((num(asad, "leakers.mean") + num(asad, "fates.failed_in_flight") - 16.0).abs() < 1e-9);
    let expected =
        11.0 * (1.0 - mean_reliability("fateh-313")) + 5.0 * (1.0 - mean_reliability("qiam-1"));
    // Per run, a group of n missiles shares one reliability r drawn from its triangular range,
    // and each fails with probability 1 − r: Var(F) = n·E[r(1 − r)] + n²·Var(r). The two
    // groups are independent; the mean over the scenario's runs has sd √(Var/runs), and 3.29
    // of them bound a 99.9 % interval.
    let var = failure_variance(11.0, "fateh-313") + failure_variance(5.0, "qiam-1");
    let tol = 3.29 * (var / num(asad, "runs")).sqrt();
    let failed = num(asad, "fates.failed_in_flight");
    assert!(
        (failed - expected).abs() < tol,
        "failed {failed}, expected {expected} ± {tol}"
    );

    // Rockets aimed at open fields (30 Qassams and 40 Grads of 100) are left alone. Those that
    // fly number 30·E[r_qassam] + 40·E[r_grad] on average, each group sharing a reliability
    // drawn per run, with the variance of `failure_variance`; the mean over the scenario's 1,000
    // runs has that variance over 1,000. The fields lie at least 3 km from every town's edge,
    // more than 4 standard deviations of the widest aim dispersion (CEP 800 m, σ = CEP/1.1774),
    // so a field rocket is engaged only when its impact prediction, judged while its error is
    // still wide, reaches a town: at least 90 % of those that fly are ignored. Rockets aimed at
    // a town that land outside it (at most 30·exp(−(2 km/σ)²/2) ≈ 0.4) may be ignored too.
    let rockets = &all["rocket-barrage"];
    let ignored = num(rockets, "fates.ignored_open_area");
    let flying = 30.0 * mean_reliability("qassam") + 40.0 * mean_reliability("grad");
    let sd_mean =
        ((failure_variance(30.0, "qassam") + failure_variance(40.0, "grad")) / 1000.0).sqrt();
    let (lo, hi) = (0.9 * flying - 3.29 * sd_mean, flying + 0.4 + 3.29 * sd_mean);
    assert!(
        (lo..=hi).contains(&ignored),
        "{ignored} rockets ignored in open ground, expected {lo}..{hi} ({flying} field rockets fly)"
    );
    // Iron Dome fires at most two rounds (shoot, look, shoot) per rocket aimed at a town (30).
    assert!(num(rockets, "by_layer.iron-dome.shots_ci95.1") <= 60.0);

    // A THAAD battery added to the Patriot defense leaks no more. The two scenarios draw
    // independent numbers, so their means differ by chance with the standard error of a
    // difference; 3.29 of them bound a 99.9 % interval (1.96, a 95 % one, would fail one
    // correct run in 40).
    let (p, t) = (&all["iskander-patriot"], &all["iskander-patriot-thaad"]);
    let diff = num(t, "leakers.mean") - num(p, "leakers.mean");
    let half = 3.29 * (se(t, "leakers.ci95").powi(2) + se(p, "leakers.ci95").powi(2)).sqrt();
    assert!(diff <= half, "THAAD adds {diff} leakers (± {half})");
    // THAAD engages only above its floor: the missiles, launched within 20 km of 300 km away,
    // fly their nominal full-burn paths under it (the farthest launch point peaks highest).
    let farthest = skyshield(&[
        "trajectory",
        "--threat",
        "iskander-m",
        "--from",
        "27.88,10.0",
        "--to",
        "25.0,10.0",
        "--format",
        "json",
    ]);
    let apogee_km = num(&serde_json::from_str(&farthest.stdout).unwrap(), "apogee_m") / 1e3;
    let thaad = skyshield(&["catalog", "show", "thaad", "--format", "json"]);
    let floor_km = num(
        &serde_json::from_str(&thaad.stdout).unwrap(),
        "parameters.min_altitude_km.nominal",
    );
    assert_eq!(
        num(t, "by_layer.thaad.shots") > 0.0,
        apogee_km >= floor_km,
        "apogee {apogee_km} km, THAAD's floor {floor_km} km"
    );

    // 400 missiles exhaust at least one layer in at least 95 % of the runs.
    let sat = &all["saturation-400"];
    let exhausted: Vec<&String> = sat["by_layer"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, l)| l["shots_stats"]["quantiles"]["p5"].as_f64() == l["rounds"].as_f64())
        .map(|(k, _)| k)
        .collect();
    assert!(!exhausted.is_empty(), "no layer exhausted");

    // Ships fire at most their 16 ready rounds; THAAD the 96 of its two batteries.
    assert!(
        num(
            &all["oct-2024"],
            "by_layer.sm-3-ib.shots_stats.quantiles.p95"
        ) <= 16.0
    );
    assert!(
        num(
            &all["jun-2025-12-day"],
            "by_layer.thaad.shots_stats.quantiles.p95"
        ) <= 96.0
    );

    // Al Udeid: Patriot kills most of the 14 missiles aimed at a defended base. A count between
    // 0 and 14 has a standard deviation of at most 7 (Popoviciu's inequality), so the mean over
    // the runs has one of at most 7/√runs, and 3.29 of them bound a 99.9 % interval.
    let udeid = &all["al-udeid-2025"];
    let intercepted = num(udeid, "fates.intercepted");
    let half = 3.29 * 7.0 / num(udeid, "runs").sqrt();
    assert!(
        intercepted - half > 7.0,
        "{intercepted} ± {half} of 14 intercepted"
    );
}

#[test]
fn fighters_kill_only_drones_and_cruise_missiles() {
    // April 2024: the fighter patrols' catalog kill probability is 0 against ballistic and
    // quasi-ballistic missiles and rockets; every kill of a fighter in the sampled runs must be
    // of a drone or a cruise missile, and there must be some.
    let path = repo("scenarios/apr-2024.yaml");
    let dir = std::env::temp_dir().join(format!("skyshield-cli-{}-fighters", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let r = skyshield(&[
        "run",
        path.to_str().unwrap(),
        "--runs",
        "40",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let scenario = skyshield_scenario::load(&path).unwrap();
    let fighters: Vec<String> = scenario
        .as_layered()
        .unwrap()
        .batteries
        .iter()
        .filter(|b| b.interceptor.id == "fighter-aam")
        .map(|b| b.id.clone())
        .collect();
    assert_eq!(fighters.len(), 4, "{fighters:?}");
    let file = std::fs::File::open(dir.join("events.parquet")).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .unwrap()
        .build()
        .unwrap();
    let mut by_class: BTreeMap<String, usize> = BTreeMap::new();
    for batch in reader {
        let batch = batch.unwrap();
        let text = |name: &str| {
            batch
                .column_by_name(name)
                .unwrap()
                .as_any()
                .downcast_ref::<StringArray>()
                .unwrap()
                .clone()
        };
        let (class, battery) = (text("class"), text("battery"));
        for k in 0..batch.num_rows() {
            if battery.is_valid(k) && fighters.iter().any(|f| f == battery.value(k)) {
                *by_class.entry(class.value(k).to_string()).or_default() += 1;
            }
        }
    }
    assert!(
        by_class.keys().all(|c| c == "drone" || c == "cruise"),
        "fighter kills by class: {by_class:?}"
    );
    assert!(
        by_class.get("drone").is_some_and(|&n| n > 0),
        "{by_class:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_june_2025_reserve_keeps_upper_tier_rounds() {
    // June 2025 holds back a fifth of every battery's rounds for threats that no other battery
    // can engage: THAAD and Arrow 3 end its (template) day with rounds left, and with more than
    // without the reserve.
    let path = repo("scenarios/jun-2025-12-day.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("reserve_fraction: 0.2\n"),
        "the scenario's reserve"
    );
    let dir = std::env::temp_dir().join(format!("skyshield-cli-{}-reserve", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let without = dir.join("jun-2025-no-reserve.yaml");
    std::fs::write(
        &without,
        text.replace("reserve_fraction: 0.2\n", "reserve_fraction: 0\n"),
    )
    .unwrap();
    let (with, without) = (run(&path), run(&without));
    for layer in ["thaad", "arrow-3"] {
        let key = format!("by_layer.{layer}.rounds_left");
        assert!(num(&with, &key) > 0.5, "{key} with the reserve: {with}");
        assert!(
            num(&with, &key) > num(&without, &key) + 0.5,
            "{key}: {} with the reserve, {} without",
            num(&with, &key),
            num(&without, &key)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
