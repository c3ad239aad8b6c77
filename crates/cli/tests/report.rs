//! `skyshield report`, run as a user would: on the output folder of `skyshield run --out`.

use std::path::{Path, PathBuf};

mod common;

use common::{repo, scratch, skyshield};

const FIGURES: [&str; 6] = [
    "plot-leakers",
    "plot-leak-causes",
    "plot-layers",
    "plot-cost",
    "plot-map",
    "plot-timeline",
];

/// The figures of the civil warning section, shown when the summary has warning.
const WARNING_FIGURES: [&str; 2] = ["plot-zones", "plot-lead"];

/// The values of every `src=` and `href=` attribute of `html`.
fn references(html: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for attr in ["src=", "href=", "srcset="] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest.split([' ', '>']).next().unwrap_or(""),
            };
            refs.push(value.to_string());
        }
    }
    refs
}

fn run_out(dir: &Path) {
    let out = dir.display().to_string();
    let run = skyshield(&["run", "--runs", "20", "--seed", "4", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn report_of_a_run_writes_a_self_contained_page_and_every_plot() {
    let dir = scratch("full");
    run_out(&dir);
    let out = dir.display().to_string();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(
        report.stdout.is_empty(),
        "files only; the note goes to stderr"
    );
    assert!(report.stderr.contains("report.html"), "{}", report.stderr);

    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    for id in FIGURES {
        assert!(
            html.contains(&format!("<figure id=\"{id}\">")),
            "figure {id} is on the page"
        );
        for ext in ["svg", "png"] {
            let path = dir.join("plots").join(format!("{id}.{ext}"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(bytes.len() > 1000, "{} is a plot", path.display());
        }
    }
    let network: Vec<_> = references(&html)
        .into_iter()
        .filter(|r| {
            r.trim_start().starts_with("http:")
                || r.trim_start().starts_with("https:")
                || r.trim_start().starts_with("//")
        })
        .collect();
    assert!(
        network.is_empty(),
        "resources from the network: {network:?}"
    );
    assert!(!html.contains("<script"), "no script");
    assert!(!html.contains("<link"), "no external style sheet");
    // Summary with uncertainty, and how to reproduce it.
    for text in [
        "Default layered defense against a mixed raid",
        "P(no leaker)",
        "95 % Wilson interval",
        "iron-dome",
        "coastal-city",
        "exchange ratio",
        "--runs 20 --seed 4 --out",
        &format!("skyshield report {out}"),
    ] {
        assert!(html.contains(text), "the page lacks {text:?}");
    }
    assert!(
        !dir.read_dir()
            .unwrap()
            .chain(dir.join("plots").read_dir().unwrap())
            .any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".partial")),
        "no temporary file is left"
    );
}

#[test]
fn out_names_the_page_file() {
    let dir = scratch("out-file");
    run_out(&dir);
    let page = dir.join("elsewhere.html");
    let report = skyshield(&[
        "report",
        &dir.display().to_string(),
        "--out",
        &page.display().to_string(),
    ]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(page.is_file());
    assert!(!dir.join("report.html").exists());
    assert!(dir.join("plots/plot-map.svg").is_file());
}

#[test]
fn a_missing_or_malformed_input_is_named_and_exits_2() {
    let dir = scratch("bad");
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.display().to_string();

    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report.stderr.contains("summary.json: cannot read the file"),
        "{}",
        report.stderr
    );

    std::fs::write(dir.join("summary.json"), "{\"scenario\": \"x\"}").unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report.stderr.contains("summary.json: missing field"),
        "{}",
        report.stderr
    );

    // A run replaces only a folder that is empty or that skyshield wrote.
    std::fs::remove_file(dir.join("summary.json")).unwrap();
    run_out(&dir);
    std::fs::remove_file(dir.join("events.parquet")).unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report
            .stderr
            .contains("events.parquet: cannot read the file"),
        "{}",
        report.stderr
    );

    std::fs::write(dir.join("events.parquet"), "PAR1 but not really").unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report
            .stderr
            .contains("events.parquet: not a readable Parquet file"),
        "{}",
        report.stderr
    );
    assert!(
        !dir.join("report.html").exists(),
        "no report from bad input"
    );
}

#[test]
fn a_broken_scenario_copy_is_reported_with_its_line() {
    let dir = scratch("bad-scenario");
    run_out(&dir);
    std::fs::write(dir.join("scenario.yaml"), "name: x\nrunz: 3\n").unwrap();
    let report = skyshield(&["report", &dir.display().to_string()]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report.stderr.contains("scenario.yaml:2:"),
        "{}",
        report.stderr
    );
    assert!(
        !dir.join("report.html").exists(),
        "no report from bad input"
    );
}

