//! The per-threat and replay outputs: events.parquet, impacts.geojson, replay.czml, replay.kml,
//! alerts.geojson, checked as a reader of each format would read them.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arrow_array::{Array, StringArray, UInt32Array, UInt64Array};
use jiff::Timestamp;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;
use skyshield_engine::{EngineEvent, Fate, LeakCause, Outcome, Prepared, prepare};
use skyshield_mc::{Batch, BatchOptions, representative_run, run_batch};
use skyshield_report::tables::events_table;
use skyshield_report::zones::{alerts_geojson, zones_geojson};
use skyshield_report::{
    DEFAULT_EPOCH, Replay, impacts_geojson, replay_czml, replay_kml, write_parquet,
};

const RUNS: u64 = 20;
const SEED: u64 = 4;

fn default_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml")
}

/// The default scenario, with `extra` lines added at the top.
fn prepared_with(extra: &str) -> Prepared {
    let text = std::fs::read_to_string(default_path()).expect("default scenario");
    let scenario = skyshield_scenario::from_str(&format!("{extra}{text}"), &default_path())
        .unwrap_or_else(|d| panic!("{d}"));
    prepare(&scenario).expect("prepares")
}

/// The default scenario and a batch of it with every run sampled.
fn fixture() -> &'static (Prepared, Batch) {
    static FIXTURE: OnceLock<(Prepared, Batch)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let prepared = prepared_with("");
        let opts = BatchOptions {
            runs: RUNS,
            seed: SEED,
            threads: 2,
            keep_runs: false,
            sample_runs: RUNS,
            sample_parameters: true,
        };
        let batch = run_batch(&prepared, &opts, skyshield_mc::Execution::default())
            .expect("the batch runs");
        (prepared, batch)
    })
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("skyshield-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn representative(prepared: &Prepared, batch: &Batch) -> Replay {
    let k = representative_run(&batch.sample).expect("a sample");
    Replay::play(prepared, SEED, k, true)
}

#[test]
fn replaying_a_sampled_run_alone_gives_its_outcome_in_the_batch() {
    let (prepared, batch) = fixture();
    for k in [0, 7, RUNS - 1] {
        let replay = Replay::play(prepared, SEED, k, true);
        assert_eq!(
            format!("{:?}", replay.outcome),
            format!("{:?}", batch.sample[k as usize]),
            "run {k}"
        );
        assert!(!replay.events.is_empty());
    }
}

fn with_leakers(counts: &[usize]) -> Vec<Outcome> {
    counts
        .iter()
        .enumerate()
        .map(|(k, &n)| {
            let mut o = Outcome {
                run: k as u64,
                ..Outcome::default()
            };
            o.threats = (0..n)
                .map(|_| skyshield_engine::ThreatOutcome {
                    fate: Fate::Leaked,
                    launch_s: 0.0,
                    shots: 0,
                    time_s: 1.0,
                    lat_deg: 0.0,
                    lon_deg: 0.0,
                    height_m: 0.0,
                    battery: None,
                    asset: None,
                    debris: None,
                    leak_cause: Some(skyshield_engine::LeakCause::NeverDetected),
                })
                .collect();
            o.tally = skyshield_engine::Tally::of(&o.threats);
            o
        })
        .collect()
}

#[test]
fn the_representative_run_has_the_median_leaker_count_and_the_lowest_index() {
    assert_eq!(representative_run(&with_leakers(&[3, 1, 2, 2, 5])), Some(2));
    // Even sample: the lower median (2 of 1, 2, 3, 4).
    assert_eq!(representative_run(&with_leakers(&[4, 1, 3, 2])), Some(3));
    assert_eq!(representative_run(&with_leakers(&[0, 0, 0])), Some(0));
    assert_eq!(representative_run(&[]), None);
}

/// Reads a Parquet file into its columns, concatenated over record batches.
struct Table {
    rows: usize,
    fate: Vec<String>,
    run: Vec<u64>,
    threat: Vec<u32>,
    shots: Vec<u32>,
    leak_cause: Vec<Option<String>>,
    battery_nulls: usize,
    debris_nulls: usize,
    columns: Vec<String>,
}

