//! `zones.geojson`: the warning zones of the default scenario with their statistics.

use std::path::Path;

use geojson::{GeoJson, GeometryValue};
use skyshield_engine::prepare;
use skyshield_mc::{BatchOptions, run_batch};
use skyshield_report::folder::ZONES_GEOJSON;
use skyshield_report::zones::zones_geojson;
use skyshield_report::{RunFolder, RunOutputs};

#[test]
fn the_zones_are_written_as_a_feature_collection_with_their_statistics() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    let prepared = prepare(&scenario).expect("the default scenario prepares");
    let opts = BatchOptions {
        runs: 8,
        seed: 1,
        threads: 1,
        keep_runs: false,
        sample_runs: 0,
        sample_parameters: true,
    };
    let batch =
        run_batch(&prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs");
    let warning = batch.summary.warning.clone().expect("warning zones");
    let text = zones_geojson(&prepared, &warning).expect("zones");
    let GeoJson::FeatureCollection(fc) = text.parse::<GeoJson>().expect("GeoJSON") else {
        panic!("not a FeatureCollection: {text}")
    };
    let plan = prepared.warning.as_ref().expect("plan");
    assert_eq!(fc.features.len(), plan.zones.len());
    for (feature, zone) in fc.features.iter().zip(&plan.zones) {
        let props = feature.properties.as_ref().expect("properties");
        assert_eq!(props["name"], zone.name.as_str());
        // Numbers read back within a last digit: serde_json parses floats fast, not exactly.
        let number = |key: &str, expected: f64| {
            let got = props[key].as_f64().unwrap_or(f64::NAN);
            assert!(
                (got - expected).abs() <= 1e-12 * expected.abs().max(1.0),
                "{}: {key} {got} vs {expected}",
                zone.name
            );
        };
        let stats = &warning.zones[&zone.name];
        number("population", zone.population);
        number("shelter_time_s", zone.shelter_time_s);
        number("alerts_mean", stats.alerts_mean);
        number("impacts_mean", stats.impacts_mean);
        number("p_alert", stats.p_alert);
        number("p_impact", stats.p_impact);
        number("p_too_late", stats.p_too_late);
        number("alert_minutes_mean", stats.alert_minutes_mean);
        let Some(GeometryValue::Polygon { coordinates }) =
            feature.geometry.as_ref().map(|g| &g.value)
        else {
            panic!("a grid cell is one polygon")
        };
        // A closed ring of the hexagon's six corners, [lon, lat].
        let ring = &coordinates[0];
        assert_eq!(ring.len(), 7);
        assert_eq!(ring[0], ring[6]);
        let first = &zone.polygons[0][0][0];
        // Written to 1e-6°.
        let (lon, lat) = (ring[0][0], ring[0][1]);
        assert!((lon - first.lon_deg()).abs() <= 0.5e-6 && (lat - first.lat_deg()).abs() <= 0.5e-6);
    }
    let dir = std::env::temp_dir().join(format!("skyshield-report-zones-{}", std::process::id()));
    let folder = RunFolder::new(&dir);
    let files = folder
        .write(
            &RunOutputs {
                scenario: &scenario,
                text: "",
                prepared: &prepared,
                opts: &opts,
                batch: &batch,
            },
            &skyshield_scenario::Limits::DEFAULT,
        )
        .expect("written");
    assert!(files.contains(&ZONES_GEOJSON));
    let file = folder.path(ZONES_GEOJSON);
    assert_eq!(std::fs::read_to_string(&file).expect("read"), text);
    assert!(!dir.join("zones.geojson.partial").exists());
}
