//! Civil warning from the command line: the shared layered example reports it, replays log
//! its sirens, and a malformed zone file is refused before anything runs.

mod common;

use common::{json, repo, scratch, skyshield};
use serde_json::Value;

#[test]
fn the_layered_example_reports_warning_the_same_on_one_and_two_threads() {
    let file = repo("tests/data/layered.yaml").display().to_string();
    let run = |threads: &str| {
        let mut doc = json(&[
            "run",
            &file,
            "--runs",
            "64",
            "--threads",
            threads,
            "--format",
            "json",
        ]);
        doc.as_object_mut().unwrap().remove("timing");
        doc
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let w = &one["warning"];
    for key in ["siren_lead_s", "early_warning_lead_s"] {
        for q in ["p5", "p50", "p95"] {
            assert!(w[key][q].is_number(), "warning.{key}.{q}: {w}");
        }
        assert!(w[key]["p5"].as_f64() <= w[key]["p95"].as_f64());
    }
    for key in [
        "false_alarm_zones_mean",
        "false_alarm_people_mean",
        "too_late_people_mean",
        "people_minutes_under_alert_mean",
    ] {
        assert!(w[key].as_f64().is_some_and(|x| x >= 0.0), "warning.{key}");
    }
    // A 10 km hexagonal grid over a 12 km-radius city and a small air base.
    let zones = w["zones"].as_object().expect("zones by name");
    assert_eq!(zones.len() as u64, w["zone_count"].as_u64().unwrap());
    let people: f64 = zones
        .values()
        .map(|z| z["population"].as_f64().unwrap())
        .sum();
    assert_eq!(people, 1_400_000.0, "whole people, every one of the city's");
    // Cells are named after the asset they cover most; the city's people are on land only
    // (its western cells, in the Mediterranean, hold nobody).
    assert!(
        zones
            .keys()
            .all(|n| n.starts_with("coastal-city r") || n.starts_with("desert-airbase r")),
        "{:?}",
        zones.keys().collect::<Vec<_>>()
    );
    assert!(zones.values().any(|z| z["population"] == 0.0));
    for z in zones.values() {
        let p = z["p_alert"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&p));
        assert!(z["alerts_mean"].is_number() && z["impacts_mean"].is_number());
        assert!(z["p_false_alarm"].as_f64().unwrap() <= p, "{z}");
    }
    // Per zone, one lead time per impact in it: none in a zone never hit, quantiles in order
    // in a zone hit; over the zones, as many as the whole batch's.
    let mut hit_zones = 0;
    let mut leads = 0;
    for (name, z) in zones {
        let lead = &z["siren_lead_s"];
        let count = lead["count"].as_u64().unwrap();
        let impacts = z["impacts_mean"].as_f64().unwrap() * 64.0;
        assert_eq!(count, impacts.round() as u64, "{name}: {z}");
        leads += count;
        if z["p_impact"].as_f64().unwrap() == 0.0 {
            assert_eq!(count, 0, "{name}: {z}");
            assert!(lead["p50"].is_null(), "{name}: {z}");
        } else {
            hit_zones += 1;
            let q = |k: &str| lead[k].as_f64().unwrap_or_else(|| panic!("{name}: {z}"));
            assert!(q("p5") <= q("p50") && q("p50") <= q("p95"), "{name}: {z}");
        }
    }
    assert!(hit_zones > 0 && hit_zones < zones.len(), "{hit_zones}");
    // The zones hit in every run (the aim points') have at least one lead time per run.
    let every_run: Vec<&Value> = zones.values().filter(|z| z["p_impact"] == 1.0).collect();
    assert!(!every_run.is_empty());
    for z in every_run {
        assert!(z["siren_lead_s"]["count"].as_u64().unwrap() >= 64, "{z}");
    }
    assert_eq!(leads, w["siren_lead_s"]["count"].as_u64().unwrap());

    let table = skyshield(&["run", &file, "--runs", "16"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    for row in [
        "civil warning",
        "siren lead",
        "false alarms",
        "warned too late",
    ] {
        assert!(table.stdout.contains(row), "no `{row}`:\n{}", table.stdout);
    }
}

#[test]
fn a_scenario_without_warning_reports_none() {
    let abstract_example = repo("scenarios/examples/abstract-two-layers.yaml")
        .display()
        .to_string();
    let doc = json(&["run", &abstract_example, "--runs", "8", "--format", "json"]);
    assert!(doc.get("warning").is_none(), "{}", doc["warning"]);
}

#[test]
fn replay_logs_the_sirens_with_their_zones() {
    let dir = scratch("replay");
    let run = skyshield(&[
        "replay",
        &repo("tests/data/layered.yaml").display().to_string(),
        "--run",
        "2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let sirens: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("JSON line"))
        .filter(|e| e["event"] == "siren")
        .collect();
    assert!(!sirens.is_empty());
    for s in &sirens {
        assert!(
            s["zone"].as_str().is_some_and(
                |z| z.starts_with("coastal-city r") || z.starts_with("desert-airbase r")
            ),
            "{s}"
        );
        assert!(
            s["region"]["radius_m"].as_f64().is_some_and(|r| r > 0.0),
            "{s}"
        );
        assert!(s["threat"].is_u64());
    }
}

#[test]
fn a_malformed_zone_file_is_refused_with_exit_2_and_no_output() {
    let folder = scratch("bad-zones");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("zones.geojson"),
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "harbour", "population": 500},
             "geometry": {"type": "Polygon", "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.0]]]}},
            {"type": "Feature", "properties": {"name": "old town", "population": 800},
             "geometry": {"type": "Polygon", "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.1]]]}}]}"#,
    )
    .unwrap();
    let scenario = folder.join("scenario.yaml");
    std::fs::write(
        &scenario,
        "name: z\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
         raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: c}]\n\
         warning: {zones: {geojson: zones.geojson, shelter_time_s: 90}}\n",
    )
    .unwrap();
    let out = scratch("bad-zones-out");
    let run = skyshield(&[
        "run",
        scenario.to_str().unwrap(),
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "scenario.yaml:4:28: GeoJSON file `zones.geojson`, feature 1 (`old town`): ring 0 is not closed"
        ),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "no output folder for a refused scenario");
    let check = skyshield(&["validate", scenario.to_str().unwrap()]);
    assert_eq!(check.code, 2, "{}", check.stderr);
}