#[test]
fn an_abstract_scenario_gets_every_plot_but_the_map() {
    let dir = scratch("abstract");
    let out = dir.display().to_string();
    let scenario = repo("scenarios/examples/abstract-two-layers.yaml")
        .display()
        .to_string();
    let run = skyshield(&["run", &scenario, "--runs", "30", "--out", &out]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    for id in FIGURES {
        let shown = html.contains(&format!("<figure id=\"{id}\">"));
        assert_eq!(shown, id != "plot-map", "{id}");
    }
    assert!(html.contains("The scenario is abstract"));
    // No warning zones: no warning section, no warning plots.
    assert!(!html.contains("<section id=\"warning\">"));
    for id in WARNING_FIGURES {
        assert!(!html.contains(id), "{id}");
        assert!(
            !dir.join("plots").join(format!("{id}.svg")).exists(),
            "{id}"
        );
    }
}

/// Runs `skyshield run` with `args` into a fresh folder `name`, then `skyshield report` on it:
/// the folder and the page.
fn run_and_report(name: &str, args: &[&str]) -> (PathBuf, String) {
    let dir = scratch(name);
    let out = dir.display().to_string();
    let run = skyshield(&[&["run"], args, &["--out", &out]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    (dir, html)
}

#[test]
fn the_reproduce_command_names_a_sample_other_than_the_default() {
    let args = ["--runs", "12", "--seed", "2", "--sample-runs", "5"];
    let (_, html) = run_and_report("sample", &args);
    assert!(
        html.contains("--runs 12 --seed 2 --sample-runs 5 --out"),
        "the command keeps the sample of 5 runs"
    );
    assert!(
        html.contains("over all 5 sampled runs"),
        "the timeline says which runs"
    );
    assert!(!html.contains("--nominal"), "parameters were sampled");
}

#[test]
fn the_commands_of_a_nominal_run_keep_its_parameters_nominal() {
    let (dir, html) = run_and_report("nominal", &["--runs", "12", "--seed", "2", "--nominal"]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("summary.json")).expect("summary.json"))
            .expect("summary JSON");
    assert_eq!(summary["parameters"], "nominal");
    let k = summary["representative_run"]
        .as_u64()
        .expect("a representative run");
    assert!(
        html.contains("--runs 12 --seed 2 --nominal --out"),
        "the run"
    );
    assert!(
        html.contains(&format!("--run {k} --seed 2 --nominal --out")),
        "the replay of the representative run"
    );
    assert!(html.contains("every parameter at its nominal value"));
}

#[test]
fn a_scenario_with_warning_zones_gets_the_civil_warning_section_and_its_plots() {
    let dir = scratch("warning");
    // The default scenario has warning zones; `run --out` writes zones.geojson for them.
    run_out(&dir);
    assert!(dir.join("zones.geojson").is_file());
    let out = dir.display().to_string();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(dir.join("report.html")).expect("report.html");
    let start = html
        .find("<section id=\"warning\">\n<h2>Civil warning</h2>")
        .expect("the civil warning section");
    let section = &html[start..start + html[start..].find("</section>").unwrap()];
    for text in [
        "Siren lead time</dt><dd>5th, 50th, 95th percentiles",
        "Early-warning lead time</dt><dd>5th, 50th, 95th percentiles",
        "False-alarm zones per run</dt><dd>",
        "People in false-alarm zones per run</dt><dd>",
        "People warned too late per run</dt><dd>",
        "People-minutes under alert per run</dt><dd>",
        "95 % CI",
    ] {
        assert!(section.contains(text), "the section lacks {text:?}");
    }
    for id in WARNING_FIGURES {
        assert!(
            section.contains(&format!("<figure id=\"{id}\">")),
            "figure {id} is in the section"
        );
        for ext in ["svg", "png"] {
            let path = dir.join("plots").join(format!("{id}.{ext}"));
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(bytes.len() > 1000, "{} is a plot", path.display());
        }
    }
    let zones = std::fs::read_to_string(dir.join("plots/plot-zones.svg")).unwrap();
    assert!(zones.contains("<polygon"), "the zones are drawn");
    let lead = std::fs::read_to_string(dir.join("plots/plot-lead.svg")).unwrap();
    assert!(lead.matches("<rect").count() > 3, "the histogram has bars");

    // A summary without warning needs no zones.geojson and shows neither section nor plots.
    let summary_path = dir.join("summary.json");
    let mut summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    let warning = summary.as_object_mut().unwrap().remove("warning");
    assert!(warning.is_some());
    std::fs::write(&summary_path, summary.to_string()).unwrap();
    std::fs::remove_file(dir.join("zones.geojson")).unwrap();
    std::fs::remove_dir_all(dir.join("plots")).unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    let html = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(!html.contains("Civil warning"));
    for id in WARNING_FIGURES {
        assert!(!html.contains(id), "{id}");
        assert!(
            !dir.join("plots").join(format!("{id}.svg")).exists(),
            "{id}"
        );
    }
}

#[test]
fn a_missing_or_malformed_zones_file_is_named_and_exits_2() {
    let dir = scratch("bad-zones");
    run_out(&dir);
    let out = dir.display().to_string();
    let zones = dir.join("zones.geojson");
    std::fs::remove_file(&zones).unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report
            .stderr
            .contains("zones.geojson: cannot read the file"),
        "{}",
        report.stderr
    );
    std::fs::write(&zones, "{\"type\": \"FeatureCollection\", \"features\": 3}").unwrap();
    let report = skyshield(&["report", &out]);
    assert_eq!(report.code, 2, "{}", report.stderr);
    assert!(
        report
            .stderr
            .contains("zones.geojson: not a GeoJSON FeatureCollection"),
        "{}",
        report.stderr
    );
    assert!(
        !dir.join("report.html").exists(),
        "no report from bad input"
    );
}
