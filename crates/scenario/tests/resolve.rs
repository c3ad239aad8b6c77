//! What a valid scenario resolves to: references as indices, catalog types with overrides,
//! SI units, defaults.

use std::path::Path;

use skyshield_scenario::{
    Aim, Area, Class, EarthModel, LaunchPulse, LaunchSites, ParamValue, Shape, Tracking, Uncertain,
    WarningZones, from_str, load,
};

fn shared_example() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/layered.yaml")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn the_layered_example_resolves_references_overrides_and_units() {
    let s = load(&shared_example()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.sources.len(), 1);
    let l = s.as_layered().expect("layered");
    assert_eq!(l.earth.model, EarthModel::Wgs84);
    assert!(l.earth.rotation && l.earth.atmosphere);

    // Assets.
    let city = l.asset_index("coastal-city").expect("city");
    let base = l.asset_index("desert-airbase").expect("base");
    assert_eq!(l.assets[city].population, 1_400_000);
    assert_eq!(l.assets[city].value, 10.0);
    match &l.assets[city].area {
        Area::Circle { center, radius_m } => {
            assert!(close(*radius_m, 12_000.0));
            assert!(close(center.lat_deg(), 32.08) && close(center.lon_deg(), 34.78));
        }
        other => panic!("{other:?}"),
    }
    match &l.assets[base].area {
        Area::Polygon { vertices, centroid } => {
            assert_eq!(vertices.len(), 4);
            assert!(close(centroid.lat_deg(), 31.2075));
            assert!(close(centroid.lon_deg(), 35.02));
        }
        other => panic!("{other:?}"),
    }

    // Sensors.
    let bmd = l.sensor_index("bmd-radar").expect("bmd-radar");
    let ew = l.sensor_index("early-warning").expect("early-warning");
    assert_eq!(l.sensors[ew].sensor_type.class, Class::SpaceIr);
    assert!(l.sensors[ew].position.is_none());
    assert_eq!(l.sensors[bmd].sensor_type.id, "green-pine");
    assert!(close(l.sensors[bmd].position.expect("at").height_m(), 60.0));
    assert!(close(
        l.sensors[bmd].facing_rad.expect("facing"),
        70f64.to_radians()
    ));

    // Batteries.
    let upper = &l.batteries[0];
    assert_eq!((upper.launchers, upper.rounds), (2, 12));
    assert_eq!(upper.radar, Some(bmd));
    assert!(upper.defends.is_empty());
    let dome = l
        .batteries
        .iter()
        .find(|b| b.id == "dome-city")
        .expect("dome");
    assert_eq!(dome.defends, vec![city]);
    assert_eq!(dome.rounds, 60);
    let ship = l.batteries.iter().find(|b| b.id == "ship-1").expect("ship");
    assert_eq!(ship.rounds, 12);
    for class in Class::THREATS {
        assert_eq!(
            ship.interceptor
                .kill_probability(class)
                .expect("kill probability"),
            Uncertain::exact(0.8),
            "{class}"
        );
        assert!(
            ship.interceptor
                .overridden
                .contains(&format!("kill_probability_{}", class.name()))
        );
    }
    // Unchanged where not overridden.
    let catalog_sm3 = skyshield_scenario::catalog()
        .get("sm-3-ib")
        .expect("sm-3-ib");
    assert_eq!(
        ship.interceptor.number("max_range_km").expect("range"),
        catalog_sm3.number("max_range_km").expect("range")
    );

    // Command.
    assert_eq!(l.command.decision_latency_s, Uncertain::exact(4.0));
    assert!(l.command.network);
    assert_eq!(l.command.doctrine.shots_per_engagement, 1);
    assert_eq!(l.command.doctrine.reserve_fraction, Uncertain::exact(0.1));

    // Raid.
    let wave = &l.raid[0];
    assert_eq!(wave.count, 60);
    assert_eq!(wave.aim, Aim::Asset(base));
    assert_eq!(wave.shape, Some(Shape::MinEnergy));
    assert_eq!(
        wave.cep_m,
        Uncertain::new(200.0, 500.0, 1000.0).expect("range")
    );
    assert_eq!(
        wave.pulses,
        [LaunchPulse {
            window_s: (0.0, 300.0),
            count: 60
        }]
    );
    match &wave.sites {
        LaunchSites::Area {
            radius_m, sites, ..
        } => assert_eq!((*radius_m, *sites), (60_000.0, 6)),
        other => panic!("{other:?}"),
    }
    let stray = l.raid.iter().find(|g| g.id == "stray").expect("stray");
    assert!(matches!(stray.aim, Aim::Point(p) if close(p.lat_deg(), 31.4)));
    let cruise = l.raid.iter().find(|g| g.id == "cruise").expect("cruise");
    assert_eq!(cruise.shape, None);
    assert_eq!(cruise.route.len(), 2);
    assert_eq!(
        cruise.pulses,
        [LaunchPulse {
            window_s: (-5400.0, -5000.0),
            count: 10
        }]
    );
    assert_eq!(
        cruise.threat.get("reliability").expect("reliability"),
        &ParamValue::Number(Uncertain::exact(0.95))
    );
    // The group's CEP defaults to the type's.
    assert_eq!(cruise.cep_m, cruise.threat.number("cep_m").expect("cep"));

    // Warning.
    let warning = l.warning.as_ref().expect("warning");
    assert_eq!(
        warning.confidence,
        skyshield_scenario::DEFAULT_WARNING_CONFIDENCE
    );
    assert!(warning.warn_debris);
    match &warning.zones {
        WarningZones::Grid {
            cell_m,
            shape,
            over,
            shelter_time_s,
        } => {
            assert_eq!(*cell_m, 10_000.0);
            assert_eq!(*shape, skyshield_scenario::GridShape::Hex);
            assert_eq!(over, &vec![0, 1]);
            assert_eq!(*shelter_time_s, Uncertain::exact(90.0));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn si_accessors_convert_by_the_key_suffix() {
    let s = load(&shared_example()).unwrap_or_else(|e| panic!("{e}"));
    let l = s.as_layered().expect("layered");
    let t = &l.raid[0].threat;
    let km = t.number("max_range_km").expect("km");
    let m = t.number_si("max_range_km").expect("m");
    assert!(close(m.nominal, km.nominal * 1000.0));
    assert!(close(m.low, km.low * 1000.0) && close(m.high, km.high * 1000.0));
}

#[test]
fn the_abstract_example_resolves() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../scenarios/examples/abstract-two-layers.yaml");
    let s = load(&path).unwrap_or_else(|e| panic!("{e}"));
    let a = s.as_abstract().expect("abstract");
    assert_eq!(a.threats, 10);
    assert_eq!(a.tracking, Tracking::Independent);
    assert_eq!(a.kill_assessment_probability, Uncertain::exact(1.0));
    assert_eq!(a.layers.len(), 2);
    let upper = &a.layers[0];
    assert_eq!(upper.kill_probability, Uncertain::exact(0.5));
    assert_eq!(upper.reliability, Uncertain::exact(0.9));
    assert_eq!(upper.shots_per_engagement, 2);
    assert_eq!(upper.engagements, 1);
    assert_eq!(upper.tracking_probability, Uncertain::exact(0.95));
    assert_eq!(upper.rounds, None);
}

#[test]
fn abstract_defaults_and_common_tracking() {
    let text = "name: a\nkind: abstract\nthreats: 20\ntracking: common\ntracking_probability: 0.99\n\
                layers:\n  - {id: only, kill_probability: {low: 0.6, nominal: 0.7, high: 0.8}, engagements: 2, rounds: 100}\n";
    let s = from_str(text, Path::new("a.yaml")).unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(s.runs, skyshield_scenario::DEFAULT_RUNS);
    assert_eq!(s.seed, skyshield_scenario::DEFAULT_SEED);
    let a = s.as_abstract().expect("abstract");
    assert_eq!(a.tracking, Tracking::Common);
    let only = &a.layers[0];
    assert_eq!(only.tracking_probability, Uncertain::exact(0.99));
    assert_eq!(only.kill_probability.low, 0.6);
    assert_eq!((only.engagements, only.rounds), (2, Some(100)));
}

#[test]
fn per_class_overrides_set_only_the_classes_named() {
    let text = "name: t\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
                sensors: [{id: r, type: green-pine, at: [31.9, 34.9]}]\n\
                batteries:\n  - {id: b, type: arrow-3, at: [31.9, 34.9], radar: r,\n     overrides: {kill_probability: {ballistic: 0.9, quasi_ballistic: {low: 0.2, nominal: 0.3, high: 0.4}}, reaction_time_s: 12}}\n\
                raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: c}]\n";
    let s = from_str(text, Path::new("t.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let b = &s.as_layered().expect("layered").batteries[0];
    let base = skyshield_scenario::catalog()
        .get("arrow-3")
        .expect("arrow-3")
        .resolved();
    assert_eq!(
        b.interceptor.kill_probability(Class::Ballistic).expect("p"),
        Uncertain::exact(0.9)
    );
    assert_eq!(
        b.interceptor
            .kill_probability(Class::QuasiBallistic)
            .expect("p"),
        Uncertain::new(0.2, 0.3, 0.4).expect("range")
    );
    assert_eq!(
        b.interceptor.kill_probability(Class::Drone).expect("p"),
        base.kill_probability(Class::Drone).expect("p")
    );
    assert_eq!(
        b.interceptor.number("reaction_time_s").expect("t"),
        Uncertain::exact(12.0)
    );
    assert_eq!(b.interceptor.overridden.len(), 3);
}

#[test]
fn defaults_of_a_minimal_layered_scenario() {
    let text = "name: minimal\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
                raid: [{id: g, threat: iskander-m, count: 2, launch: {sites: [[33.5, 36.3]]}, target: c}]\n";
    let s = from_str(text, Path::new("m.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let l = s.as_layered().expect("layered");
    assert!(l.sensors.is_empty() && l.batteries.is_empty() && l.warning.is_none());
    assert_eq!(l.command.decision_latency_s, Uncertain::exact(0.0));
    assert!(l.command.doctrine.shoot_look_shoot && l.command.doctrine.engage_only_defended);
    // A quasi-ballistic type flies its nominal full-burn path unless told otherwise.
    assert_eq!(l.raid[0].shape, Some(Shape::MinEnergy));
    assert_eq!(
        l.raid[0].pulses,
        [LaunchPulse {
            window_s: (0.0, 0.0),
            count: 2
        }]
    );
    assert!(matches!(&l.raid[0].sites, LaunchSites::Points(p) if p.len() == 1));
}

#[test]
fn geojson_zones_are_found_relative_to_the_scenario() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("geojson_zones");
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("zones.geojson"),
        r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "north", "population": 1200},
             "geometry": {"type": "Polygon",
                          "coordinates": [[[34.7, 32.0], [34.8, 32.0], [34.8, 32.1], [34.7, 32.0]]]}},
            {"type": "Feature", "properties": {"name": "south", "population": 50, "shelter_time_s": 15},
             "geometry": {"type": "Polygon",
                          "coordinates": [[[34.7, 31.9], [34.8, 31.9], [34.8, 32.0], [34.7, 31.9]]]}}]}"#,
    )
    .expect("write");
    let text = "name: z\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
                raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: c}]\n\
                warning: {zones: {geojson: zones.geojson, shelter_time_s: 60}}\n";
    let s = from_str(text, &dir.join("scenario.yaml")).unwrap_or_else(|d| panic!("{d}"));
    match &s
        .as_layered()
        .expect("layered")
        .warning
        .as_ref()
        .expect("warning")
        .zones
    {
        WarningZones::GeoJson { path, zones } => {
            assert_eq!(path, &dir.join("zones.geojson"));
            let names: Vec<&str> = zones.iter().map(|z| z.name.as_str()).collect();
            assert_eq!(names, ["north", "south"]);
            // The scenario's shelter time is the default; a feature's own wins.
            assert_eq!(zones[0].shelter_time_s, 60.0);
            assert_eq!(zones[1].shelter_time_s, 15.0);
            assert_eq!(zones[0].population, 1200.0);
            // Positions are [lon, lat]; the closing vertex is dropped.
            assert_eq!(zones[0].polygons[0][0].len(), 3);
            assert!((zones[0].polygons[0][0][1].lat_deg() - 32.0).abs() < 1e-12);
            assert!((zones[0].polygons[0][0][1].lon_deg() - 34.8).abs() < 1e-12);
        }
        other => panic!("{other:?}"),
    }
    let missing = text.replace("zones.geojson", "nowhere.geojson");
    let d = from_str(&missing, &dir.join("scenario.yaml")).unwrap_err();
    assert!(
        d.to_string()
            .contains(":4:28: GeoJSON file `nowhere.geojson` not found"),
        "{d}"
    );
}

#[test]
fn launch_pulses_resolve_in_file_order() {
    let text = "name: pulses\nassets: [{id: c, circle: {center: [32.08, 34.78], radius_km: 5}}]\n\
                raid:\n\
                \x20 - id: g\n    threat: iskander-m\n    count: 7\n    target: c\n\
                \x20   launch:\n      sites: [[33.5, 36.3]]\n      pulses:\n\
                \x20       - {window_s: [600, 660], count: 4}\n\
                \x20       - {window_s: [-30, 0], count: 1}\n\
                \x20       - {window_s: [0, 0], count: 2}\n";
    let s = from_str(text, Path::new("p.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let l = s.as_layered().expect("layered");
    assert_eq!(l.raid[0].count, 7);
    assert_eq!(
        l.raid[0].pulses,
        [
            LaunchPulse {
                window_s: (600.0, 660.0),
                count: 4
            },
            LaunchPulse {
                window_s: (-30.0, 0.0),
                count: 1
            },
            LaunchPulse {
                window_s: (0.0, 0.0),
                count: 2
            },
        ]
    );
}
