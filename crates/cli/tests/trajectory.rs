//! `skyshield trajectory`, run as a user would.

mod common;

use common::skyshield;
use serde_json::Value;
use skyshield_scenario::catalog;

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let run = skyshield(&all);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("one JSON document on stdout")
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} missing in {v}"))
}

#[test]
fn generic_mrbm_from_western_iran_to_tel_aviv() {
    let doc = json(&[
        "trajectory",
        "--threat",
        "generic-mrbm",
        "--from",
        "34.3,47.1",
        "--to",
        "32.08,34.78",
    ]);
    for key in [
        "flight_time_s",
        "apogee_m",
        "range_m",
        "burnout_speed_m_s",
        "burnout_angle_deg",
        "max_speed_m_s",
        "reentry_speed_m_s",
    ] {
        assert!(num(&doc, key) > 0.0, "{key}");
    }
    assert!(num(&doc, "miss_m") < 50.0);
    let impact = doc["impact"].as_array().expect("impact [lat, lon]");
    assert!((impact[0].as_f64().unwrap() - 32.08).abs() < 1e-3);
    assert!((impact[1].as_f64().unwrap() - 34.78).abs() < 1e-3);
    let minutes = num(&doc, "flight_time_s") / 60.0;
    assert!((10.0..=13.5).contains(&minutes), "{minutes} min");
    let samples = doc["samples"].as_array().expect("samples");
    assert!(samples.len() > 600);
    for (k, s) in samples.iter().take(samples.len() - 1).enumerate() {
        assert_eq!(num(s, "t_s"), k as f64);
        for key in ["lat", "lon", "alt_m", "speed_m_s"] {
            assert!(s[key].is_number(), "{key}");
        }
    }
}

#[test]
fn sphere_vacuum_needs_no_threat_and_matches_the_textbook() {
    // 1,000 km on the sphere: the minimum-energy row of ballistic_vacuum.csv.
    let doc = json(&[
        "trajectory",
        "--from",
        "0,0",
        "--to",
        "0,8.993216059187306",
        "--earth",
        "sphere-vacuum",
    ]);
    assert!((num(&doc, "flight_time_s") - 474.360070).abs() < 0.05);
    assert!((num(&doc, "apogee_m") - 239938.4026).abs() < 10.0);
    assert!((num(&doc, "burnout_speed_m_s") - 3016.118307).abs() < 0.01);
    assert!((num(&doc, "burnout_angle_deg") - 42.75169599).abs() < 0.01);
}

#[test]
fn every_threat_type_of_the_catalog_flies() {
    for entry in catalog().threats() {
        let max_km = entry.number("max_range_km").unwrap().nominal;
        let min_km = entry.number("min_range_km").unwrap().nominal;
        // Due east along the equator, halfway between the type's shortest and longest range.
        let range_km = 0.5 * (min_km + max_km);
        let to = format!("0,{}", range_km / 111.319_490_793);
        let doc = json(&[
            "trajectory",
            "--threat",
            &entry.id,
            "--from",
            "0,0",
            "--to",
            &to,
        ]);
        assert!(
            num(&doc, "miss_m") < 50.0,
            "{}: miss {}",
            entry.id,
            num(&doc, "miss_m")
        );
    }
}

#[test]
fn lofted_and_depressed_shapes_take_an_apogee() {
    let base = [
        "trajectory",
        "--threat",
        "emad",
        "--from",
        "34.3,47.1",
        "--to",
        "32.08,34.78",
    ];
    let me = json(&base);
    let lofted = json(&[&base[..], &["--shape", "lofted"]].concat());
    let depressed = json(&[&base[..], &["--shape", "depressed", "--apogee-km", "200"]].concat());
    assert!(num(&lofted, "apogee_m") > num(&me, "apogee_m"));
    assert!((num(&depressed, "apogee_m") - 200e3).abs() < 1e3);
}