fn read_events(path: &Path) -> Table {
    let file = std::fs::File::open(path).expect("events.parquet");
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("a Parquet file")
        .build()
        .expect("reader");
    let mut t = Table {
        rows: 0,
        fate: Vec::new(),
        run: Vec::new(),
        threat: Vec::new(),
        shots: Vec::new(),
        leak_cause: Vec::new(),
        battery_nulls: 0,
        debris_nulls: 0,
        columns: Vec::new(),
    };
    for batch in reader {
        let batch = batch.expect("record batch");
        t.columns = batch
            .schema()
            .fields()
            .iter()
            .map(|f| format!("{}:{}:{}", f.name(), f.data_type(), f.is_nullable()))
            .collect();
        t.rows += batch.num_rows();
        let col = |name: &str| batch.column_by_name(name).expect(name).clone();
        let fate = col("fate");
        let fate = fate.as_any().downcast_ref::<StringArray>().expect("utf8");
        t.fate
            .extend(fate.iter().map(|f| f.expect("fate").to_string()));
        let cause = col("leak_cause");
        let cause = cause.as_any().downcast_ref::<StringArray>().expect("utf8");
        t.leak_cause
            .extend(cause.iter().map(|c| c.map(str::to_string)));
        let run = col("run");
        t.run.extend(
            run.as_any()
                .downcast_ref::<UInt64Array>()
                .expect("u64")
                .values(),
        );
        for (name, out) in [("threat", &mut t.threat), ("shots", &mut t.shots)] {
            let c = col(name);
            out.extend(
                c.as_any()
                    .downcast_ref::<UInt32Array>()
                    .expect("u32")
                    .values(),
            );
        }
        t.battery_nulls += col("battery").null_count();
        t.debris_nulls += col("debris_lat_deg").null_count();
    }
    t
}

