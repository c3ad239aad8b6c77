//! Files a scenario names are read through a file resolver: from memory they give the same
//! scenario as from the scenario's folder, and the folder resolver refuses every path that
//! leaves the folder, with the position of the field that names it.

use std::path::{Path, PathBuf};

use skyshield_scenario::{
    FileError, FileResolver, FolderResolver, Limits, LoadError, MemoryResolver, ScenarioKind,
    Source, WarningZones, catalog, from_str, load_scenario,
};

const ZONES: &str = r#"{"type": "FeatureCollection", "features": [
    {"type": "Feature", "properties": {"name": "north", "population": 1200},
     "geometry": {"type": "Polygon",
                  "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.0]]]}},
    {"type": "Feature", "properties": {"name": "south", "population": 50, "shelter_time_s": 15},
     "geometry": {"type": "Polygon",
                  "coordinates": [[[34.7, 31.9], [34.8, 31.9], [34.8, 32.0], [34.7, 31.9]]]}}]}"#;

/// A scenario whose warning zones come from the GeoJSON file `zones` (line 4, column 28).
fn scenario_text(zones: &str) -> String {
    format!(
        "name: z\nassets: [{{id: c, circle: {{center: [32.08, 34.78], radius_km: 5}}}}]\n\
         raid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: c}}]\n\
         warning: {{zones: {{geojson: {zones}, shelter_time_s: 60}}}}\n"
    )
}

/// A fresh folder under the test's scratch space.
fn folder(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

#[test]
fn zones_passed_in_memory_give_the_scenario_read_from_the_folder() {
    let dir = folder("confinement_memory");
    std::fs::write(dir.join("zones.geojson"), ZONES).expect("write");
    let text = scenario_text("zones.geojson");
    let mut from_disk =
        from_str(&text, &dir.join("scenario.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let files: MemoryResolver = [("zones.geojson", ZONES)].into_iter().collect();
    let in_memory = load_scenario(
        Source::Text {
            text: &text,
            name: Path::new("scenario.yaml"),
        },
        &files,
        catalog(),
        &Limits::DEFAULT,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let zones_of = |s: &skyshield_scenario::Scenario| match &s
        .as_layered()
        .expect("layered")
        .warning
        .as_ref()
        .expect("warning")
        .zones
    {
        WarningZones::GeoJson { path, zones } => (path.clone(), zones.clone()),
        other => panic!("{other:?}"),
    };
    let (disk_path, disk_zones) = zones_of(&from_disk);
    let (memory_path, memory_zones) = zones_of(&in_memory);
    assert_eq!(disk_path, dir.join("zones.geojson"));
    assert_eq!(memory_path, Path::new("zones.geojson"));
    assert_eq!(disk_zones.len(), 2);
    assert_eq!(disk_zones, memory_zones);
    // Where the file was read from is all that differs.
    if let ScenarioKind::Layered(l) = &mut from_disk.kind
        && let Some(w) = l.warning.as_mut()
        && let WarningZones::GeoJson { path, .. } = &mut w.zones
    {
        *path = memory_path;
    }
    assert_eq!(from_disk, in_memory);
}

#[test]
fn a_zone_file_missing_from_memory_is_a_located_error() {
    let files = MemoryResolver::new();
    let text = scenario_text("zones.geojson");
    let err = load_scenario(
        Source::Text {
            text: &text,
            name: Path::new("scenario.yaml"),
        },
        &files,
        catalog(),
        &Limits::DEFAULT,
    )
    .unwrap_err();
    assert!(matches!(err, LoadError::Invalid(_)), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("scenario.yaml:4:28: GeoJSON file `zones.geojson` not found"),
        "{message}"
    );
}

#[test]
fn paths_that_leave_the_scenario_folder_are_refused_with_their_position() {
    let root = folder("confinement_refused");
    let dir = root.join("scenario");
    std::fs::create_dir_all(&dir).expect("dir");
    // The file outside exists, so only confinement can refuse it.
    std::fs::write(root.join("x.geojson"), ZONES).expect("write");
    for (path, why) in [
        ("../x.geojson", "leaves the scenario's folder"),
        ("sub/../../x.geojson", "leaves the scenario's folder"),
        ("/etc/passwd", "is an absolute path"),
    ] {
        let d = from_str(&scenario_text(path), &dir.join("scenario.yaml")).unwrap_err();
        let text = d.to_string();
        assert!(
            text.contains(&format!(
                "scenario.yaml:4:28: GeoJSON file `{path}` (`warning.zones.geojson`) {why}"
            )),
            "{path}: {text}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let root = folder("confinement_link");
    let dir = root.join("scenario");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(root.join("x.geojson"), ZONES).expect("write");
    std::os::unix::fs::symlink(root.join("x.geojson"), dir.join("zones.geojson")).expect("link");
    let d = from_str(&scenario_text("zones.geojson"), &dir.join("scenario.yaml")).unwrap_err();
    assert!(
        d.to_string().contains(
            "scenario.yaml:4:28: GeoJSON file `zones.geojson` (`warning.zones.geojson`) leaves the scenario's folder"
        ),
        "{d}"
    );
    // A link that stays inside the folder is followed.
    std::fs::write(dir.join("real.geojson"), ZONES).expect("write");
    std::os::unix::fs::symlink(dir.join("real.geojson"), dir.join("inside.geojson")).expect("link");
    from_str(&scenario_text("inside.geojson"), &dir.join("scenario.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    // The resolver alone refuses the same paths.
    let resolver = FolderResolver::for_scenario(&dir.join("scenario.yaml"));
    assert_eq!(
        resolver.read("zones.geojson"),
        Err(FileError::OutsideFolder)
    );
    assert_eq!(resolver.read("../x.geojson"), Err(FileError::OutsideFolder));
    assert_eq!(resolver.read("/etc/passwd"), Err(FileError::Absolute));
}
