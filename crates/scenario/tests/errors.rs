//! Problems of a scenario file: each names its line and column, says what was found and what
//! was expected, and every problem of a file is reported at once.

use std::path::Path;

use skyshield_scenario::{LoadError, MAX_FILE_BYTES, from_str, load, parse_str};

/// The problems of `text` as `LINE:COL: message`.
fn problems(text: &str) -> Vec<String> {
    match from_str(text, Path::new("s.yaml")) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| {
                assert_eq!(d.file, Path::new("s.yaml"));
                format!("{}:{}: {}", d.line, d.column, d.message)
            })
            .collect(),
    }
}

fn assert_problems(text: &str, expected: &[&str]) {
    let found = problems(text);
    assert_eq!(
        found.len(),
        expected.len(),
        "expected {expected:#?}\nfound {found:#?}"
    );
    for (f, e) in found.iter().zip(expected) {
        assert!(
            f.starts_with(e),
            "expected {e:?}\nfound    {f:?}\nall: {found:#?}"
        );
    }
}

const HEAD: &str = "name: t
assets:
  - id: city
    circle: {center: [32.08, 34.78], radius_km: 12}
sensors:
  - {id: radar, type: green-pine, at: [31.9, 34.9]}
";

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let text = "name: many
runs: -1
colour: blue
assets:
  - id: city
    circle: {center: [32.08, 34.78], radius_km: 0}
  - id: city
    polygon: [[1, 2], [3, 4]]
sensors:
  - {id: radar, type: green-pine}
  - {id: ew, type: space-ir, at: [1, 2]}
batteries:
  - {id: b1, type: arrow-3, at: [31.85, 34.85], radar: ew, defends: [town], launchers: two}
  - {id: b2, type: iron-dome, at: [32.0, 134.8, 99999999], rounds: 3, rounds_per_launcher: 4}
command:
  doctrine: {reserve_fraction: 1, shots_per_engagement: 0}
raid:
  - id: wave
    threat: emad
    count: 5
    launch: {sites: [[34.3, 47.1]], window_s: [60, 0]}
    target: city
    route: [[33, 40]]
  - id: cruise
    threat: paveh
    count: 2
    launch: {area: {center: [33.4, 45.9], radius_km: 10}}
    aim: [31.4, 35.2]
    shape: lofted
";
    assert_problems(
        text,
        &[
            "2:7: expected a positive whole number for `runs`, found -1",
            "3:1: unknown field `colour` in scenario file",
            "6:49: expected a number > 0 for `radius_km`, found 0",
            "7:9: duplicate id `city`: already used by the asset at line 5, column 9",
            "8:14: a polygon needs at least 3 vertices, found 2",
            "10:10: missing field `at`: radar `radar` needs a position",
            "11:35: `space-ir` is a space-based sensor and has no ground position; remove `at`",
            "13:56: sensor `ew` is of class `space_ir`, not a radar",
            "13:70: unknown asset `town`; expected `city`",
            "13:88: expected an integer, found the string `two`",
            "14:49: invalid position: height must be between",
            "14:92: give `rounds` (in all) or `rounds_per_launcher`, not both",
            "16:32: expected a fraction from 0 up to, not including, 1 for `reserve_fraction`, found 1",
            "16:57: expected a positive whole number for `shots_per_engagement`, found 0",
            "21:47: expected `window_s: [start_s, end_s]` with start_s <= end_s, found [60, 0]",
            "23:12: `route` applies to cruise missiles and drones; `emad` is a ballistic type",
            "29:12: `shape` applies to ballistic, quasi-ballistic and rocket types; `paveh` is a cruise type",
        ],
    );
}

#[test]
fn a_battery_that_could_never_engage() {
    let text = format!(
        "{HEAD}command: {{network: false}}\nbatteries:\n  - {{id: b, type: arrow-3, at: [31.9, 34.9]}}\n\
         raid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: city}}]\n"
    );
    assert_problems(
        &text,
        &["9:10: battery `b` has no `radar` and `command.network` is false"],
    );
}