#[test]
fn events_parquet_has_a_row_per_threat_per_run_and_the_summary_fates() {
    let (prepared, batch) = fixture();
    let dir = scratch("events");
    let path = dir.join("events.parquet");
    let table = events_table(prepared, &batch.sample).expect("a table");
    write_parquet(&path, &table).expect("written");
    let t = read_events(&path);
    assert_eq!(
        t.columns,
        [
            "run:UInt64:false",
            "threat:UInt32:false",
            "group:Utf8:false",
            "type:Utf8:false",
            "class:Utf8:false",
            "launch_s:Float64:false",
            "fate:Utf8:false",
            "leak_cause:Utf8:true",
            "end_s:Float64:false",
            "lat_deg:Float64:false",
            "lon_deg:Float64:false",
            "height_m:Float64:false",
            "battery:Utf8:true",
            "asset:Utf8:true",
            "debris_lat_deg:Float64:true",
            "debris_lon_deg:Float64:true",
            "shots:UInt32:false",
            "launch_utc:Timestamp(ms, \"UTC\"):true",
            "end_utc:Timestamp(ms, \"UTC\"):true",
        ]
    );
    let threats = prepared.threats.len();
    assert_eq!(t.rows, threats * RUNS as usize);
    assert!(t.run.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(t.threat[threats + 3], 3);
    let mut counts: BTreeMap<&str, f64> = BTreeMap::new();
    for f in &t.fate {
        *counts.entry(f.as_str()).or_default() += 1.0;
    }
    let fates = &batch.summary.fates;
    for (name, mean) in [
        ("intercepted", fates.intercepted),
        ("leaked", fates.leaked),
        ("ignored_open_area", fates.ignored_open_area),
        ("failed_in_flight", fates.failed_in_flight),
    ] {
        let per_run = counts.get(name).copied().unwrap_or(0.0) / RUNS as f64;
        assert!((per_run - mean).abs() < 1e-9, "{name}: {per_run} vs {mean}");
    }
    // A cause for every leaker and for no other threat; per run, the summary's leak causes.
    let mut causes: BTreeMap<&str, f64> = BTreeMap::new();
    for (fate, cause) in t.fate.iter().zip(&t.leak_cause) {
        assert_eq!(
            fate == "leaked",
            cause.is_some(),
            "{fate} with cause {cause:?}"
        );
        if let Some(c) = cause {
            *causes.entry(c.as_str()).or_default() += 1.0;
        }
    }
    let summary_causes = batch.summary.leak_causes.expect("leak causes");
    assert!(fates.leaked > 0.0, "the default scenario has leakers");
    for (cause, mean) in summary_causes.iter() {
        let per_run = causes.remove(cause.name()).unwrap_or(0.0) / RUNS as f64;
        assert!(
            (per_run - mean).abs() < 1e-9,
            "{}: {per_run} vs {mean}",
            cause.name()
        );
    }
    assert!(
        causes.is_empty(),
        "causes that are not a LeakCause: {causes:?}"
    );
    let intercepted = counts["intercepted"] as usize;
    assert_eq!(t.battery_nulls, t.rows - intercepted);
    assert_eq!(t.debris_nulls, t.rows - intercepted);
    let shots: u32 = t.shots.iter().sum();
    let fired: u32 = batch
        .sample
        .iter()
        .flat_map(|o| &o.batteries)
        .map(|b| b.shots)
        .sum();
    assert_eq!(shots, fired);
}

#[test]
fn impacts_geojson_is_a_feature_collection_of_points_consistent_with_the_fates() {
    let (prepared, batch) = fixture();
    let text = impacts_geojson(prepared, &batch.sample).to_string();
    let fc: geojson::FeatureCollection = text.parse().expect("a FeatureCollection");
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for f in &fc.features {
        let geometry = f.geometry.as_ref().expect("geometry");
        let geojson::GeometryValue::Point { coordinates } = &geometry.value else {
            panic!("not a point: {geometry:?}");
        };
        let [lon, lat] = coordinates.as_slice() else {
            panic!("not [lon, lat]: {coordinates:?}");
        };
        assert!((-180.0..=180.0).contains(lon) && (-90.0..=90.0).contains(lat));
        let kind = f.property("kind").and_then(Value::as_str).expect("kind");
        for key in ["run", "threat", "group", "type", "fate", "time_s"] {
            assert!(f.property(key).is_some(), "{kind} lacks {key}");
        }
        let fate = f.property("fate").and_then(Value::as_str).expect("fate");
        match kind {
            "impact" => {
                assert!(fate == "leaked" || fate == "ignored_open_area");
                let cause = f.property("leak_cause").and_then(Value::as_str);
                assert_eq!(cause.is_some(), fate == "leaked", "{fate}: {cause:?}");
                assert!(
                    cause.is_none_or(|c| LeakCause::ALL.iter().any(|k| k.name() == c)),
                    "{cause:?}"
                );
            }
            "intercept" => {
                assert_eq!(fate, "intercepted");
                assert!(
                    f.property("height_m")
                        .and_then(Value::as_f64)
                        .expect("height")
                        > 0.0
                );
                assert!(f.property("battery").and_then(Value::as_str).is_some());
            }
            "debris" => assert_eq!(fate, "intercepted"),
            other => panic!("unknown kind {other}"),
        }
        *kinds.entry(kind.to_string()).or_default() += 1;
    }
    let count = |fate| batch.sample.iter().map(|o| o.count(fate)).sum::<usize>();
    assert_eq!(kinds["intercept"], count(Fate::Intercepted));
    assert_eq!(kinds["debris"], count(Fate::Intercepted));
    assert_eq!(
        kinds["impact"],
        count(Fate::Leaked) + count(Fate::IgnoredOpenArea)
    );
    let hits = fc
        .features
        .iter()
        .filter(|f| f.property("asset").is_some())
        .count();
    let asset_hits: usize = batch
        .sample
        .iter()
        .flat_map(|o| &o.threats)
        .filter(|t| t.asset.is_some())
        .count();
    assert_eq!(hits, asset_hits);
}

fn time(text: &str) -> Timestamp {
    text.parse()
        .unwrap_or_else(|e| panic!("not an ISO 8601 instant: {text}: {e}"))
}

/// An ISO 8601 interval `start/stop` with start <= stop.
fn interval(text: &str) -> (Timestamp, Timestamp) {
    let (a, b) = text.split_once('/').expect("start/stop");
    let (a, b) = (time(a), time(b));
    assert!(a <= b, "{text}");
    (a, b)
}

/// Checks a CZML document as CesiumJS reads it; returns its packets by id.
fn check_czml(doc: &Value) -> BTreeMap<String, Value> {
    let packets = doc.as_array().expect("an array of packets");
    let document = &packets[0];
    assert_eq!(document["id"], "document");
    assert_eq!(document["version"], "1.0");
    let clock = interval(
        document["clock"]["interval"]
            .as_str()
            .expect("clock interval"),
    );
    assert_eq!(
        time(
            document["clock"]["currentTime"]
                .as_str()
                .expect("currentTime")
        ),
        clock.0
    );
    assert!(
        document["clock"]["multiplier"]
            .as_f64()
            .expect("multiplier")
            >= 1.0
    );
    let mut ids = HashSet::new();
    let mut by_id = BTreeMap::new();
    for p in packets {
        let id = p["id"].as_str().expect("id").to_string();
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        if id == "document" {
            continue;
        }
        let (a, b) = interval(p["availability"].as_str().expect("availability"));
        assert!(clock.0 <= a && b <= clock.1, "{id} outside the clock");
        if let Some(polygon) = p.get("polygon") {
            check_ring(&id, &polygon["positions"]["cartographicDegrees"]);
            for hole in polygon["holes"]["cartographicDegrees"]
                .as_array()
                .expect("holes")
            {
                check_ring(&id, hole);
            }
            by_id.insert(id, p.clone());
            continue;
        }
        let position = &p["position"];
        let coords = position["cartographicDegrees"]
            .as_array()
            .expect("cartographicDegrees");
        if coords.len() == 3 {
            check_lon_lat_h(coords[0].as_f64(), coords[1].as_f64(), coords[2].as_f64());
        } else {
            assert_eq!(coords.len() % 4, 0, "{id}");
            let epoch = time(position["epoch"].as_str().expect("epoch"));
            let mut last = f64::NEG_INFINITY;
            for s in coords.chunks(4) {
                let t = s[0].as_f64().expect("time");
                assert!(t > last, "{id}: sample times not increasing");
                last = t;
                check_lon_lat_h(s[1].as_f64(), s[2].as_f64(), s[3].as_f64());
            }
            let first = coords[0].as_f64().expect("time");
            let delta = |at: Timestamp| at.duration_since(epoch).as_secs_f64();
            assert!(
                (delta(a) - first).abs() < 1e-3,
                "{id} starts at its availability"
            );
            assert!(
                (delta(b) - last).abs() < 1e-3,
                "{id} ends at its availability"
            );
        }
        by_id.insert(id, p.clone());
    }
    by_id
}

/// Checks a polygon ring of `cartographicDegrees` (longitude, latitude, height 0): at least
/// three vertices, the first not repeated at the end (Cesium closes rings), a non-zero area.
fn check_ring(id: &str, ring: &Value) {
    let v: Vec<f64> = ring
        .as_array()
        .expect("a ring")
        .iter()
        .map(|x| x.as_f64().expect("number"))
        .collect();
    assert_eq!(v.len() % 3, 0, "{id}");
    let points: Vec<&[f64]> = v.chunks(3).collect();
    assert!(points.len() >= 3, "{id}: {} vertices", points.len());
    assert_ne!(
        points[0],
        points[points.len() - 1],
        "{id}: ring repeats its first vertex"
    );
    for p in &points {
        check_lon_lat_h(Some(p[0]), Some(p[1]), Some(p[2]));
        assert_eq!(p[2], 0.0, "{id}: a zone lies on the ground");
    }
    let n = points.len();
    let area: f64 = (0..n)
        .map(|i| {
            let (a, b) = (points[i], points[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum();
    assert!(area.abs() > 0.0, "{id}: a ring of no area");
}

fn check_lon_lat_h(lon: Option<f64>, lat: Option<f64>, h: Option<f64>) {
    let (lon, lat, h) = (lon.expect("lon"), lat.expect("lat"), h.expect("h"));
    assert!((-180.0..=180.0).contains(&lon), "lon {lon}");
    assert!((-90.0..=90.0).contains(&lat), "lat {lat}");
    assert!((-500.0..3.0e6).contains(&h), "height {h}");
}

#[test]
fn the_czml_replay_is_valid_and_has_a_packet_per_threat_and_interceptor() {
    let (prepared, batch) = fixture();
    let replay = representative(prepared, batch);
    let doc = replay_czml(prepared, &replay).expect("czml");
    let packets = check_czml(&doc);
    let o = &replay.outcome;
    let count = |prefix: &str| packets.keys().filter(|k| k.starts_with(prefix)).count();
    assert_eq!(count("threat-"), prepared.threats.len());
    let launches = replay
        .events
        .iter()
        .filter(|e| matches!(e, EngineEvent::InterceptorLaunch { .. }))
        .count();
    assert!(launches > 0);
    assert_eq!(count("interceptor-"), launches);
    let attempts = replay
        .events
        .iter()
        .filter(|e| matches!(e, EngineEvent::Intercept { .. }))
        .count();
    assert_eq!(count("intercept-"), attempts);
    assert_eq!(
        count("impact-"),
        o.count(Fate::Leaked) + o.count(Fate::IgnoredOpenArea)
    );
    // A threat's track ends where and when the threat ended in the run.
    for (i, t) in o.threats.iter().enumerate() {
        let coords = packets[&format!("threat-{i}")]["position"]["cartographicDegrees"]
            .as_array()
            .expect("samples")
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .collect::<Vec<_>>();
        let end = &coords[coords.len() - 4..];
        assert!((end[0] - t.time_s).abs() < 1e-3, "threat {i} end time");
        assert!((end[1] - t.lon_deg).abs() < 1e-5 && (end[2] - t.lat_deg).abs() < 1e-5);
        assert!(
            (coords[0] - t.launch_s).abs() < 1e-3,
            "threat {i} launch time"
        );
    }
    // No `start`: dated from 2000-01-01, and the description says so.
    let document = &doc[0];
    assert_eq!(
        time(
            document["clock"]["interval"]
                .as_str()
                .expect("interval")
                .split('/')
                .next()
                .expect("start")
        )
        .duration_since(DEFAULT_EPOCH)
        .as_secs_f64()
        .round(),
        o.threats
            .iter()
            .map(|t| t.launch_s)
            .fold(f64::INFINITY, f64::min)
            .round()
    );
    assert!(
        document["description"]
            .as_str()
            .expect("description")
            .contains("gives no start")
    );
}

#[test]
fn the_scenario_start_dates_the_replay() {
    let prepared = prepared_with("start: 2024-10-01T16:30:00Z\n");
    let replay = Replay::play(&prepared, SEED, 0, true);
    let doc = replay_czml(&prepared, &replay).expect("czml");
    check_czml(&doc);
    let first_launch = replay
        .outcome
        .threats
        .iter()
        .map(|t| t.launch_s)
        .fold(f64::INFINITY, f64::min);
    let clock_start = time(
        doc[0]["clock"]["interval"]
            .as_str()
            .expect("interval")
            .split('/')
            .next()
            .expect("start"),
    );
    let start: Timestamp = "2024-10-01T16:30:00Z".parse().expect("timestamp");
    assert!((clock_start.duration_since(start).as_secs_f64() - first_launch).abs() < 1e-3);
    assert_eq!(doc[1]["position"]["epoch"], "2024-10-01T16:30:00Z");
}

#[test]
fn the_kml_replay_is_well_formed_with_the_expected_placemarks() {
    let (prepared, batch) = fixture();
    let replay = representative(prepared, batch);
    let text = replay_kml(prepared, &replay).expect("kml");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let kml = xml.root_element();
    assert_eq!(kml.tag_name().name(), "kml");
    assert_eq!(
        kml.tag_name().namespace(),
        Some("http://www.opengis.net/kml/2.2")
    );
    let document = kml
        .children()
        .find(|n| n.has_tag_name("Document"))
        .expect("Document");
    let folders: BTreeMap<String, usize> = document
        .children()
        .filter(|n| n.has_tag_name("Folder"))
        .map(|f| {
            let name = f
                .children()
                .find(|n| n.has_tag_name("name"))
                .and_then(|n| n.text())
                .expect("folder name")
                .to_string();
            let placemarks = f.children().filter(|n| n.has_tag_name("Placemark")).count();
            (name, placemarks)
        })
        .collect();
    let o = &replay.outcome;
    let events = |f: fn(&EngineEvent) -> bool| replay.events.iter().filter(|e| f(e)).count();
    assert_eq!(folders["Threats"], prepared.threats.len());
    assert_eq!(
        folders["Interceptors"],
        events(|e| matches!(e, EngineEvent::InterceptorLaunch { .. }))
    );
    assert_eq!(
        folders["Intercepts"],
        events(|e| matches!(e, EngineEvent::Intercept { .. }))
    );
    assert_eq!(
        folders["Impacts"],
        o.count(Fate::Leaked) + o.count(Fate::IgnoredOpenArea)
    );
    let gx = "http://www.google.com/kml/ext/2.2";
    let mut tracks = 0;
    for track in xml
        .descendants()
        .filter(|n| n.tag_name().name() == "Track" && n.tag_name().namespace() == Some(gx))
    {
        tracks += 1;
        let whens: Vec<Timestamp> = track
            .children()
            .filter(|n| n.has_tag_name("when"))
            .map(|n| time(n.text().expect("when")))
            .collect();
        let coords: Vec<&str> = track
            .children()
            .filter(|n| n.tag_name().name() == "coord")
            .map(|n| n.text().expect("coord"))
            .collect();
        assert_eq!(whens.len(), coords.len());
        assert!(
            whens.windows(2).all(|w| w[0] < w[1]),
            "when strictly increasing"
        );
        for c in coords {
            let v: Vec<f64> = c.split(' ').map(|x| x.parse().expect("number")).collect();
            check_lon_lat_h(v.first().copied(), v.get(1).copied(), v.get(2).copied());
        }
    }
    assert_eq!(tracks, prepared.threats.len());
}

#[test]
fn kml_escapes_names_with_xml_metacharacters() {
    let (prepared, batch) = fixture();
    let mut renamed = prepared.clone();
    renamed.name = "Q&A <\"raid\"> 'one'".to_string();
    let replay = representative(prepared, batch);
    let text = replay_kml(&renamed, &replay).expect("kml");
    let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
    let name = xml
        .descendants()
        .find(|n| n.has_tag_name("name"))
        .and_then(|n| n.text())
        .expect("document name");
    assert_eq!(
        name,
        format!("Q&A <\"raid\"> 'one': run {}", replay.outcome.run)
    );
}

/// The zones whose siren sounded in `replay`, from its `Siren` events: zone index → time of
/// its first siren.
fn first_sirens(replay: &Replay) -> BTreeMap<usize, f64> {
    let mut first = BTreeMap::new();
    for e in &replay.events {
        if let EngineEvent::Siren { zone, time_s, .. } = *e {
            let t = first.entry(zone).or_insert(time_s);
            *t = t.min(time_s);
        }
    }
    first
}

/// What befell an alerted zone, as the replay colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum State {
    Alerted,
    TooLate,
    FalseAlarm,
}

fn seconds_since(epoch: Timestamp, at: Timestamp) -> f64 {
    at.duration_since(epoch).as_secs_f64()
}

#[test]
fn every_zone_alerted_in_a_run_is_drawn_and_listed_and_no_other() {
    let (prepared, _) = fixture();
    let plan = prepared.warning.as_ref().expect("warning zones");
    let zone_index = |name: &str| {
        plan.zones
            .iter()
            .position(|z| z.name == name)
            .unwrap_or_else(|| panic!("no zone {name}"))
    };
    let mut colours: BTreeMap<State, HashSet<Vec<u64>>> = BTreeMap::new();
    let mut alerted = 0;
    for k in 0..RUNS {
        let replay = Replay::play(prepared, SEED, k, true);
        let o = &replay.outcome;
        let sirens = first_sirens(&replay);
        alerted += sirens.len();
        let state = |z: usize| {
            let tally = &o.warning.zones[z];
            match (tally.too_late, tally.impacts) {
                (true, _) => State::TooLate,
                (false, 0) => State::FalseAlarm,
                (false, _) => State::Alerted,
            }
        };
        let first_impact = |z: usize| {
            o.warning
                .impacts
                .iter()
                .filter(|i| i.zone == z)
                .min_by(|a, b| a.time_s.total_cmp(&b.time_s))
        };

        // CZML: a polygon per alerted zone (a grid cell has one part), from its first siren to
        // the end of the clock.
        let doc = replay_czml(prepared, &replay).expect("czml");
        let packets = check_czml(&doc);
        let clock_end = interval(doc[0]["clock"]["interval"].as_str().expect("clock")).1;
        let drawn: BTreeMap<usize, &Value> = packets
            .iter()
            .filter_map(|(id, p)| {
                let z = id.strip_prefix("zone-")?.parse().expect("zone-<index>");
                Some((z, p))
            })
            .collect();
        assert_eq!(
            drawn.keys().collect::<Vec<_>>(),
            sirens.keys().collect::<Vec<_>>(),
            "run {k}: the zones drawn are the zones that sounded"
        );
        for (&z, p) in &drawn {
            let zone = &plan.zones[z];
            assert_eq!(p["name"], zone.name.as_str());
            let (from, to) = interval(p["availability"].as_str().expect("availability"));
            assert!((seconds_since(DEFAULT_EPOCH, from) - sirens[&z]).abs() < 1e-3);
            assert_eq!(to, clock_end);
            let ring = p["polygon"]["positions"]["cartographicDegrees"]
                .as_array()
                .expect("ring");
            let corner = &zone.polygons[0][0][0];
            assert!((ring[0].as_f64().expect("lon") - corner.lon_deg()).abs() < 1e-6);
            assert!((ring[1].as_f64().expect("lat") - corner.lat_deg()).abs() < 1e-6);
            assert_eq!(ring.len(), 3 * zone.polygons[0][0].len());
            let description = p["description"].as_str().expect("description");
            assert!(description.contains(&format!("{:.0} people", zone.population)));
            assert!(description.contains(&format!("{:.1} s for", sirens[&z])));
            assert_eq!(
                description.contains("Warned too late"),
                state(z) == State::TooLate
            );
            assert_eq!(
                description.contains("false alarm"),
                state(z) == State::FalseAlarm
            );
            if let Some(impact) = first_impact(z) {
                assert!(description.contains(&format!("{:.1} s of lead", impact.lead_s)));
            }
            let colour: Vec<u64> = p["polygon"]["material"]["solidColor"]["color"]["rgba"]
                .as_array()
                .expect("rgba")
                .iter()
                .map(|c| c.as_u64().expect("0-255"))
                .collect();
            assert!(colour[3] < 255, "a zone's fill is translucent");
            colours.entry(state(z)).or_default().insert(colour);
        }

        // KML: a Placemark per alerted zone in the Sirens folder, with a closed ring.
        let text = replay_kml(prepared, &replay).expect("kml");
        let xml = roxmltree::Document::parse(&text).expect("well-formed XML");
        let folder = xml
            .descendants()
            .find(|n| {
                n.has_tag_name("Folder")
                    && n.children()
                        .any(|c| c.has_tag_name("name") && c.text() == Some("Sirens"))
            })
            .expect("a Sirens folder");
        let mut placed = BTreeMap::new();
        for placemark in folder.children().filter(|n| n.has_tag_name("Placemark")) {
            let text_of = |tag: &str| {
                placemark
                    .descendants()
                    .find(|n| n.has_tag_name(tag))
                    .and_then(|n| n.text())
                    .unwrap_or_else(|| panic!("no {tag}"))
            };
            let z = zone_index(text_of("name"));
            let begin = seconds_since(DEFAULT_EPOCH, time(text_of("begin")));
            let ring: Vec<&str> = text_of("coordinates").split_whitespace().collect();
            assert_eq!(ring.first(), ring.last(), "a KML ring is closed");
            assert_eq!(ring.len(), plan.zones[z].polygons[0][0].len() + 1);
            placed.insert(z, begin);
        }
        assert_eq!(placed.len(), sirens.len(), "run {k}");
        for (z, begin) in &placed {
            assert!((begin - sirens[z]).abs() < 1e-3, "run {k}: zone {z}");
        }

        // alerts.geojson: a Feature per alerted zone.
        let text = alerts_geojson(prepared, o).expect("the scenario has zones");
        let fc: geojson::FeatureCollection = text.parse().expect("a FeatureCollection");
        let mut listed = BTreeMap::new();
        for f in &fc.features {
            let name = f.property("name").and_then(Value::as_str).expect("name");
            let z = zone_index(name);
            // Numbers read back within a last digit: serde_json parses floats fast, not exactly.
            let number = |key: &str, expected: Option<f64>| {
                let got = f.property(key).and_then(Value::as_f64);
                let close = match (got, expected) {
                    (Some(a), Some(b)) => (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                    (a, b) => a == b,
                };
                assert!(close, "run {k}: {name}: {key} {got:?} vs {expected:?}");
            };
            number("siren_s", Some(sirens[&z]));
            number("population", Some(plan.zones[z].population));
            number("shelter_time_s", Some(plan.zones[z].shelter_time_s));
            number("lead_s", first_impact(z).map(|i| i.lead_s));
            assert_eq!(f.property("run"), Some(&Value::from(k)));
            assert_eq!(
                f.property("too_late"),
                Some(&Value::Bool(state(z) == State::TooLate))
            );
            assert_eq!(
                f.property("false_alarm"),
                Some(&Value::Bool(state(z) == State::FalseAlarm))
            );
            let Some(geojson::GeometryValue::Polygon { coordinates }) =
                f.geometry.as_ref().map(|g| &g.value)
            else {
                panic!("a grid cell is one polygon")
            };
            let ring = &coordinates[0];
            assert_eq!(ring.first(), ring.last(), "a GeoJSON ring is closed");
            listed.insert(z, ());
        }
        assert_eq!(
            listed.keys().collect::<Vec<_>>(),
            sirens.keys().collect::<Vec<_>>(),
            "run {k}"
        );
    }
    assert!(alerted > 0, "no siren in {RUNS} runs");
    // These runs have zones of all three states, one colour each, a different one for each.
    let all: HashSet<&Vec<u64>> = colours.values().flatten().collect();
    assert_eq!(colours.len(), 3, "{colours:?}");
    assert!(colours.values().all(|c| c.len() == 1), "{colours:?}");
    assert_eq!(all.len(), 3, "{colours:?}");
}

#[test]
fn a_scenario_without_warning_draws_and_lists_no_zone() {
    let (prepared, batch) = fixture();
    let text = std::fs::read_to_string(default_path()).expect("default scenario");
    let (without, rest) = text.split_once("\nwarning:").expect("a warning section");
    assert!(
        rest.lines()
            .skip(1)
            .all(|l| l.trim().is_empty() || l.starts_with(' ')),
        "the warning section is the last"
    );
    let scenario =
        skyshield_scenario::from_str(without, &default_path()).unwrap_or_else(|d| panic!("{d}"));
    let bare = prepare(&scenario).expect("prepares");
    assert!(bare.warning.is_none());
    let replay = Replay::play(&bare, SEED, 0, true);
    let packets = check_czml(&replay_czml(&bare, &replay).expect("czml"));
    assert!(packets.keys().all(|id| !id.starts_with("zone-")));
    assert!(!replay_kml(&bare, &replay).expect("kml").contains("Sirens"));
    assert_eq!(alerts_geojson(&bare, &replay.outcome), None);
    let warning = batch.summary.warning.as_ref().expect("warning summary");
    assert_eq!(zones_geojson(&bare, warning), None);
    // The same run with warning zones does list its alerts (possibly none).
    assert!(alerts_geojson(prepared, &batch.sample[0]).is_some());
}
