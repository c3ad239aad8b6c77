//! `skyshield validate`, `skyshield schema` and `skyshield catalog`, run as a user would.
//!
//! Each bad input of the scenario format has a fixture in `tests/fixtures/`; the tests check
//! the message, its line and column, and the exit code 2.

use std::path::{Path, PathBuf};

mod common;

use common::{Run, repo, skyshield_in};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Run `skyshield ARGS` in the fixtures folder.
fn skyshield(args: &[&str]) -> Run {
    skyshield_in(&fixtures(), args)
}

/// Validate one fixture; it must fail with exit code 2 and report exactly `expected` (each a
/// prefix of one `FILE:LINE:COL: message` line, in order), then the summary line.
fn invalid(file: &str, expected: &[&str]) {
    let run = skyshield(&["validate", file]);
    assert_eq!(run.code, 2, "exit code; stderr:\n{}", run.stderr);
    assert_eq!(run.stdout, "", "nothing on stdout for an invalid file");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len() + 1,
        "one line per problem and a summary; stderr:\n{}",
        run.stderr
    );
    for (line, want) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(want),
            "expected a line starting with\n  {want}\nfound\n  {line}\nstderr:\n{}",
            run.stderr
        );
    }
    let summary = lines[lines.len() - 1];
    assert!(
        summary.starts_with(&format!("error: {} problem", expected.len())),
        "{summary}"
    );
}