#[test]
fn trajectory_shape_and_apogee() {
    let text = format!(
        "{HEAD}raid:\n\
         \x20 - {{id: a, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: city, apogee_km: 300}}\n\
         \x20 - {{id: b, threat: iskander-m, count: 1, launch: {{sites: [[33.5, 36.3]]}}, target: city, shape: depressed, apogee_km: 5000}}\n\
         \x20 - {{id: c, threat: shahed-136, count: 1, launch: {{sites: [[33.5, 36.3]]}}, target: city, apogee_km: 1}}\n\
         \x20 - {{id: d, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: city, shape: lofty}}\n"
    );
    assert_problems(
        &text,
        &[
            "8:95: `apogee_km` sets the apogee of a `lofted` or `depressed` trajectory; a `min-energy` trajectory has its own",
            "9:119: `apogee_km` 5000 is above the type's `max_apogee_km`",
            "10:101: `apogee_km` applies to ballistic, quasi-ballistic and rocket types; `shahed-136` is a drone type",
            "11:91: unknown value `lofty`; expected `min-energy`, `lofted` or `depressed`; did you mean `lofted`?",
        ],
    );
}

#[test]
fn launch_and_aim_must_be_complete() {
    let text = format!(
        "{HEAD}raid:\n\
         \x20 - {{id: a, threat: emad, count: 1, launch: {{window_s: [0, 1]}}, target: city, aim: [31, 35]}}\n\
         \x20 - {{id: b, threat: emad, count: 1, launch: {{sites: 3}}}}\n\
         \x20 - {{id: c, threat: emad, count: 1, launch: {{sites: []}}, target: city}}\n"
    );
    assert_problems(
        &text,
        &[
            "8:45: `launch` needs `sites` (a list of [lat, lon]) or an `area`",
            "8:85: raid group `a` has both `target` and `aim`; give one",
            "9:10: raid group `b` has nothing to aim at",
            "9:53: a number of `sites` needs a launch `area`",
            "10:53: expected at least one launch site, found an empty list",
        ],
    );
}

#[test]
fn layered_and_abstract_fields_do_not_mix() {
    let text = "name: mixed\nkind: abstract\nthreats: 0\nassets: []\n\
                layers: [{id: l, kill_probability: 1.2, tracking_probability: 0.9, reliability: 2}]\n";
    assert_problems(
        text,
        &[
            "3:10: expected a positive whole number for `threats`, found 0",
            "4:9: `assets` belongs to layered scenarios; this one is `kind: abstract`",
            "5:36: expected a probability from 0 to 1 for `kill_probability`, found 1.2",
            "5:81: expected a probability from 0 to 1 for `reliability`, found 2",
        ],
    );
    let layered = format!(
        "{HEAD}threats: 5\nraid: [{{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: city}}]\n"
    );
    assert_problems(
        &layered,
        &[
            "7:10: `threats` belongs to abstract (`kind: abstract`) scenarios; this one is `kind: layered`",
        ],
    );
    assert_problems(
        "name: a\nkind: abstract\n",
        &[
            "1:1: missing field `layers`: an abstract scenario needs at least one layer",
            "1:1: missing field `threats`: an abstract scenario needs the number of threats",
        ],
    );
}

