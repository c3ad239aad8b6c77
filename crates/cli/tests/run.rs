//! `skyshield run` and `skyshield replay`, run as a user would.

mod common;

use common::{json, repo, scratch, skyshield};
use serde_json::Value;

#[test]
fn the_default_scenario_runs_and_prints_a_table() {
    let run = skyshield(&["run", "--runs", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for word in [
        "intercepted",
        "leaked",
        "leakers",
        "arrow-3",
        "iron-dome",
        "coastal-city",
        "exchange ratio",
    ] {
        assert!(
            run.stdout.contains(word),
            "table lacks {word}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_nominal_run_says_so_in_the_table_and_the_json() {
    let run = skyshield(&["run", "--runs", "10", "--nominal"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("threats per run, every parameter at its nominal value"),
        "{}",
        run.stdout
    );
    let doc = json(&["run", "--runs", "10", "--nominal", "--format", "json"]);
    assert_eq!(doc["parameters"], "nominal");
}

#[test]
fn json_carries_the_summary_contract() {
    let doc = json(&["run", "--runs", "30", "--seed", "5", "--format", "json"]);
    assert_eq!(doc["runs"], 30);
    assert_eq!(doc["seed"], 5);
    assert_eq!(doc["parameters"], "sampled");
    assert!(doc["threats"].as_u64().unwrap() > 200);
    let leakers = &doc["leakers"];
    for key in ["mean", "sd", "p_zero"] {
        assert!(leakers[key].is_number(), "leakers.{key}");
    }
    assert_eq!(leakers["ci95"].as_array().map(Vec::len), Some(2));
    for key in ["p5", "p50", "p95"] {
        assert!(
            leakers["quantiles"][key].is_number(),
            "leakers.quantiles.{key}"
        );
    }
    let fates = &doc["fates"];
    let total: f64 = [
        "intercepted",
        "leaked",
        "ignored_open_area",
        "failed_in_flight",
    ]
    .iter()
    .map(|k| fates[k].as_f64().expect("fate mean"))
    .sum();
    assert!(
        (total - doc["threats"].as_f64().unwrap()).abs() < 1e-6,
        "fates add up to the threats"
    );
    for layer in ["arrow-3", "thaad", "iron-dome"] {
        assert!(
            doc["by_layer"][layer]["shots"].is_number(),
            "by_layer.{layer}.shots"
        );
        assert!(
            doc["by_layer"][layer]["kills"].is_number(),
            "by_layer.{layer}.kills"
        );
    }
    for key in ["defense", "offense", "exchange_ratio"] {
        assert!(doc["cost_usd"][key].is_number(), "cost_usd.{key}");
    }
    assert!(doc["assets"]["coastal-city"]["hits_mean"].is_number());
    assert!(doc["assets"]["coastal-city"]["p_hit"].is_number());
    assert!(doc["timing"]["wall_s"].is_number() && doc["timing"]["runs_per_s"].is_number());
}

#[test]
fn one_and_two_threads_print_the_same_json_but_for_timing() {
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("timing");
        v
    };
    let one = strip(json(&[
        "run",
        "--runs",
        "64",
        "--threads",
        "1",
        "--format",
        "json",
    ]));
    let two = strip(json(&[
        "run",
        "--runs",
        "64",
        "--threads",
        "2",
        "--format",
        "json",
    ]));
    assert_eq!(one, two);
}

#[test]
fn out_writes_the_summary_and_the_runs_table() {
    let dir = scratch("out");
    let doc = json(&[
        "run",
        "--runs",
        "25",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(written["leakers"], doc["leakers"]);
    let parquet = std::fs::read(dir.join("runs.parquet")).unwrap();
    assert_eq!(&parquet[..4], b"PAR1");
    assert_eq!(&parquet[parquet.len() - 4..], b"PAR1");
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_abstract_scenario_runs() {
    let doc = json(&[
        "run",
        &repo("scenarios/examples/abstract-two-layers.yaml")
            .display()
            .to_string(),
        "--runs",
        "4000",
        "--format",
        "json",
    ]);
    // Wilkening case (c), N = 10: 1.13822 expected leakers; 4,000 runs give a standard error
    // of about 0.016.
    let mean = doc["leakers"]["mean"].as_f64().unwrap();
    assert!((mean - 1.13822).abs() < 4.0 * 0.017, "{mean}");
}

#[test]
fn replay_writes_the_event_log_of_one_run() {
    let dir = scratch("replay");
    let run = skyshield(&[
        "replay",
        &repo("scenarios/default.yaml").display().to_string(),
        "--run",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let kinds: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for kind in [
        "launch",
        "track",
        "decision",
        "interceptor_launch",
        "intercept",
        "impact",
    ] {
        assert!(kinds.contains(kind), "no {kind} event");
    }
    assert!(events.iter().all(|e| e["t_s"].is_number()));
    assert!(
        events
            .windows(2)
            .all(|w| w[0]["t_s"].as_f64() <= w[1]["t_s"].as_f64()),
        "events in time order"
    );
    let launches = events.iter().filter(|e| e["event"] == "launch").count();
    assert_eq!(launches, 280);
}

#[test]
fn a_bad_scenario_is_refused_with_its_positions_and_nothing_is_written() {
    let dir = scratch("bad");
    let bad = scratch("bad-file");
    std::fs::create_dir_all(&bad).unwrap();
    let file = bad.join("bad.yaml");
    std::fs::write(&file, "name: x\nkind: abstract\nthreats: 0\nlayers: []\n").unwrap();
    let run = skyshield(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bad.yaml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was run"), "{}", run.stderr);
    assert!(!dir.exists(), "no output folder for a refused scenario");
    let run = skyshield(&["run", "--runs", "0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--runs"), "{}", run.stderr);
}
