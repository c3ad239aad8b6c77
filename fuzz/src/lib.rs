//! What the fuzz targets run, one function per reader of untrusted input; each binary in
//! `src/bin` feeds AFL++'s inputs to one of them. A function returns normally for every input,
//! valid or not: a panic, an abort, a hang or an allocation failure is a finding.

use std::path::Path;

use skyshield_scenario::{Limits, MemoryResolver, Source, catalog, load_scenario, yaml_to_json};

/// A scenario whose warning zones come from `zones.geojson`: the file the `zones` target
/// fuzzes. It is valid with a valid zone file.
pub const ZONES_SCENARIO: &str = "name: z\n\
    assets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
    raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: c}]\n\
    warning: {zones: {geojson: zones.geojson}}\n";

/// Scenario text through parsing and validation (no file besides it), and through the YAML to
/// JSON conversion that the schema check uses.
pub fn scenario(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let name = Path::new("scenario.yaml");
    let _ = load_scenario(
        Source::Text { text, name },
        &MemoryResolver::new(),
        catalog(),
        &Limits::DEFAULT,
    );
    let _ = yaml_to_json(text, name);
}

/// A warning-zone GeoJSON file, read by [`ZONES_SCENARIO`].
pub fn zones(data: &[u8]) {
    let files: MemoryResolver = [("zones.geojson", data.to_vec())].into_iter().collect();
    let _ = load_scenario(
        Source::Text {
            text: ZONES_SCENARIO,
            name: Path::new("scenario.yaml"),
        },
        &files,
        catalog(),
        &Limits::DEFAULT,
    );
}

/// A run's `summary.json` as `skyshield report` reads it; a summary it accepts must write out
/// and read back.
pub fn summary(data: &[u8]) {
    let Ok(summary) = serde_json::from_slice::<skyshield_mc::Summary>(data) else {
        return;
    };
    let written = serde_json::to_string(&summary).expect("an accepted summary writes out");
    let again: skyshield_mc::Summary =
        serde_json::from_str(&written).expect("a written summary reads back");
    assert_eq!(
        serde_json::to_string(&again).expect("writes out"),
        written,
        "a summary read back writes out the same"
    );
}