#[test]
fn start_is_an_rfc_3339_date_time_with_its_offset() {
    let abstract_ = "kind: abstract\nthreats: 2\nlayers: [{id: l, kill_probability: 0.5}]\n";
    let at = |start: &str| {
        from_str(
            &format!("name: a\nstart: {start}\n{abstract_}"),
            Path::new("s.yaml"),
        )
        .map(|s| s.start.map(|t| t.as_second()))
    };
    assert_eq!(at("2024-10-01T16:30:00Z").ok(), Some(Some(1_727_800_200)));
    assert_eq!(
        at("2024-10-01T19:30:00+03:00").ok(),
        Some(Some(1_727_800_200))
    );
    assert_eq!(
        from_str(&format!("name: a\n{abstract_}"), Path::new("s.yaml"))
            .map(|s| s.start)
            .ok(),
        Some(None)
    );
    for bad in [
        "2024-10-01T16:30:00",
        "2024-10-01",
        "2024-02-30T00:00:00Z",
        "yesterday",
    ] {
        let found = problems(&format!("name: a\nstart: {bad}\n{abstract_}"));
        assert_eq!(found.len(), 1, "{bad}: {found:?}");
        assert!(
            found[0].starts_with(&format!(
                "2:8: expected an RFC 3339 date-time such as `2024-10-01T16:30:00Z` for `start`, found `{bad}`"
            )),
            "{found:?}"
        );
    }
}

#[test]
fn a_misspelt_kind_or_tracking() {
    assert_problems(
        "name: a\nkind: abstrat\ntracking: comon\n",
        &[
            "2:7: unknown value `abstrat`; expected `layered` or `abstract`; did you mean `abstract`?",
            "3:11: unknown value `comon`; expected `independent` or `common`; did you mean `common`?",
        ],
    );
}

#[test]
fn warning_zones_need_a_grid_or_a_file() {
    let raid =
        "raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: city}]\n";
    assert_problems(
        &format!("{HEAD}{raid}warning: {{zones: {{shelter_time_s: 90}}}}\n"),
        &["8:18: warning `zones` need `grid_km` (a grid over assets) or `geojson`"],
    );
    assert_problems(
        &format!("{HEAD}{raid}warning: {{zones: {{grid_km: 5, over: [cty]}}}}\n"),
        &[
            "8:18: missing field `shelter_time_s`",
            "8:38: unknown asset `cty`; did you mean `city`?",
        ],
    );
    assert_problems(
        &format!(
            "{HEAD}{raid}warning: {{zones: {{grid_km: 5, over: everything, shelter_time_s: 1}}}}\n"
        ),
        &["8:37: unknown value `everything`; expected `assets`"],
    );
}

#[test]
fn references_to_elements_that_could_not_be_read_are_not_reported_twice() {
    // `city` cannot be read (its radius is text); the battery and the raid group refer to it.
    let text = "name: t
assets:
  - {id: city, circle: {center: [32.08, 34.78], radius_km: large}}
batteries:
  - {id: b, type: arrow-3, at: [31.9, 34.9], defends: [city]}
raid: [{id: g, threat: emad, count: 1, launch: {sites: [[34.3, 47.1]]}, target: city}]
";
    assert_problems(text, &["3:60: expected a number, found the string `large`"]);
}

#[test]
fn structural_problems_come_with_the_semantic_ones() {
    let text = "name: t
assets:
  - {id: city, circle: {center: [32.08, 34.78], radius_km: 5}, populaton: 3}
raid:
  - {id: g, threat: emadd, count: 1, launch: {sites: [[34.3, 47.1]]}, target: city}
";
    assert_problems(
        text,
        &[
            "3:64: unknown field `populaton` in asset; expected `id`, `kind`, `circle`, `polygon`, `population`, `value` or `hardness`; did you mean `population`?",
            "5:21: unknown threat type `emadd`; did you mean `emad`?",
        ],
    );
}

#[test]
fn a_file_without_a_name_is_still_checked_through() {
    assert_problems(
        "raid: []\ncolour: red\n",
        &[
            "1:1: missing field `name`: a scenario needs a short title",
            "1:7: the raid is empty",
            "2:1: unknown field `colour` in scenario file",
        ],
    );
}

#[test]
fn parse_str_reports_structure_only() {
    let text = "name: t\nraid: [{id: g, threat: nothing, count: 1, launch: {sites: [[34.3, 47.1]]}, target: x}]\n";
    let file = parse_str(text, Path::new("p.yaml")).expect("structurally fine");
    let name = file.name.expect("a name");
    assert_eq!(name.value, "t");
    assert_eq!((name.pos.line, name.pos.column), (1, 7));
}

