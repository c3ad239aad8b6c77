//! The built-in catalog: it parses, every id the scenarios rely on is there, and every
//! parameter is complete, ordered and sourced.

use std::collections::BTreeSet;

use skyshield_scenario::{Catalog, Class, FlightQuantity, Kind, Value, catalog, try_catalog};

/// The ids the catalog must provide (catalog/README.md and the design).
const REQUIRED_IDS: &[&str] = &[
    "generic-mrbm",
    "qassam",
    "grad",
    "fajr-5",
    "iskander-m",
    "fateh-110",
    "emad",
    "ghadr",
    "kheibar-shekan",
    "khorramshahr",
    "fattah",
    "paveh",
    "soumar",
    "shahed-136",
    "iron-dome",
    "davids-sling",
    "arrow-2",
    "arrow-3",
    "thaad",
    "pac-2-gem-t",
    "pac-3-mse",
    "sm-3-ib",
    "sm-3-iia",
    "sm-6",
    "green-pine",
    "an-tpy-2",
    "spy-1",
    "an-mpq-65",
    "elm-2084",
    "space-ir",
];

#[test]
fn the_built_in_catalog_parses() {
    if let Err(e) = try_catalog() {
        panic!("{e}");
    }
    assert!(!catalog().is_empty());
}

#[test]
fn every_required_id_is_present_with_a_class_of_its_kind() {
    let c = catalog();
    let missing: Vec<&str> = REQUIRED_IDS
        .iter()
        .copied()
        .filter(|id| c.get(id).is_none())
        .collect();
    assert!(missing.is_empty(), "missing catalog ids: {missing:?}");
    for kind in Kind::ALL {
        for e in c.of_kind(kind) {
            assert_eq!(e.class.kind(), kind, "{}", e.id);
        }
    }
}

#[test]
fn ids_are_unique() {
    let mut seen = BTreeSet::new();
    for e in catalog().entries() {
        assert!(seen.insert(e.id.as_str()), "duplicate id {}", e.id);
    }
    assert_eq!(seen.len(), catalog().len());
}

