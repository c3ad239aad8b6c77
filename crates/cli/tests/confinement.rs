//! A scenario that names a file outside its folder is refused before anything runs, with the
//! position of the field that names it, by `validate` and by `run` alike (exit 2).

mod common;

use common::{scratch, skyshield};

#[test]
fn zone_files_outside_the_scenario_folder_are_refused() {
    let root = scratch("confinement");
    let folder = root.join("scenario");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        root.join("x.geojson"),
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "north", "population": 500},
             "geometry": {"type": "Polygon", "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.0]]]}}]}"#,
    )
    .unwrap();
    for (path, why) in [
        ("../x.geojson", "leaves the scenario's folder"),
        ("/etc/passwd", "is an absolute path"),
    ] {
        let scenario = folder.join("scenario.yaml");
        std::fs::write(
            &scenario,
            format!(
                "name: z\nassets: [{{id: c, circle: {{center: [32.08, 34.78], radius_km: 5}}}}]\n\
                 raid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: c}}]\n\
                 warning: {{zones: {{geojson: {path}, shelter_time_s: 90}}}}\n"
            ),
        )
        .unwrap();
        let expected =
            format!("scenario.yaml:4:28: GeoJSON file `{path}` (`warning.zones.geojson`) {why}");
        let check = skyshield(&["validate", scenario.to_str().unwrap()]);
        assert_eq!(check.code, 2, "{}", check.stderr);
        assert!(check.stderr.contains(&expected), "{path}: {}", check.stderr);
        let out = root.join("out");
        let run = skyshield(&[
            "run",
            scenario.to_str().unwrap(),
            "--runs",
            "1",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert!(run.stderr.contains(&expected), "{path}: {}", run.stderr);
        assert!(!out.exists(), "no output folder for a refused scenario");
    }
}