#[test]
fn yaml_errors_empty_files_and_other_roots() {
    assert_problems(
        "name: [1, 2\n",
        &["1:7: not valid YAML: unclosed bracket '['"],
    );
    assert_problems("", &["1:1: the file is empty"]);
    assert_problems("  \n\t\n", &["1:1: the file is empty"]);
    assert_problems(
        "# only a comment\n",
        &["1:1: the file has no content (only comments)"],
    );
    assert_problems(
        "- a\n- b\n",
        &["1:1: expected a mapping (scenario file), found a list"],
    );
    assert_problems(
        "name: a\nname: b\n",
        &["2:1: not valid YAML: duplicate mapping key"],
    );
    assert_problems(
        "---\nname: a\n---\nname: b\n",
        &["4:1: not valid YAML: only single YAML document expected"],
    );
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("errors_too_large.yaml");
    let file = std::fs::File::create(&path).expect("create");
    file.set_len(MAX_FILE_BYTES + 1).expect("set_len");
    drop(file);
    let err = load(&path).unwrap_err();
    let _ = std::fs::remove_file(&path);
    assert!(
        matches!(err, LoadError::TooLarge { size, limit, .. } if size == MAX_FILE_BYTES + 1 && limit == MAX_FILE_BYTES),
        "{err}"
    );
    let d = err.diagnostics();
    assert_eq!((d.0[0].line, d.0[0].column), (1, 1));
}

#[cfg(target_os = "linux")]
#[test]
fn a_stream_of_unknown_length_is_read_no_further_than_the_limit() {
    // /dev/zero reports a size of 0 and never ends: the bounded read stops at the limit.
    let err = load(Path::new("/dev/zero")).unwrap_err();
    assert!(
        matches!(err, LoadError::TooLarge { size, .. } if size == MAX_FILE_BYTES + 1),
        "{err}"
    );
}

#[test]
fn reported_figures_name_known_metrics_and_ordered_ranges() {
    let text = format!(
        "{HEAD}batteries:
  - {{id: b, type: arrow-2, at: [31.6, 34.9], radar: radar}}
raid:
  - {{id: g, threat: emad, count: 2, launch: {{sites: [[34.3, 47.1]]}}, target: city}}
reported:
  - {{figure: hits, value: 5, metric: assets.cty.hits_mean, source: press}}
  - {{figure: shots, value: [9, 3], metric: by_layer.arrow-2.shots, source: press}}
  - {{figure: shots, value: 3, metric: by_layer.arrow-3.shots, source: press}}
  - {{figure: rate, value: 0.9, metric: intercept_ratio, source: press}}
  - {{figure: fate, value: 1, metric: fates.leaked, source: press, colour: red}}
  - {{figure: ok, value: [1, 2], metric: fates.intercepted, source: ''}}
"
    );
    assert_problems(
        &text,
        &[
            "12:38: unknown asset `cty`: expected `city`; did you mean `city`?",
            "13:28: expected a range [low, high] with low <= high, found [9, 3]",
            "14:39: unknown interceptor type `arrow-3`: expected `arrow-2`; did you mean `arrow-2`?",
            "15:40: unknown metric `intercept_ratio`: expected `leakers.mean`",
            "16:67: unknown field `colour` in reported item",
            "17:68: expected a source, found an empty string",
        ],
    );
    let ok = format!(
        "{HEAD}raid:
  - {{id: g, threat: emad, count: 2, launch: {{sites: [[34.3, 47.1]]}}, target: city}}
reported:
  - {{figure: hits, value: [1, 2], metric: assets.city.p_hit, source: press, note: why}}
"
    );
    let s = from_str(&ok, Path::new("s.yaml")).unwrap();
    assert_eq!(s.reported.len(), 1);
    assert_eq!(s.reported[0].metric.to_string(), "assets.city.p_hit");
    assert_eq!((s.reported[0].low, s.reported[0].high), (1.0, 2.0));
}

