//! The output folder of `skyshield run --out` and `skyshield replay --out`: every file, written
//! atomically, summary.json last, consistent with each other.

use std::collections::BTreeMap;
use std::path::Path;

mod common;

use arrow_array::{Array, StringArray};
use common::{repo, scratch, skyshield};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("output folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("file")).expect("JSON")
}

/// The `fate` column of events.parquet.
fn fates(path: &Path) -> Vec<String> {
    let file = std::fs::File::open(path).expect("events.parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("Parquet")
        .build()
        .expect("reader");
    let mut fates = Vec::new();
    for batch in reader {
        let batch = batch.expect("batch");
        let column = batch.column_by_name("fate").expect("fate column");
        let column = column.as_any().downcast_ref::<StringArray>().expect("utf8");
        fates.extend(column.iter().map(|f| f.expect("fate").to_string()));
    }
    fates
}

#[test]
fn run_out_writes_every_file_consistently_and_the_summary_last() {
    let dir = scratch("all");
    let scenario = repo("tests/data/layered.yaml");
    let run = skyshield(&[
        "run",
        scenario.to_str().unwrap(),
        "--runs",
        "20",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files(&dir),
        [
            ".skyshield-run",
            "events.parquet",
            "impacts.geojson",
            "replay.czml",
            "replay.kml",
            "runs.parquet",
            "scenario.yaml",
            "summary.json",
            "zones.geojson",
        ]
    );
    let stdout: Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    let summary = read_json(&dir.join("summary.json"));
    assert_eq!(summary["version"], env!("CARGO_PKG_VERSION"));
    let representative = summary["representative_run"]
        .as_u64()
        .expect("representative_run");
    assert!(representative < 20);
    assert_eq!(stdout["representative_run"], summary["representative_run"]);
    assert_eq!(stdout["leakers"], summary["leakers"]);
    assert_eq!(
        std::fs::read(dir.join("scenario.yaml")).unwrap(),
        std::fs::read(&scenario).unwrap()
    );

    // events.parquet: every threat of every run (the sample is all 20 runs), with the fates of
    // the summary.
    let threats = summary["threats"].as_u64().unwrap() as usize;
    let fates = fates(&dir.join("events.parquet"));
    assert_eq!(fates.len(), threats * 20);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &fates {
        *counts.entry(f.as_str()).or_default() += 1;
    }
    for name in [
        "intercepted",
        "leaked",
        "ignored_open_area",
        "failed_in_flight",
    ] {
        let per_run = counts.get(name).copied().unwrap_or(0) as f64 / 20.0;
        let mean = summary["fates"][name].as_f64().unwrap();
        assert!((per_run - mean).abs() < 1e-9, "{name}: {per_run} vs {mean}");
    }

    // impacts.geojson: an intercept and a debris point per intercepted threat, an impact per
    // leaked or ignored one.
    let geojson = read_json(&dir.join("impacts.geojson"));
    assert_eq!(geojson["type"], "FeatureCollection");
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    // Coordinates to 1e-6° (about 0.1 m): no more than six decimals as written.
    let six_decimals = |x: &Value| {
        let text = x.to_string();
        text.split_once('.').is_none_or(|(_, d)| d.len() <= 6)
    };
    for f in geojson["features"].as_array().expect("features") {
        assert_eq!(f["geometry"]["type"], "Point");
        let point = f["geometry"]["coordinates"].as_array().expect("point");
        assert!(point.iter().all(six_decimals), "{point:?}");
        *kinds
            .entry(f["properties"]["kind"].as_str().expect("kind").to_string())
            .or_default() += 1;
    }
    assert_eq!(kinds["intercept"], counts["intercepted"]);
    assert_eq!(kinds["debris"], counts["intercepted"]);
    assert_eq!(
        kinds["impact"],
        counts["leaked"] + counts.get("ignored_open_area").copied().unwrap_or(0)
    );

    // zones.geojson: a polygon per warning zone, with the statistics of summary.json.
    let zones = read_json(&dir.join("zones.geojson"));
    let stats = summary["warning"]["zones"]
        .as_object()
        .expect("warning.zones");
    let features = zones["features"].as_array().expect("features");
    assert_eq!(features.len(), stats.len());
    assert_eq!(
        summary["warning"]["zone_count"].as_u64(),
        Some(features.len() as u64)
    );
    for f in features {
        assert_eq!(f["geometry"]["type"], "Polygon");
        let ring = f["geometry"]["coordinates"][0].as_array().expect("ring");
        assert!(ring.len() >= 4 && ring.first() == ring.last(), "{ring:?}");
        assert!(
            ring.iter()
                .flat_map(|p| p.as_array().expect("position"))
                .all(six_decimals),
            "{ring:?}"
        );
        let props = &f["properties"];
        let name = props["name"].as_str().expect("name");
        let zone = stats[name].as_object().expect("a zone of the summary");
        for (key, value) in zone {
            assert_eq!(&props[key], value, "{name}: {key}");
        }
    }

    // The replays are of the representative run.
    let czml = read_json(&dir.join("replay.czml"));
    assert_eq!(czml[0]["id"], "document");
    assert_eq!(czml[0]["version"], "1.0");
    assert!(
        czml[0]["name"]
            .as_str()
            .unwrap()
            .ends_with(&format!("run {representative}"))
    );
    let kml = std::fs::read_to_string(dir.join("replay.kml")).unwrap();
    assert!(kml.contains(&format!("run {representative}</name>")));

    // summary.json was written last.
    let modified = |name: &str| {
        std::fs::metadata(dir.join(name))
            .unwrap()
            .modified()
            .unwrap()
    };
    for name in files(&dir) {
        assert!(modified(&name) <= modified("summary.json"), "{name}");
    }
}

#[test]
fn sample_runs_sets_the_runs_of_events_parquet() {
    let dir = scratch("sample");
    let run = skyshield(&[
        "run",
        "--runs",
        "30",
        "--sample-runs",
        "5",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = read_json(&dir.join("summary.json"));
    let threats = summary["threats"].as_u64().unwrap() as usize;
    assert_eq!(fates(&dir.join("events.parquet")).len(), threats * 5);
    assert!(summary["representative_run"].as_u64().unwrap() < 5);
}

#[test]
fn an_abstract_scenario_writes_no_geographic_files() {
    let dir = scratch("abstract");
    let run = skyshield(&[
        "run",
        repo("scenarios/examples/abstract-two-layers.yaml")
            .to_str()
            .unwrap(),
        "--runs",
        "10",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files(&dir),
        [
            ".skyshield-run",
            "events.parquet",
            "runs.parquet",
            "scenario.yaml",
            "summary.json"
        ]
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_gives_exit_1_and_no_summary() {
    // A folder under a regular file cannot be created.
    let file = scratch("regular-file");
    std::fs::write(&file, "not a folder").unwrap();
    let out = file.join("out");
    let run = skyshield(&["run", "--runs", "5", "--out", out.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot create"), "{}", run.stderr);
    assert!(!out.exists());
}

#[test]
fn a_bad_start_is_refused_with_its_position() {
    let dir = scratch("bad-start");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(repo("scenarios/default.yaml")).unwrap();
    let file = dir.join("dated.yaml");
    std::fs::write(&file, format!("start: 2024-10-01 at noon\n{text}")).unwrap();
    let out = dir.join("out");
    let run = skyshield(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("dated.yaml:1:8: expected an RFC 3339 date-time"),
        "{}",
        run.stderr
    );
    assert!(!out.exists());
}

#[test]
fn replay_out_writes_the_run_as_geojson_czml_and_kml() {
    let dir = scratch("replay");
    let run = skyshield(&[
        "replay",
        repo("scenarios/default.yaml").to_str().unwrap(),
        "--run",
        "2",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files(&dir),
        [
            "alerts.geojson",
            "events.jsonl",
            "impacts.geojson",
            "replay.czml",
            "replay.kml"
        ]
    );
    let czml = read_json(&dir.join("replay.czml"));
    assert_eq!(czml[0]["id"], "document");
    assert!(czml[0]["name"].as_str().unwrap().ends_with("run 2"));
    let events = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let launches = events
        .lines()
        .filter(|l| l.contains("\"event\":\"interceptor_launch\""))
        .count();
    let interceptors = czml
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"].as_str().unwrap().starts_with("interceptor-"))
        .count();
    assert_eq!(interceptors, launches);
    let impacts = events
        .lines()
        .filter(|l| l.contains("\"event\":\"impact\""))
        .count();
    let geojson = read_json(&dir.join("impacts.geojson"));
    let impact_points = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "impact")
        .count();
    assert_eq!(impact_points, impacts);
    // The debris of each intercepted threat: a point in the CZML where impacts.geojson has it.
    let position = |v: &Value| {
        let c = v.as_array().expect("coordinates");
        (c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
    };
    let mut debris_points: Vec<(u64, (f64, f64))> = geojson["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["properties"]["kind"] == "debris")
        .map(|f| {
            let threat = f["properties"]["threat"].as_u64().unwrap();
            (threat, position(&f["geometry"]["coordinates"]))
        })
        .collect();
    let mut debris_marks: Vec<(u64, (f64, f64))> = czml
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| {
            let threat = p["id"].as_str()?.strip_prefix("debris-")?.parse().ok()?;
            Some((threat, position(&p["position"]["cartographicDegrees"])))
        })
        .collect();
    debris_points.sort_by_key(|d| d.0);
    debris_marks.sort_by_key(|d| d.0);
    assert!(!debris_points.is_empty());
    assert_eq!(debris_marks, debris_points);
    let kml = std::fs::read_to_string(dir.join("replay.kml")).unwrap();
    assert_eq!(
        kml.matches("<name>debris of ").count(),
        debris_points.len(),
        "a KML placemark per debris point"
    );
}

/// Names of the zones of `czml` drawn as alerted (packets `zone-<k>`).
fn czml_zones(czml: &Value) -> Vec<String> {
    let mut names: Vec<String> = czml
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"].as_str().unwrap().starts_with("zone-"))
        .map(|p| p["name"].as_str().expect("zone name").to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn replay_out_draws_and_lists_every_zone_that_sounded_and_no_other() {
    let dir = scratch("replay-alerts");
    let scenario = repo("tests/data/layered.yaml");
    let run = skyshield(&[
        "replay",
        scenario.to_str().unwrap(),
        "--run",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("alerts.geojson"), "{}", run.stderr);
    // The zones of the run's sirens, from its events.
    let mut sounded: Vec<String> = std::fs::read_to_string(dir.join("events.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("a JSON line"))
        .filter(|e| e["event"] == "siren")
        .map(|e| e["zone"].as_str().expect("zone name").to_string())
        .collect();
    sounded.sort();
    sounded.dedup();
    assert!(!sounded.is_empty(), "run 3 sounds no siren");
    assert_eq!(czml_zones(&read_json(&dir.join("replay.czml"))), sounded);
    let alerts = read_json(&dir.join("alerts.geojson"));
    let mut listed: Vec<String> = alerts["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            assert_eq!(f["properties"]["run"], 3);
            assert!(f["properties"]["siren_s"].is_number());
            f["properties"]["name"].as_str().expect("name").to_string()
        })
        .collect();
    listed.sort();
    assert_eq!(listed, sounded);
    let kml = std::fs::read_to_string(dir.join("replay.kml")).unwrap();
    let sirens = kml
        .split("<Folder><name>Sirens</name>")
        .nth(1)
        .expect("a Sirens folder");
    let sirens = &sirens[..sirens.find("</Folder>").expect("folder end")];
    assert_eq!(sirens.matches("<Placemark>").count(), sounded.len());
}

#[test]
fn a_scenario_without_warning_zones_writes_no_zone_files() {
    let dir = scratch("no-zones");
    std::fs::create_dir_all(&dir).unwrap();
    let text = std::fs::read_to_string(repo("scenarios/default.yaml")).unwrap();
    let (without, _) = text.split_once("\nwarning:").expect("a warning section");
    let file = dir.join("no-zones.yaml");
    std::fs::write(&file, without).unwrap();
    let out = dir.join("run");
    let run = skyshield(&[
        "run",
        file.to_str().unwrap(),
        "--runs",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(read_json(&out.join("summary.json"))["warning"].is_null());
    assert_eq!(
        files(&out),
        [
            ".skyshield-run",
            "events.parquet",
            "impacts.geojson",
            "replay.czml",
            "replay.kml",
            "runs.parquet",
            "scenario.yaml",
            "summary.json",
        ]
    );
    assert!(czml_zones(&read_json(&out.join("replay.czml"))).is_empty());
    let out = dir.join("replay");
    let run = skyshield(&[
        "replay",
        file.to_str().unwrap(),
        "--run",
        "0",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        files(&out),
        [
            "events.jsonl",
            "impacts.geojson",
            "replay.czml",
            "replay.kml"
        ]
    );
}
