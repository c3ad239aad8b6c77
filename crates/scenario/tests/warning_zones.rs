//! Warning zones from GeoJSON: each kind of malformed file is rejected with an error that
//! names the file and the feature; the policy fields are checked.

use std::path::{Path, PathBuf};

use skyshield_scenario::{WarningZones, from_str};

const SCENARIO: &str = "name: z\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
    raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: c}]\n\
    warning: {zones: {geojson: zones.geojson}}\n";

const SQUARE: &str = "[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.1], [34.7, 32.0]]";

/// A folder of its own for each case, with `zones.geojson` holding `features`.
fn folder(case: &str, features: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("warning_zones")
        .join(case);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("zones.geojson"),
        format!("{{\"type\": \"FeatureCollection\", \"features\": [{features}]}}"),
    )
    .expect("write");
    dir
}

fn feature(properties: &str, geometry: &str) -> String {
    format!("{{\"type\": \"Feature\", \"properties\": {{{properties}}}, \"geometry\": {geometry}}}")
}

fn polygon(rings: &str) -> String {
    format!("{{\"type\": \"Polygon\", \"coordinates\": [{rings}]}}")
}

const GOOD: &str = "\"name\": \"good\", \"population\": 10, \"shelter_time_s\": 90";

/// The error text of the scenario with these features.
fn rejected(case: &str, features: &str) -> String {
    let dir = folder(case, features);
    match from_str(SCENARIO, &dir.join("scenario.yaml")) {
        Ok(_) => panic!("{case}: accepted"),
        Err(d) => d.to_string(),
    }
}

#[test]
fn malformed_zone_files_are_rejected_naming_the_feature() {
    let good = feature(GOOD, &polygon(SQUARE));
    let cases: [(&str, String, &str); 9] = [
        (
            "point",
            feature(
                "\"name\": \"mast\", \"population\": 1, \"shelter_time_s\": 9",
                "{\"type\": \"Point\", \"coordinates\": [34.7, 32.0]}",
            ),
            "feature 1 (`mast`): the geometry is a Point: expected a Polygon or a MultiPolygon",
        ),
        (
            "unclosed",
            feature(
                "\"name\": \"open\", \"population\": 1, \"shelter_time_s\": 9",
                &polygon("[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.1]]"),
            ),
            "feature 1 (`open`): ring 0 is not closed",
        ),
        (
            "no-population",
            feature(
                "\"name\": \"empty\", \"shelter_time_s\": 9",
                &polygon(SQUARE),
            ),
            "feature 1 (`empty`): missing property `population`",
        ),
        (
            "negative-population",
            feature(
                "\"name\": \"minus\", \"population\": -5, \"shelter_time_s\": 9",
                &polygon(SQUARE),
            ),
            "feature 1 (`minus`): expected `population` >= 0, found -5",
        ),
        (
            "bow-tie",
            feature(
                "\"name\": \"tie\", \"population\": 1, \"shelter_time_s\": 9",
                &polygon("[[34.7, 32.0], [34.8, 32.1], [34.8, 32.0], [34.7, 32.1], [34.7, 32.0]]"),
            ),
            "feature 1 (`tie`): ring 0 crosses itself: its edges 0 and 2 intersect",
        ),
        (
            "three-positions",
            feature(
                "\"name\": \"tiny\", \"population\": 1, \"shelter_time_s\": 9",
                &polygon("[[34.7, 32.0], [34.8, 32.0], [34.7, 32.0]]"),
            ),
            "feature 1 (`tiny`): ring 0 has 3 position(s): a closed ring needs at least 4",
        ),
        (
            "no-name",
            feature("\"population\": 1, \"shelter_time_s\": 9", &polygon(SQUARE)),
            "feature 1: missing property `name`",
        ),
        (
            "no-shelter-time",
            feature("\"name\": \"late\", \"population\": 1", &polygon(SQUARE)),
            "feature 1 (`late`): missing property `shelter_time_s`",
        ),
        (
            "duplicate-name",
            feature(GOOD, &polygon(SQUARE)),
            "feature 1 (`good`): the name `good` is given to an earlier feature too",
        ),
    ];
    for (case, bad, expected) in cases {
        let text = rejected(case, &format!("{good}, {bad}"));
        assert!(
            text.contains("scenario.yaml:4:28: GeoJSON file `zones.geojson`, ")
                && text.contains(expected),
            "{case}: {text}"
        );
        assert_eq!(text.lines().count(), 1, "{case}: one problem: {text}");
    }
}

#[test]
fn a_file_that_is_not_a_feature_collection_is_rejected() {
    let dir = folder("not-json", "");
    std::fs::write(dir.join("zones.geojson"), "{\"type\": \"Featur").expect("write");
    let text = from_str(SCENARIO, &dir.join("scenario.yaml"))
        .unwrap_err()
        .to_string();
    assert!(
        text.contains("GeoJSON file `zones.geojson`: not valid GeoJSON"),
        "{text}"
    );
    let empty = rejected("empty", "");
    assert!(empty.contains("has no features"), "{empty}");
}

#[test]
fn multipolygons_with_holes_are_read() {
    let multi = "{\"type\": \"MultiPolygon\", \"coordinates\": [[\
        [[34.0, 32.0], [35.0, 32.0], [35.0, 33.0], [34.0, 33.0], [34.0, 32.0]],\
        [[34.4, 32.4], [34.6, 32.4], [34.6, 32.6], [34.4, 32.4]]],\
        [[[36.0, 32.0], [36.5, 32.0], [36.5, 32.5], [36.0, 32.0]]]]}";
    let dir = folder("multi", &feature(GOOD, multi));
    let s = from_str(SCENARIO, &dir.join("scenario.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let w = s
        .as_layered()
        .and_then(|l| l.warning.as_ref())
        .expect("warning");
    let WarningZones::GeoJson { zones, .. } = &w.zones else {
        panic!("{:?}", w.zones)
    };
    assert_eq!(zones.len(), 1);
    let rings: Vec<Vec<usize>> = zones[0]
        .polygons
        .iter()
        .map(|p| p.iter().map(Vec::len).collect())
        .collect();
    assert_eq!(rings, vec![vec![4, 3], vec![3]]);
}

#[test]
fn warning_policy_fields_are_checked() {
    let dir = folder("policy", &feature(GOOD, &polygon(SQUARE)));
    let with = |policy: &str| {
        SCENARIO.replace(
            "warning: {zones: {geojson: zones.geojson}}",
            &format!("warning: {{zones: {{geojson: zones.geojson}}, {policy}}}"),
        )
    };
    let ok = from_str(
        &with("confidence: 0.9, min_lead_s: 60, warn_debris: false, all_clear_s: 300"),
        &dir.join("scenario.yaml"),
    )
    .unwrap_or_else(|d| panic!("{d}"));
    let w = ok.as_layered().and_then(|l| l.warning.clone()).expect("w");
    assert_eq!(
        (w.confidence, w.min_lead_s, w.warn_debris, w.all_clear_s),
        (0.9, 60.0, false, 300.0)
    );
    for (policy, expected) in [
        (
            "confidence: 1",
            "expected a probability above 0 and below 1 for `confidence`, found 1",
        ),
        (
            "min_lead_s: -1",
            "expected a number >= 0 for `min_lead_s`, found -1",
        ),
        (
            "all_clear_s: -2",
            "expected a number >= 0 for `all_clear_s`, found -2",
        ),
    ] {
        let text = from_str(&with(policy), &dir.join("scenario.yaml"))
            .unwrap_err()
            .to_string();
        assert!(text.contains(expected), "{policy}: {text}");
    }
}
