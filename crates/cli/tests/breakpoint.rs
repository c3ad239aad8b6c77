//! `skyshield breakpoint` on a library scenario, as a user would run it.

mod common;

use common::{json, repo, skyshield};

fn levels(out: &serde_json::Value) -> Vec<(u64, f64)> {
    out["levels"]
        .as_array()
        .expect("levels")
        .iter()
        .map(|l| {
            (
                l["level"].as_u64().unwrap(),
                l["probability"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_raid_that_exhausts_patriot_is_found_with_its_interval() {
    let scenario = repo("scenarios/iskander-patriot.yaml");
    let out = json(&[
        "breakpoint",
        scenario.to_str().unwrap(),
        "--exhausts",
        "pac-3-mse",
        "--runs",
        "200",
        "--format",
        "json",
    ]);
    assert_eq!(out["question"], "exhaustion");
    assert_eq!(out["probability"], 0.5);
    assert_eq!(out["scenario_level"], 8);
    let level = out["level"].as_u64().expect("a break point");
    let [lo, hi] = [0, 1].map(|k| out["level_ci95"][k].as_u64().expect("interval"));
    assert!(lo <= level && level <= hi, "{out:#}");
    let played = levels(&out);
    assert!(played.windows(2).all(|w| w[0].0 < w[1].0), "{played:?}");
    // The break point reaches the target and the level below it, played, does not.
    let at = |l: u64| played.iter().find(|p| p.0 == l).map(|p| p.1);
    assert!(at(level).unwrap() >= 0.5, "{played:?}");
    assert!(at(level - 1).unwrap() < 0.5, "{played:?}");
    // A salvo of two at each of the scenario's eight missiles leaves most of the 48 rounds.
    assert!(at(8).unwrap() == 0.0 && level > 8, "{played:?}");
}

#[test]
fn the_table_names_the_question_and_marks_the_break_point() {
    let scenario = repo("scenarios/iskander-patriot.yaml");
    let run = skyshield(&[
        "breakpoint",
        scenario.to_str().unwrap(),
        "--batteries",
        "patriot-1",
        "--asset",
        "airbase",
        "--probability",
        "0.6",
        "--runs",
        "100",
        "--max-level",
        "4",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "smallest number of batteries like `patriot-1` for P(no threat lands in `airbase`) >= 0.6"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("  <\n"), "{}", run.stdout);
}

#[test]
fn wrong_questions_exit_2_with_what_exists() {
    let scenario = repo("scenarios/iskander-patriot.yaml");
    let path = scenario.to_str().unwrap();
    let run = skyshield(&["breakpoint", path, "--exhausts", "pac3-mse"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("no interceptor type (layer) `pac3-mse`; did you mean `pac-3-mse`?"),
        "{}",
        run.stderr
    );
    let run = skyshield(&[
        "breakpoint",
        path,
        "--rounds",
        "patriot-1",
        "--asset",
        "airbse",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `airbase`?"),
        "{}",
        run.stderr
    );
    let run = skyshield(&["breakpoint", path]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--exhausts <LAYER>"), "{}", run.stderr);
    let run = skyshield(&[
        "breakpoint",
        path,
        "--rounds",
        "patriot-1",
        "--probability",
        "1.5",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("not a probability"), "{}", run.stderr);
}
