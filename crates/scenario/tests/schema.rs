//! The JSON Schema accepts every scenario of the repository, and refuses what the parser
//! refuses structurally.

use std::path::{Path, PathBuf};

use skyshield_scenario::{json_schema, yaml_to_json};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `*.yaml` under `dir`, recursively.
fn yaml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
}

/// The scenario files of the repository and the shared example.
fn scenario_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    yaml_files(&repo().join("scenarios"), &mut files);
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/layered.yaml"));
    files.sort();
    files
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&json_schema()).expect("the schema is a valid JSON Schema")
}

fn schema_errors(validator: &jsonschema::Validator, doc: &serde_json::Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_scenario_of_the_repository_validates_against_the_schema() {
    let validator = validator();
    let files = scenario_files();
    assert!(files.len() >= 2, "{files:?}");
    for path in files {
        let text = std::fs::read_to_string(&path).expect("readable");
        let doc = yaml_to_json(&text, &path).unwrap_or_else(|d| panic!("{d}"));
        let errors = schema_errors(&validator, &doc);
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
    }
}

#[test]
fn every_scenario_of_the_repository_is_valid() {
    for path in scenario_files() {
        if let Err(e) = skyshield_scenario::load(&path) {
            panic!("{e}");
        }
    }
}

#[test]
fn the_repository_copy_of_the_layered_example_is_the_shared_one() {
    let shared = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/layered.yaml"),
    )
    .expect("shared example");
    let copy = std::fs::read_to_string(repo().join("scenarios/examples/layered.yaml"))
        .expect("repository copy");
    assert_eq!(copy, shared);
}

#[test]
fn the_schema_refuses_structural_faults() {
    let validator = validator();
    let cases = [
        "name: x\ncolour: red\n",
        "name: x\nraid: [{id: a, threat: emad, count: two, launch: {sites: [[1, 2]]}}]\n",
        "name: x\nassets: [{id: a, circle: {center: [1], radius_km: 1}}]\n",
        "name: x\nkind: concrete\n",
        "runs: 3\n",
        "name: x\ncommand: {decision_latency_s: {low: 1, high: 2}}\n",
        "name: x\nwarning: {zones: {grid_km: 10, shape: triangle, shelter_time_s: 90}}\n",
        "name: x\nwarning: {zones: {grid_km: 10, shelter_time_s: 90}, warn_debris: sometimes}\n",
        "name: x\nwarning: {zones: {grid_km: 10, shelter_time_s: 90}, siren: loud}\n",
        "name: x\nraid: [{id: a, threat: emad, count: 1, launch: {sites: [[1, 2]], pulses: [{window_s: [0, 1]}]}}]\n",
        "name: x\nraid: [{id: a, threat: emad, count: 1, launch: {sites: [[1, 2]], pulses: [{window_s: [0, 1], count: 1, gap_s: 5}]}}]\n",
        "name: x\nraid: [{id: a, threat: emad, count: 1, launch: {sites: [[1, 2]], pulses: [{window_s: [0], count: 1}]}}]\n",
    ];
    for text in cases {
        let doc = yaml_to_json(text, Path::new("case.yaml")).expect("YAML");
        assert!(
            !schema_errors(&validator, &doc).is_empty(),
            "the schema accepts:\n{text}"
        );
        assert!(
            skyshield_scenario::from_str(text, Path::new("case.yaml")).is_err(),
            "the validation accepts:\n{text}"
        );
    }
}

#[test]
fn the_schema_accepts_ranges_overrides_both_forms_of_sites_and_pulses() {
    let validator = validator();
    let text = r#"
name: forms
assets: [{id: a, polygon: [[1, 2], [1, 3], [2, 3]], kind: city}]
batteries:
  - {id: b, type: arrow-3, at: [1, 2, 30], rounds: 4,
     overrides: {kill_probability: {ballistic: 0.8, drone: {low: 0.1, nominal: 0.2, high: 0.3}},
                 exo_atmospheric: true, tier: upper, speed_m_s: {nominal: 2000}}}
raid:
  - {id: r1, threat: emad, count: 1, launch: {sites: [[3, 4]]}, target: a,
     cep_m: {low: 1, nominal: 2, high: 3}, shape: lofted, apogee_km: 400}
  - {id: r2, threat: emad, count: 1, launch: {area: {center: [3, 4], radius_km: 5}, sites: 2},
     aim: [1, 2]}
  - {id: r3, threat: emad, count: 3, launch: {sites: [[3, 4]],
     pulses: [{window_s: [0, 60], count: 2}, {window_s: [900, 900], count: 1}]}, aim: [1, 2]}
warning: {zones: {grid_km: 10, shape: square, over: [a], shelter_time_s: 90},
          confidence: 0.9, min_lead_s: 60, warn_debris: false, all_clear_s: 300}
"#;
    let doc = yaml_to_json(text, Path::new("forms.yaml")).expect("YAML");
    let errors = schema_errors(&validator, &doc);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn the_schema_allows_at_most_a_thousand_pulses_and_64_assets() {
    let validator = validator();
    let group = |n: usize| {
        let pulses = vec!["{window_s: [0, 0], count: 1}"; n].join(", ");
        format!(
            "name: x\nraid: [{{id: a, threat: emad, count: {n}, launch: {{sites: [[1, 2]], pulses: [{pulses}]}}, aim: [3, 4]}}]\n"
        )
    };
    let errors = |text: &str| {
        let doc = yaml_to_json(text, Path::new("case.yaml")).expect("YAML");
        schema_errors(&validator, &doc)
    };
    assert!(errors(&group(1000)).is_empty());
    assert!(!errors(&group(1001)).is_empty());
    let assets = |n: usize| {
        let assets = vec!["{id: a, circle: {center: [1, 2], radius_km: 1}}"; n].join(", ");
        format!("name: x\nassets: [{assets}]\n")
    };
    assert!(errors(&assets(64)).is_empty());
    assert!(!errors(&assets(65)).is_empty());
}

#[test]
fn the_examples_of_the_format_documentation_are_valid() {
    let path = repo().join("docs/scenario-format.md");
    let doc = std::fs::read_to_string(&path).expect("docs/scenario-format.md");
    let validator = validator();
    let mut examples = 0;
    for block in doc.split("```yaml\n").skip(1) {
        let text = block.split("```").next().expect("a closed block");
        if !text.contains("\nname: ") && !text.starts_with("name: ") {
            continue;
        }
        examples += 1;
        if let Err(d) = skyshield_scenario::from_str(text, &path) {
            panic!("an example of the documentation is invalid:\n{d}\n{text}");
        }
        let json = yaml_to_json(text, &path).expect("YAML");
        let errors = schema_errors(&validator, &json);
        assert!(errors.is_empty(), "{errors:#?}");
    }
    assert_eq!(examples, 2);
}