#[test]
fn every_parameter_cites_a_source_of_its_entry() {
    let mut problems = Vec::new();
    for e in catalog().entries() {
        for (key, p) in &e.parameters {
            if p.source.is_empty() {
                problems.push(format!("{}: {key} has no source", e.id));
            }
            for s in &p.source {
                if !e.sources.contains_key(s) {
                    problems.push(format!("{}: {key} cites `{s}`, not in its sources", e.id));
                }
            }
        }
        for (key, citation) in &e.sources {
            if citation.trim().len() < 10 {
                problems.push(format!("{}: source `{key}` is not a full citation", e.id));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn every_entry_has_the_parameters_its_class_requires() {
    let mut problems = Vec::new();
    for e in catalog().entries() {
        for (key, ty) in e.class.required_parameters() {
            match e.parameters.get(key) {
                None => problems.push(format!("{} ({}): missing {key}", e.id, e.class)),
                Some(p) if p.nominal.value_type() != ty => {
                    problems.push(format!("{}: {key} should be {ty}", e.id));
                }
                Some(_) => {}
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn ranges_are_ordered_and_only_on_numbers() {
    let mut problems = Vec::new();
    for e in catalog().entries() {
        for (key, p) in &e.parameters {
            match p.nominal {
                Value::Number(n) => {
                    let (low, high) = (p.low.unwrap_or(n), p.high.unwrap_or(n));
                    if !(low <= n && n <= high) {
                        problems.push(format!("{}: {key}: {low} <= {n} <= {high} fails", e.id));
                    }
                    if e.number(key).is_err() {
                        problems.push(format!("{}: {key} does not read as a range", e.id));
                    }
                }
                _ => {
                    if p.low.is_some() || p.high.is_some() {
                        problems.push(format!("{}: {key} has a range but is not a number", e.id));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_full_check_passes() {
    let problems: Vec<String> = catalog().check().iter().map(ToString::to_string).collect();
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn an_interceptor_has_a_kill_probability_for_every_threat_class() {
    for e in catalog().interceptors() {
        let t = e.resolved();
        for class in Class::THREATS {
            let p = t.kill_probability(class).expect("kill probability");
            assert!(p.within(0.0, 1.0), "{} against {class}: {p}", e.id);
        }
    }
}

// The checks above, shown to fail on an entry that breaks them.

const BROKEN: &str = r#"
- id: broken
  name: Broken
  class: drone
  summary: Test entry.
  sources:
    a: "A full citation of source A (2024)"
  parameters:
    max_range_km: {nominal: 100, low: 120, high: 150, source: a}
    min_range_km: {nominal: 0, source: nowhere}
    reliability: {nominal: 1.5, source: a}
    cep_m: {nominal: 10, source: []}
"#;

#[test]
fn the_check_catches_a_parameter_without_a_source_and_other_faults() {
    let c = Catalog::from_sources(BROKEN, "[]", "[]").expect("parses");
    let problems: Vec<String> = c.check().iter().map(ToString::to_string).collect();
    let has = |text: &str| problems.iter().any(|p| p.contains(text));
    assert!(
        has("`min_range_km` cites source `nowhere`"),
        "{problems:#?}"
    );
    assert!(has("parameter `cep_m` names no source"), "{problems:#?}");
    assert!(has("expected low <= nominal <= high"), "{problems:#?}");
    assert!(has("`reliability` is a probability"), "{problems:#?}");
    assert!(has("requires parameter `speed_m_s`"), "{problems:#?}");
    assert!(
        problems
            .iter()
            .all(|p| p.starts_with("catalog/threats.yaml:2:7: `broken`")),
        "{problems:#?}"
    );
}

#[test]
fn a_malformed_catalog_file_is_reported_with_positions() {
    let text = "- id: x\n  name: X\n  class: drone\n  summary: s\n  sources: {}\n  parameters: {}\n  colour: red\n- id: y\n  class: sattelite\n";
    let err = Catalog::from_sources(text, "[]", "[]")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("catalog/threats.yaml:7:3: unknown field `colour`"),
        "{err}"
    );
    assert!(
        err.contains("catalog/threats.yaml:9:10: unknown value `sattelite`"),
        "{err}"
    );
}

#[test]
fn published_flight_figures_name_their_source_and_a_range_of_the_type() {
    let text = r#"
- id: rocket
  name: Rocket
  class: rocket
  summary: Test entry.
  sources:
    a: "A full citation of source A (2024)"
  parameters:
    max_range_km: {nominal: 40, source: a}
    min_range_km: {nominal: 5, source: a}
  flight_figures:
    - {quantity: flight_time_s, range_km: 30, low: 60, high: 90, source: a}
    - {quantity: apogee_km, range_km: 60, low: 5, high: 8, source: a}
    - {quantity: fastest_speed_m_s, range_km: 20, low: 900, high: 700, source: nowhere}
- id: drone
  name: Drone
  class: drone
  summary: Test entry.
  sources:
    a: "A full citation of source A (2024)"
  parameters: {}
  flight_figures:
    - {quantity: flight_time_s, range_km: 30, low: 60, high: 90, source: a}
"#;
    let c = Catalog::from_sources(text, "[]", "[]").expect("parses");
    let figures = &c.get("rocket").unwrap().flight_figures;
    assert_eq!(figures.len(), 3);
    assert_eq!(
        (figures[0].quantity, figures[0].range_km, figures[0].low),
        (FlightQuantity::FlightTimeS, 30.0, 60.0)
    );
    let problems: Vec<String> = c.check().iter().map(ToString::to_string).collect();
    let has = |text: &str| problems.iter().any(|p| p.contains(text));
    assert!(
        has(
            "`rocket`: flight figure `apogee_km` at 60 km: the range is outside the type's 5-40 km"
        ),
        "{problems:#?}"
    );
    assert!(
        has("flight figure `fastest_speed_m_s` at 20 km cites source `nowhere`"),
        "{problems:#?}"
    );
    assert!(
        has("flight figure `fastest_speed_m_s` at 20 km: expected 0 <= low <= high"),
        "{problems:#?}"
    );
    assert!(
        has("`drone`: class `drone` has no flight figures"),
        "{problems:#?}"
    );
    assert!(
        !has("flight figure `flight_time_s` at 30 km"),
        "{problems:#?}"
    );
    // Each quantity is read from the key it prints as.
    for q in [
        FlightQuantity::FlightTimeS,
        FlightQuantity::ApogeeKm,
        FlightQuantity::FastestSpeedMS,
        FlightQuantity::SpeedAt20KmMS,
    ] {
        let c = Catalog::from_sources(
            &text.replace("quantity: apogee_km", &format!("quantity: {}", q.key())),
            "[]",
            "[]",
        )
        .unwrap();
        assert_eq!(c.get("rocket").unwrap().flight_figures[1].quantity, q);
    }
    // An unknown quantity is refused where it is written.
    let err = Catalog::from_sources(
        &text.replace("quantity: apogee_km", "quantity: apogee_m"),
        "[]",
        "[]",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("catalog/threats.yaml:13:18: unknown value `apogee_m`"),
        "{err}"
    );
}