#[test]
fn warning_metrics_need_a_warning_section() {
    let raid = "raid:
  - {id: g, threat: emad, count: 2, launch: {sites: [[34.3, 47.1]]}, target: city}
";
    let figures = "reported:
  - {figure: siren, value: 90, metric: warning.siren_lead_s.p50, source: press}
  - {figure: alarms, value: 1, metric: warning.false_alarm_zones_mean, source: press}
";
    let without = format!("{HEAD}{raid}{figures}");
    assert_problems(
        &without,
        &[
            "10:40: metric `warning.siren_lead_s.p50` is a civil-warning metric, but the scenario has no `warning:` section",
            "11:40: metric `warning.false_alarm_zones_mean` is a civil-warning metric, but the scenario has no `warning:` section",
        ],
    );
    let with =
        format!("{HEAD}{raid}warning:\n  zones: {{grid_km: 10, shelter_time_s: 90}}\n{figures}");
    let s = from_str(&with, Path::new("s.yaml")).unwrap();
    let metrics: Vec<String> = s.reported.iter().map(|r| r.metric.to_string()).collect();
    assert_eq!(
        metrics,
        ["warning.siren_lead_s.p50", "warning.false_alarm_zones_mean"]
    );
}

#[test]
fn batteries_and_doctrine_of_engagement_are_checked_where_they_are_written() {
    let text = format!(
        "{HEAD}batteries:
  - {{id: b1, type: iron-dome, at: [32.0, 34.8], remote_tracks: false}}
  - {{id: b2, type: iron-dome, at: [32.0, 34.8], radar: radar, depot_rounds: -3, network_delay_s: -1}}
  - {{id: b3, type: iron-dome, at: [32.0, 34.8], radar: radar, reserve_fraction: 1.5}}
command:
  policy: by-value
  doctrine: {{reserve_by_tier: {{upper: 1}}, required_kill_probability: 2}}
raid:
  - {{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]]}}, target: city}}
"
    );
    assert_problems(
        &text,
        &[
            "8:10: battery `b1` has no `radar` and its `remote_tracks` is false, so it could never engage; give it a `radar`",
            "9:77: expected a count from 0 to 4294967295 for `depot_rounds`, found -3",
            "9:98: expected a number >= 0 for `network_delay_s`, found -1",
            "10:81: expected a fraction from 0 up to, not including, 1 for `reserve_fraction`, found 1.5",
            "12:11: unknown value `by-value`; expected `earliest-intercept`, `value-weighted` or `cost-aware`",
            "13:39: expected a fraction from 0 up to, not including, 1 for `reserve_by_tier.upper`, found 1",
            "13:70: expected a probability from 0 to 1 for `required_kill_probability`, found 2",
        ],
    );
}

#[test]
fn launch_pulses_are_checked() {
    let text = format!(
        "{HEAD}raid:\n\
         \x20 - {{id: a, threat: emad, count: 3, launch: {{sites: [[34.3, 47.1]], window_s: [0, 1], pulses: [{{window_s: [0, 1], count: 3}}]}}, target: city}}\n\
         \x20 - {{id: b, threat: emad, count: 5, launch: {{sites: [[34.3, 47.1]], pulses: [{{window_s: [0, 60], count: 2}}, {{window_s: [600, 660], count: 2}}]}}, target: city}}\n\
         \x20 - {{id: c, threat: emad, count: 2, launch: {{sites: [[34.3, 47.1]], pulses: [{{window_s: [60, 0], count: 1}}, {{window_s: [0, 0], count: 0}}]}}, target: city}}\n\
         \x20 - {{id: d, threat: emad, count: 2, launch: {{sites: [[34.3, 47.1]], pulses: []}}, target: city}}\n\
         \x20 - {{id: e, threat: emad, count: 2, launch: {{sites: [[34.3, 47.1]], pulses: [{{window_s: [0, 60], count: two}}, {{window_s: [0, 60], rounds: 1}}]}}, target: city}}\n"
    );
    assert_problems(
        &text,
        &[
            "8:95: give `window_s` or `pulses`, not both",
            "9:77: the counts of `pulses` sum to 4, but the group's `count` is 5; they must be equal",
            "10:89: expected `window_s: [start_s, end_s]` with start_s <= end_s, found [60, 0]",
            "10:135: expected a positive whole number for `count`, found 0",
            "11:77: expected at least one pulse, found an empty list",
            // Pulses that cannot be read: no complaint about their sum or an empty list.
            "12:105: expected an integer, found the string `two`",
            "12:111: missing field `count`",
            "12:131: unknown field `rounds` in pulse; expected `window_s` or `count`",
        ],
    );
}

