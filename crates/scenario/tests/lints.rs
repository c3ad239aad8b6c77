//! Lints: each warns at the place that causes it, and no scenario of the library warns.

use std::path::{Path, PathBuf};

use skyshield_scenario::{Diagnostics, FolderResolver, Limits, Source, catalog, check_scenario};

fn lints(text: &str) -> Diagnostics {
    let path = Path::new("lints.yaml");
    check_scenario(
        Source::Text { text, name: path },
        &FolderResolver::for_scenario(path),
        catalog(),
        &Limits::DEFAULT,
    )
    .expect("a valid scenario")
    .warnings
}

/// A small layered scenario: a city and an air base, a Patriot battery near the city, an
/// Aegis destroyer at sea, a raid from Iran at the base. `{city}`, `{battery}`, `{radius}` and
/// `{grid}` are replaced by each test.
const BASE: &str = "\
name: lints
kind: layered
assets:
  - id: city
    kind: city
    circle: {center: CITY, radius_km: RADIUS}
    population: 100000
  - id: base
    kind: airbase
    circle: {center: [31.21, 35.01], radius_km: 2}
sensors:
  - {id: radar, type: an-mpq-65, at: [31.3, 35.0], facing_deg: 80}
batteries:
  - {id: patriot, type: pac-3-mse, at: BATTERY, launchers: 2, rounds_per_launcher: 12, radar: radar}
  - {id: ship, type: sm-6, at: [32.6, 34.4], rounds: 24}
raid:
  - id: wave
    threat: emad
    count: 4
    launch: {sites: [[34.3, 47.1]], window_s: [0, 60]}
    target: base
GRID";

fn scenario(city: &str, battery: &str, radius: &str, grid: &str) -> String {
    BASE.replace("CITY", city)
        .replace("BATTERY", battery)
        .replace("RADIUS", radius)
        .replace("GRID", grid)
}

fn plain() -> String {
    scenario("[32.08, 34.78]", "[31.25, 35.0]", "10", "")
}

#[test]
fn a_plausible_scenario_has_no_lint() {
    let found = lints(&plain());
    assert!(found.is_empty(), "{found}");
}

#[test]
fn a_position_with_latitude_and_longitude_swapped_is_named() {
    // Tel Aviv written [lon, lat] falls in the sea off Cyprus.
    let found = lints(&scenario("[34.78, 32.08]", "[31.25, 35.0]", "10", ""));
    assert_eq!(found.len(), 1, "{found}");
    let d = &found.0[0];
    assert_eq!((d.line, d.column), (6, 23), "{d}");
    assert!(
        d.message.contains("asset `city`")
            && d.message.contains("at sea")
            && d.message.contains("[32.08, 34.78] would put it on land")
            && d.message.contains("swapped"),
        "{d}"
    );
    // A battery at Hadera written the other way round: on land in Cyprus, but 300 km from
    // everything else.
    let found = lints(&scenario("[32.08, 34.78]", "[34.95, 32.5]", "10", ""));
    let d = found
        .iter()
        .find(|d| d.message.contains("battery `patriot` at [34.95, 32.5]"))
        .unwrap_or_else(|| panic!("no swap lint for the battery: {found}"));
    assert_eq!(d.line, 14, "{d}");
    assert!(d.message.contains("swapped"), "{d}");
}

#[test]
fn a_ship_at_sea_is_not_taken_for_a_swapped_position() {
    // The destroyer of BASE at [32.6, 34.4] is at sea, and so is [34.4, 32.6]: no lint.
    let found = lints(&plain());
    assert!(
        found.iter().all(|d| !d.message.contains("`ship`")),
        "{found}"
    );
}

#[test]
fn a_battery_that_reaches_no_asset_and_no_path_is_named() {
    // A Patriot in the Sinai, 150 km from both assets and from the raid's path.
    let found = lints(&scenario("[32.08, 34.78]", "[29.5, 33.5]", "10", ""));
    assert_eq!(found.len(), 1, "{found}");
    let d = &found.0[0];
    assert_eq!(d.line, 14, "{d}");
    assert!(
        d.message
            .contains("battery `patriot` reaches no asset and no threat's path")
            && d.message.contains("the nearest asset, `base`"),
        "{d}"
    );
    // Beside the raid's path in Jordan, far from the assets, it can still engage: no lint.
    let found = lints(&scenario("[32.08, 34.78]", "[32.0, 38.0]", "10", ""));
    assert!(found.is_empty(), "{found}");
}

#[test]
fn a_city_of_150_km_and_a_grid_of_many_zones_are_named() {
    let grid = "warning:\n  zones: {grid_km: 5, over: [city], shelter_time_s: 90}\n";
    let found = lints(&scenario("[32.08, 34.78]", "[31.25, 35.0]", "150", grid));
    let radius = found
        .iter()
        .find(|d| d.message.contains("asset `city` is 150 km in radius"))
        .unwrap_or_else(|| panic!("no radius lint: {found}"));
    assert_eq!((radius.line, radius.column), (6, 49), "{radius}");
    let zones = found
        .iter()
        .find(|d| d.message.contains("the warning grid makes about"))
        .unwrap_or_else(|| panic!("no zone-count lint: {found}"));
    assert_eq!(zones.line, 23, "{zones}");
    // A city of 10 km in the same grid: about 13 zones, no lint.
    let found = lints(&scenario("[32.08, 34.78]", "[31.25, 35.0]", "10", grid));
    assert!(found.is_empty(), "{found}");
}

fn library() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("scenarios"))
        .expect("the scenario library")
        .chain(std::fs::read_dir(root.join("scenarios/examples")).expect("the examples"))
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.push(root.join("tests/data/layered.yaml"));
    files.sort();
    files
}

#[test]
fn no_scenario_of_the_library_warns() {
    let files = library();
    assert!(files.len() >= 12, "{files:?}");
    for path in files {
        let checked = check_scenario(
            Source::Path(&path),
            &FolderResolver::for_scenario(&path),
            catalog(),
            &Limits::DEFAULT,
        )
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            checked.warnings.is_empty(),
            "{}:\n{}",
            path.display(),
            checked.warnings
        );
    }
}