#[test]
fn a_valid_file_prints_ok_and_exits_0() {
    let run = skyshield(&["validate", "valid.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "valid.yaml: ok\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn the_shared_layered_example_is_valid() {
    let shared = repo("tests/data/layered.yaml");
    let run = skyshield(&["validate", shared.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.ends_with("layered.yaml: ok\n"), "{}", run.stdout);
}

#[test]
fn several_files_report_each_and_exit_2_when_one_is_invalid() {
    let run = skyshield(&["validate", "valid.yaml", "empty_raid.yaml", "valid.yaml"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "valid.yaml: ok\nvalid.yaml: ok\n");
    assert!(
        run.stderr
            .starts_with("empty_raid.yaml:9:7: the raid is empty"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("error: 1 problem in 1 of 3 files"),
        "{}",
        run.stderr
    );
}

#[test]
fn unknown_fields_name_the_closest_field() {
    invalid(
        "unknown_field.yaml",
        &[
            "unknown_field.yaml:4:38: unknown field `raduis_km` in circle; expected `center` or `radius_km`; did you mean `radius_km`?",
            "unknown_field.yaml:8:66: unknown field `launcher` in battery; expected `id`, `type`, `at`, `launchers`,",
        ],
    );
    let run = skyshield(&["validate", "unknown_field.yaml"]);
    assert!(
        run.stderr.contains("did you mean `launchers`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn values_of_the_wrong_type_say_what_was_expected_and_found() {
    invalid(
        "wrong_type.yaml",
        &[
            "wrong_type.yaml:4:49: expected a number, found the string `twelve`",
            "wrong_type.yaml:10:12: expected `true` or `false`, found the string `maybe`",
            "wrong_type.yaml:14:12: expected an integer, found a list",
        ],
    );
}

#[test]
fn unknown_type_ids_suggest_the_closest_catalog_id() {
    invalid(
        "unknown_type.yaml",
        &[
            "unknown_type.yaml:6:23: unknown sensor type `green-pinr`; did you mean `green-pine`?",
            "unknown_type.yaml:8:23: unknown interceptor type `aroow-3`; did you mean `arrow-3`?",
            "unknown_type.yaml:11:13: unknown threat type `emda`; did you mean `emad`?",
        ],
    );
}

#[test]
fn unknown_assets_and_radars_are_reported_where_they_are_named() {
    invalid(
        "unknown_reference.yaml",
        &[
            "unknown_reference.yaml:9:59: unknown sensor `radr`; did you mean `radar`?",
            "unknown_reference.yaml:9:75: unknown asset `cty`; did you mean `city`?",
            "unknown_reference.yaml:10:59: sensor `early-warning` is of class `space_ir`, not a radar",
            "unknown_reference.yaml:10:84: unknown asset `harbour`; expected `city`",
            "unknown_reference.yaml:16:13: unknown asset `citi`; did you mean `city`?",
        ],
    );
}

#[test]
fn duplicate_ids_point_to_the_first_use() {
    invalid(
        "duplicate_id.yaml",
        &[
            "duplicate_id.yaml:8:10: duplicate id `radar`: already used by the sensor at line 6, column 10",
            "duplicate_id.yaml:15:9: duplicate id `wave`: already used by the raid group at line 10, column 9",
        ],
    );
}

#[test]
fn latitudes_and_longitudes_out_of_range() {
    invalid(
        "coordinates.yaml",
        &[
            "coordinates.yaml:4:23: latitude out of range: expected -90 to 90 degrees, found 92.08",
            "coordinates.yaml:6:46: longitude out of range: expected -180 to 180 degrees, found -190.5",
            "coordinates.yaml:13:23: latitude out of range: expected -90 to 90 degrees, found -91",
            "coordinates.yaml:13:28: longitude out of range: expected -180 to 180 degrees, found 200",
        ],
    );
}

#[test]
fn nan_and_infinity_are_refused() {
    invalid(
        "non_finite.yaml",
        &[
            "non_finite.yaml:4:49: expected a finite number, found `.nan`",
            "non_finite.yaml:6:65: expected a finite number, found `.inf`",
            "non_finite.yaml:15:12: expected a finite number, found `-.inf`",
        ],
    );
}

#[test]
fn zero_and_negative_counts_and_stocks_are_refused() {
    invalid(
        "counts.yaml",
        &[
            "counts.yaml:2:7: expected a positive whole number for `runs`, found 0",
            "counts.yaml:9:77: expected a positive whole number for `launchers`, found -2",
            "counts.yaml:9:102: expected a positive whole number for `rounds_per_launcher`, found 0",
            "counts.yaml:10:57: expected a positive whole number for `rounds`, found 0",
            "counts.yaml:10:75: expected a positive whole number for `fire_channels`, found -1",
            "counts.yaml:14:12: expected a positive whole number for `count`, found 0",
            "counts.yaml:15:66: expected a positive whole number for `sites`, found -3",
        ],
    );
}

#[test]
fn an_aim_out_of_the_threats_range_is_refused_at_the_launch_site() {
    invalid(
        "out_of_range.yaml",
        &[
            "out_of_range.yaml:13:37: asset `city` is out of range: this site is 2385 km from it, but `emad` flies at most",
            "out_of_range.yaml:18:23: the aim point is too close: this site is 12 km from it, but `fateh-110` flies at least",
        ],
    );
}

#[test]
fn an_empty_raid_is_refused() {
    invalid(
        "empty_raid.yaml",
        &["empty_raid.yaml:9:7: the raid is empty: expected at least one raid group"],
    );
}

#[test]
fn ranges_must_be_ordered() {
    invalid(
        "bad_range.yaml",
        &[
            "bad_range.yaml:9:36: expected low <= nominal <= high for `kill_probability`, found low 0.9 > nominal 0.8",
            "bad_range.yaml:11:23: expected low <= nominal <= high for `decision_latency_s`, found nominal 5 > high 4",
            "bad_range.yaml:18:12: expected low <= nominal <= high for `cep_m`, found low 600 > nominal 500",
        ],
    );
}

#[test]
fn overrides_are_checked_against_the_catalog_type() {
    invalid(
        "overrides.yaml",
        &[
            "overrides.yaml:9:18: unknown parameter `kill_probabilty` for interceptor type `arrow-3`; did you mean `kill_probability`?",
            "overrides.yaml:9:59: unknown threat class `balistic` in `kill_probability`; expected `ballistic`,",
            "overrides.yaml:16:30: expected a probability from 0 to 1 for `reliability`, found 1.5",
            "overrides.yaml:16:47: expected `true` or `false` for `separating`, found the string `yes`",
        ],
    );
}

#[test]
fn a_file_that_is_not_yaml() {
    invalid("not_yaml.yaml", &["not_yaml.yaml:3:3: not valid YAML: "]);
}

#[test]
fn an_empty_file() {
    invalid(
        "empty.yaml",
        &["empty.yaml:1:1: the file is empty: expected a scenario"],
    );
}

#[test]
fn a_binary_file_is_refused_at_its_first_bad_byte() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario_cmds_binary.yaml");
    std::fs::write(&path, b"name: x\nraid: \xff\xfe\n").expect("write");
    let run = skyshield(&["validate", path.to_str().expect("utf-8 path")]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("scenario_cmds_binary.yaml:2:7: not a text file: expected UTF-8 text"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_50_mb_file_is_refused_without_being_read() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scenario_cmds_50mb.yaml");
    let file = std::fs::File::create(&path).expect("create");
    // A sparse file: 50 MB long, no disk used; reading it would take 50 MB of memory.
    file.set_len(50 * 1024 * 1024).expect("set_len");
    drop(file);
    let run = skyshield(&["validate", path.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "scenario_cmds_50mb.yaml:1:1: the file is too large: 52428800 bytes, over the limit of 10485760 bytes (10 MiB)"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_file_is_an_input_error() {
    let run = skyshield(&["validate", "no-such-file.yaml"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .starts_with("no-such-file.yaml:1:1: cannot read the file:"),
        "{}",
        run.stderr
    );
}

#[test]
fn validate_needs_a_file() {
    let run = skyshield(&["validate"]);
    assert_eq!(run.code, 2);
}

#[test]
fn schema_prints_a_json_schema() {
    let run = skyshield(&["schema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON on stdout");
    assert_eq!(schema["title"], "skyshield scenario");
    assert!(
        schema["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org"))
    );
    for field in [
        "name",
        "assets",
        "sensors",
        "batteries",
        "command",
        "raid",
        "warning",
        "layers",
    ] {
        assert!(
            schema["properties"][field].is_object(),
            "no property {field}"
        );
    }
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn catalog_list_prints_every_type() {
    let run = skyshield(&["catalog", "list"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().expect("a header");
    assert!(
        header.starts_with("ID") && header.contains("CLASS"),
        "{header}"
    );
    for id in ["emad", "arrow-3", "green-pine", "space-ir", "shahed-136"] {
        assert!(
            run.stdout.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} missing:\n{}",
            run.stdout
        );
    }
    // `list` is the default.
    assert_eq!(skyshield(&["catalog"]).stdout, run.stdout);
}

#[test]
fn catalog_list_as_json() {
    let run = skyshield(&["catalog", "list", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let entries = list.as_array().expect("an array");
    assert!(entries.len() >= 30);
    let emad = entries.iter().find(|e| e["id"] == "emad").expect("emad");
    assert_eq!(emad["kind"], "threat");
    assert_eq!(emad["class"], "ballistic");
}

#[test]
fn catalog_show_prints_parameters_units_and_sources() {
    let run = skyshield(&["catalog", "show", "arrow-3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;
    assert!(
        out.contains("PARAMETER") && out.contains("NOMINAL") && out.contains("UNIT"),
        "{out}"
    );
    let row = out
        .lines()
        .find(|l| l.starts_with("max_altitude_km "))
        .expect("a max_altitude_km row");
    assert!(row.contains(" km "), "{row}");
    assert!(out.contains("\nSources:\n"), "{out}");
}

#[test]
fn catalog_show_as_json_has_ranges_units_and_citations() {
    let run = skyshield(&["catalog", "show", "emad", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let e: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(e["id"], "emad");
    let range = &e["parameters"]["max_range_km"];
    assert_eq!(range["unit"], "km");
    let (low, nominal, high) = (
        range["low"].as_f64().expect("low"),
        range["nominal"].as_f64().expect("nominal"),
        range["high"].as_f64().expect("high"),
    );
    assert!(low <= nominal && nominal <= high);
    let citations = range["citations"].as_array().expect("citations");
    assert!(!citations.is_empty());
    for (i, key) in range["source"]
        .as_array()
        .expect("source")
        .iter()
        .enumerate()
    {
        assert_eq!(citations[i], e["sources"][key.as_str().expect("key")]);
    }
    assert_eq!(
        e["parameters"]["separating"]["low"],
        serde_json::Value::Null
    );
}

#[test]
fn catalog_show_of_an_unknown_id_suggests_the_closest() {
    let run = skyshield(&["catalog", "show", "aroow-3"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: unknown catalog id `aroow-3`; did you mean `arrow-3`?\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn command_line_mistakes_get_the_whole_message_and_a_suggestion() {
    // A misspelt subcommand: clap's tip and the usage line.
    let run = skyshield(&["runn"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unrecognized subcommand 'runn'"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("similar subcommand exists: 'run'"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("Usage: skyshield"), "{}", run.stderr);
    // Missing arguments are all named, with the usage line.
    let run = skyshield(&["replay"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for missing in ["--run <RUN>", "<SCENARIO>", "Usage: skyshield replay"] {
        assert!(run.stderr.contains(missing), "{missing}: {}", run.stderr);
    }
    // A catalog id that is no id but part of some names: the entries that carry it.
    let run = skyshield(&["catalog", "show", "patriot"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("did you mean `pac-2-gem-t`, `pac-3-mse` or `an-mpq-65`?"),
        "{}",
        run.stderr
    );
    // A misspelt one: the closest id.
    let run = skyshield(&["catalog", "show", "pac-3-mce"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `pac-3-mse`?"),
        "{}",
        run.stderr
    );
    // Help is not an error.
    let run = skyshield(&["run", "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("--runs"), "{}", run.stdout);
}

#[test]
fn a_lint_is_a_warning_on_stderr_and_an_error_with_deny_warnings() {
    let warning = "swapped.yaml:4:23: warning: asset `city` at [34.78, 32.08] lies at sea";
    let run = skyshield(&["validate", "swapped.yaml"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "swapped.yaml: ok\n");
    assert!(run.stderr.starts_with(warning), "{}", run.stderr);
    assert!(
        run.stderr.contains("[32.08, 34.78] would put it on land"),
        "{}",
        run.stderr
    );

    let denied = skyshield(&["validate", "--deny-warnings", "swapped.yaml"]);
    assert_eq!(denied.code, 2, "{}", denied.stderr);
    assert_eq!(denied.stdout, "");
    assert!(denied.stderr.starts_with(warning), "{}", denied.stderr);
    assert!(
        denied.stderr.contains("1 problem in 1 of 1 file"),
        "{}",
        denied.stderr
    );

    // `run` warns and runs; with --deny-warnings it runs nothing.
    let run = skyshield(&["run", "swapped.yaml", "--runs", "2", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(warning), "{}", run.stderr);
    let denied = skyshield(&["run", "swapped.yaml", "--runs", "2", "--deny-warnings"]);
    assert_eq!(denied.code, 2, "{}", denied.stderr);
    assert_eq!(denied.stdout, "");
    assert!(
        denied
            .stderr
            .contains("1 warning(s), denied by --deny-warnings"),
        "{}",
        denied.stderr
    );
}