#[test]
fn at_most_a_thousand_pulses_per_group() {
    let pulse = "{window_s: [0, 0], count: 1}";
    let pulses = vec![pulse; 1001].join(", ");
    let line = format!(
        "  - {{id: g, threat: emad, count: 1001, launch: {{sites: [[34.3, 47.1]], pulses: [{pulses}]}}, target: city}}"
    );
    // The 1001st pulse, where the error points.
    let column = line.match_indices(pulse).nth(1000).expect("1001 pulses").0 + 1;
    let text = format!("{HEAD}raid:\n{line}\n");
    assert_problems(
        &text,
        &[&format!(
            "8:{column}: too many pulses: expected at most 1000 in a raid group, found 1001"
        )],
    );
    // A thousand are accepted.
    let pulses = vec![pulse; 1000].join(", ");
    let text = format!(
        "{HEAD}raid:\n  - {{id: g, threat: emad, count: 1000, launch: {{sites: [[34.3, 47.1]], pulses: [{pulses}]}}, target: city}}\n"
    );
    assert_problems(&text, &[]);
}

#[test]
fn at_most_64_assets() {
    let text = |n: usize| {
        let assets: String = (0..n)
            .map(|k| {
                format!("  - {{id: a{k}, circle: {{center: [32, 34.{k:02}], radius_km: 1}}}}\n")
            })
            .collect();
        format!(
            "name: t\nassets:\n{assets}raid:\n  - {{id: g, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]], window_s: [0, 0]}}, target: a0}}\n"
        )
    };
    // The 65th asset, whose id the error points at, is on line 67.
    assert_problems(
        &text(65),
        &["67:10: too many assets: expected at most 64, found 65"],
    );
    assert_problems(&text(64), &[]);
}

#[test]
fn a_tab_in_indentation_and_a_unit_in_a_value_get_their_hints() {
    let tab = problems(&HEAD.replace("  - id: city", "\t- id: city"));
    assert_eq!(tab.len(), 1, "{tab:?}");
    assert!(
        tab[0].contains("not valid YAML") && tab[0].contains("indent with spaces"),
        "{tab:?}"
    );
    let unit = problems(&HEAD.replace("radius_km: 12}", "radius_km: 1500 m}"));
    assert_eq!(unit.len(), 1, "{unit:?}");
    assert!(
        unit[0].contains("found the string `1500 m`")
            && unit[0].contains("write the number alone, `1500`, in the unit the key names"),
        "{unit:?}"
    );
    // A string that is no number with a unit gets no such hint.
    let word = problems(&HEAD.replace("radius_km: 12}", "radius_km: big}"));
    assert!(!word[0].contains("write the number alone"), "{word:?}");
    // Nor does the same number with its unit in a catalog override.
    let text = format!(
        "{HEAD}batteries:\n  - {{id: b, type: arrow-3, at: [31.85, 34.85], overrides: {{max_range_km: \"90 km\"}}}}\n"
    );
    let overridden: Vec<String> = problems(&text)
        .into_iter()
        .filter(|p| !p.contains("missing field `raid`"))
        .collect();
    assert_eq!(overridden.len(), 1, "{overridden:?}");
    assert!(
        overridden[0].contains("for `max_range_km`, found the string `90 km`")
            && overridden[0].contains("write the number alone, `90`"),
        "{overridden:?}"
    );
}