/// Bad input: a first line on stderr naming the argument and what is wrong with it (then, for
/// an argument that does not parse, clap's usage line), exit code 2, nothing on stdout.
fn refused(args: &[&str], argument: &str, words: &str) {
    let run = skyshield(args);
    assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
    assert_eq!(run.stdout, "");
    let first = run.stderr.lines().next().unwrap_or_default();
    assert!(first.contains(argument), "names {argument}: {}", run.stderr);
    assert!(first.contains(words), "says {words}: {}", run.stderr);
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn bad_arguments_are_refused_with_a_first_line_naming_them() {
    let t = ["trajectory", "--threat", "emad"];
    refused(
        &[&t[..], &["--from", "95,0", "--to", "32,35"]].concat(),
        "--from",
        "latitude",
    );
    refused(
        &[&t[..], &["--from", "34,47", "--to", "abc"]].concat(),
        "--to",
        "LAT,LON",
    );
    refused(
        &[&t[..], &["--from", "34,47", "--to", "32,nan"]].concat(),
        "--to",
        "longitude",
    );
    refused(
        &[
            "trajectory",
            "--threat",
            "emadd",
            "--from",
            "34,47",
            "--to",
            "32,35",
        ],
        "--threat",
        "did you mean `emad`",
    );
    refused(
        &[
            "trajectory",
            "--threat",
            "iron-dome",
            "--from",
            "34,47",
            "--to",
            "32,35",
        ],
        "--threat",
        "unknown threat type",
    );
    refused(
        &[&t[..], &["--from", "34.3,47.1", "--to", "35,10"]].concat(),
        "--to",
        "beyond the maximum range of 1700 km",
    );
    refused(
        &[&t[..], &["--from", "34.3,47.1", "--to", "34.3,47.2"]].concat(),
        "--to",
        "minimum range",
    );
    refused(
        &["trajectory", "--from", "34,47", "--to", "32,35"],
        "--threat",
        "needed",
    );
    refused(
        &[
            &t[..],
            &["--from", "34,47", "--to", "32,35", "--apogee-km", "-3"],
        ]
        .concat(),
        "--apogee-km",
        "positive",
    );
}

/// An Iskander-M at 300 km, as a user would ask for it: the JSON carries the fastest speed, the
/// impact speed and samples every second from launch to impact, and the figures that the
/// catalog compares with public ones (Mach 6-7, an apogee of about 50 km, a few minutes).
#[test]
fn an_iskander_at_300_km_flies_at_mach_6_to_7_under_its_ceiling_in_a_few_minutes() {
    // 300 km due west of 34.3° N, 47.1° E along the parallel's great circle (the solver lands
    // on the aim whatever the range; the range is checked below).
    let doc = json(&[
        "trajectory",
        "--threat",
        "iskander-m",
        "--from",
        "34.3,47.1",
        "--to",
        "34.22,43.85",
    ]);
    let range_km = num(&doc, "range_m") / 1e3;
    assert!((295.0..=305.0).contains(&range_km), "{range_km} km");
    assert!(num(&doc, "miss_m") < 50.0);
    let max = num(&doc, "max_speed_m_s");
    assert!(
        (1_900.0..=2_800.0).contains(&max),
        "maximum speed {max} m/s"
    );
    let impact = num(&doc, "impact_speed_m_s");
    assert!(impact > 0.0 && impact < max, "impact speed {impact} m/s");
    let ceiling_km = catalog()
        .get("iskander-m")
        .unwrap()
        .number("max_apogee_km")
        .unwrap()
        .nominal;
    assert!(num(&doc, "apogee_m") <= ceiling_km * 1e3);
    let minutes = num(&doc, "flight_time_s") / 60.0;
    assert!((2.5..=6.0).contains(&minutes), "{minutes} min");
    let samples = doc["samples"].as_array().expect("samples");
    let speeds: Vec<f64> = samples.iter().map(|s| num(s, "speed_m_s")).collect();
    let fastest = speeds.iter().copied().fold(0.0, f64::max);
    // The samples are every second; the fastest is at burnout, a sample time.
    assert!((fastest - max).abs() < 1.0, "samples peak at {fastest} m/s");
    assert!((speeds[speeds.len() - 1] - impact).abs() < 1e-6);
    let apogee_km = samples.iter().map(|s| num(s, "alt_m")).fold(0.0, f64::max) / 1e3;
    assert!(apogee_km <= ceiling_km, "samples rise to {apogee_km} km");
}
