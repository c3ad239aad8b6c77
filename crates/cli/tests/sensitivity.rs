//! `skyshield sensitivity` and `skyshield calibrate` on abstract scenarios built so that the
//! answer is known: one parameter that dominates the leakers, and reported figures generated
//! from a known kill probability.

mod common;

use std::path::Path;

use common::{json, scratch, skyshield};

/// Three layers against 20 threats: the upper layer's kill probability spans 0.05 to 0.95,
/// the other ranges are narrow.
const DOMINANT: &str = "name: one dominant parameter\nkind: abstract\nseed: 4\nruns: 100\n\
threats: 20\ntracking: independent\nlayers:\n\
  - {id: upper, kill_probability: {low: 0.05, nominal: 0.5, high: 0.95}, shots_per_engagement: 1}\n\
  - {id: middle, kill_probability: {low: 0.45, nominal: 0.5, high: 0.55}, shots_per_engagement: 1}\n\
  - {id: lower, kill_probability: 0.5, reliability: {low: 0.85, nominal: 0.9, high: 0.95}, shots_per_engagement: 1}\n";

fn write(dir: &Path, name: &str, text: &str) -> String {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_owned()
}

fn first_name(out: &serde_json::Value) -> &str {
    out["parameters"][0]["name"].as_str().unwrap()
}

#[test]
fn sensitivity_ranks_the_dominant_parameter_first() {
    let dir = scratch("sensitivity-dominant");
    let file = write(&dir, "dominant.yaml", DOMINANT);
    let out_dir = dir.join("out");
    // A run's folder, into which the ranking is written beside the run's results.
    let run = skyshield(&[
        "run",
        &file,
        "--runs",
        "50",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let morris = json(&[
        "sensitivity",
        &file,
        "--metric",
        "leakers.mean",
        "--runs",
        "100",
        "--format",
        "json",
        "--out",
        out_dir.to_str().unwrap(),
    ]);
    assert_eq!(morris["method"], "morris");
    assert_eq!(morris["parameters"].as_array().unwrap().len(), 3);
    assert_eq!(first_name(&morris), "upper.kill_probability", "{morris:#}");
    // More kills, fewer leakers: the dominant effect is negative.
    assert!(morris["parameters"][0]["mu"].as_f64().unwrap() < 0.0);
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("sensitivity.json")).unwrap())
            .unwrap();
    assert_eq!(written, morris);
    // The report of the run's folder shows the ranking beside the run's results.
    let run = skyshield(&["report", out_dir.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = std::fs::read_to_string(out_dir.join("report.html")).unwrap();
    let table = page
        .find("id=\"sensitivity-table\"")
        .expect("a sensitivity table");
    assert!(page[table..].contains("<td>1</td><td>upper.kill_probability</td>"));

    let sobol = json(&[
        "sensitivity",
        &file,
        "--metric",
        "leakers.mean",
        "--method",
        "sobol",
        "--samples",
        "32",
        "--runs",
        "100",
        "--format",
        "json",
    ]);
    assert_eq!(first_name(&sobol), "upper.kill_probability", "{sobol:#}");
    let st = sobol["parameters"][0]["ST"].as_f64().unwrap();
    assert!(st > 0.5, "{sobol:#}");
}

#[test]
fn sensitivity_is_the_same_on_any_thread_count() {
    let dir = scratch("sensitivity-threads");
    let file = write(&dir, "dominant.yaml", DOMINANT);
    let args = |t| {
        json(&[
            "sensitivity",
            &file,
            "--metric",
            "fates.leaked",
            "--trajectories",
            "4",
            "--runs",
            "20",
            "--threads",
            t,
            "--format",
            "json",
        ])
    };
    assert_eq!(args("1"), args("2"));
}

/// One layer with an uncertain kill probability against 20 threats.
fn one_layer(kill_probability: &str, reported: &str) -> String {
    format!(
        "name: one layer\nkind: abstract\nseed: 9\nruns: 100\nthreats: 20\ntracking: independent\n\
         layers:\n  - {{id: only, kill_probability: {kill_probability}, shots_per_engagement: 1}}\n{reported}"
    )
}

#[test]
fn calibration_recovers_a_known_kill_probability() {
    let dir = scratch("calibrate-known");
    // The reported figure: the mean leakers of 4000 runs with the kill probability at 0.7.
    let truth = write(&dir, "truth.yaml", &one_layer("0.7", ""));
    let run = json(&[
        "run", &truth, "--runs", "4000", "--seed", "77", "--format", "json",
    ]);
    let leakers = run["leakers"]["mean"].as_f64().unwrap();
    let reported = format!(
        "reported:\n  - figure: leakers\n    value: {leakers}\n    metric: leakers.mean\n    \
         source: \"the same scenario run with a kill probability of 0.7\"\n"
    );
    let file = write(
        &dir,
        "calibrate.yaml",
        &one_layer("{low: 0.2, nominal: 0.5, high: 0.95}", &reported),
    );
    let out = json(&[
        "calibrate",
        &file,
        "--draws",
        "400",
        "--keep",
        "0.1",
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    let p = &out["parameters"][0];
    assert_eq!(p["name"], "only.kill_probability");
    let q: Vec<f64> = (0..3)
        .map(|i| p["posterior"][i].as_f64().unwrap())
        .collect();
    assert!(q[0] <= 0.7 && 0.7 <= q[2], "{out:#}");
    assert!(p["width_ratio"].as_f64().unwrap() < 0.5, "{out:#}");
    assert_eq!(out["kept"], 40);
    assert_eq!(out["figures"][0]["inside"], true, "{out:#}");
}

#[test]
fn bad_requests_exit_with_code_2() {
    let dir = scratch("sensitivity-bad");
    let file = write(&dir, "dominant.yaml", DOMINANT);
    let run = skyshield(&["sensitivity", &file, "--metric", "leakers.median"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("leakers.median"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let run = skyshield(&["calibrate", &file]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("reported"), "{}", run.stderr);
    let fixed = write(&dir, "fixed.yaml", &one_layer("0.5", ""));
    let run = skyshield(&["sensitivity", &fixed, "--metric", "leakers.mean"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("no parameter has a range"),
        "{}",
        run.stderr
    );
}
