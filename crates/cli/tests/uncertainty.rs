//! `skyshield run --uncertainty`: the four modes and their split, run as a user would.

mod common;

use common::{json, scratch, skyshield};

/// An abstract scenario whose only range is its layer's kill probability, in a fresh folder.
fn one_range(name: &str) -> String {
    let dir = scratch(name);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("one.yaml");
    std::fs::write(
        &path,
        "name: one range\nkind: abstract\nseed: 2\nruns: 100\nthreats: 10\ntracking: common\n\
         layers:\n  - {id: only, kill_probability: {low: 0.5, nominal: 0.6, high: 0.9}, shots_per_engagement: 1}\n",
    )
    .unwrap();
    path.display().to_string()
}

#[test]
fn both_reports_chance_parameters_and_their_combination() {
    let file = one_range("uncertainty-both");
    let doc = json(&[
        "run",
        &file,
        "--uncertainty",
        "both",
        "--parameter-sets",
        "8",
        "--runs",
        "800",
        "--format",
        "json",
    ]);
    let u = &doc["uncertainty"];
    assert_eq!(u["mode"], "both");
    assert_eq!(
        (u["parameter_sets"].as_u64(), u["runs_per_set"].as_u64()),
        (Some(8), Some(100))
    );
    assert_eq!(doc["runs"], 800);
    assert_eq!(doc["parameters"], "sampled");
    assert_eq!(u["set_means"].as_array().unwrap().len(), 8);
    for key in ["chance_sd", "parameters_sd", "total_sd"] {
        assert!(u[key].as_f64().unwrap() > 0.0, "{key}: {u}");
    }
    let table = skyshield(&[
        "run",
        &file,
        "--uncertainty",
        "both",
        "--parameter-sets",
        "8",
        "--runs",
        "800",
    ]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    for line in [
        "uncertainty both: 8 parameter set(s) of 100 run(s)",
        "due to chance",
        "due to parameters",
    ] {
        assert!(table.stdout.contains(line), "{line}:\n{}", table.stdout);
    }
}

#[test]
fn each_mode_plays_what_it_names_and_the_nominal_flag_is_chance() {
    let file = one_range("uncertainty-modes");
    let run = |mode: &str| {
        json(&[
            "run",
            &file,
            "--uncertainty",
            mode,
            "--runs",
            "400",
            "--format",
            "json",
        ])
    };
    let nominal = run("nominal");
    assert_eq!(nominal["runs"], 1);
    let chance = run("chance");
    assert_eq!(chance["runs"], 400);
    assert!(chance["uncertainty"]["parameters_sd"].is_null());
    let parameters = run("parameters");
    assert!(parameters["uncertainty"]["chance_sd"].is_null());
    assert!(parameters["uncertainty"]["parameters_sd"].as_f64().unwrap() > 0.0);
    // `--nominal` is `--uncertainty chance`.
    let flag = json(&[
        "run",
        &file,
        "--nominal",
        "--runs",
        "400",
        "--format",
        "json",
    ]);
    assert_eq!(flag["leakers"], chance["leakers"]);
    assert_eq!(flag["uncertainty"], chance["uncertainty"]);
}

#[test]
fn a_bad_mode_or_a_mode_with_nominal_is_refused() {
    let file = one_range("uncertainty-bad");
    for args in [
        vec!["run", file.as_str(), "--uncertainty", "all"],
        vec!["run", file.as_str(), "--uncertainty", "both", "--nominal"],
        vec![
            "run",
            file.as_str(),
            "--uncertainty",
            "both",
            "--parameter-sets",
            "1",
        ],
    ] {
        let r = skyshield(&args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}");
    }
}
