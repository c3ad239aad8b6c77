//! Limits on the size of a scenario and of a run: each excess is refused with exit code 2,
//! at the file, line and column of the field that asks for it, naming the limit and the flag
//! that raises it; the flag does raise it.

mod common;

use std::path::PathBuf;

use common::{repo, skyshield};

/// The default scenario with `from` replaced by `to` (the first time), in a file of its own.
fn changed(case: &str, from: &str, to: &str) -> PathBuf {
    let text = std::fs::read_to_string(repo("scenarios/default.yaml")).expect("read");
    assert!(text.contains(from), "{from} is in the default scenario");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("limits");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join(format!("{case}.yaml"));
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    path
}

/// The line and column (1-based) of the first `needle` in the file.
fn position(path: &PathBuf, needle: &str) -> String {
    let text = std::fs::read_to_string(path).expect("read");
    let (line, text) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains(needle))
        .expect("the needle is in the file");
    format!(
        "{}:{}:{}",
        path.display(),
        line + 1,
        text.find(needle).expect("found") + 1
    )
}

#[test]
fn a_hundred_million_threats_are_refused_at_the_count() {
    let path = changed("count", "count: 30", "count: 100000000");
    let at = position(&path, "100000000");
    for command in ["validate", "run"] {
        let r = skyshield(&[command, path.to_str().expect("utf-8")]);
        assert_eq!(r.code, 2, "{command}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "{at}: raid group `ghadr-wave`'s `count` brings the raid to 100000040 threats per scenario, over the limit of 100000 (raise it with --max-threats)"
            )),
            "{command}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{command}: nothing on stdout");
    }
    // The flag raises it.
    let r = skyshield(&[
        "validate",
        path.to_str().expect("utf-8"),
        "--max-threats",
        "100000250",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn trajectories_zones_and_runs_are_limited_at_their_fields() {
    let cases = [
        (
            "sites",
            "sites: 4,",
            "sites: 20000,",
            "20000",
            "--max-trajectories",
        ),
        (
            "grid",
            "grid_km: 10",
            "grid_km: 0.01",
            "0.01",
            "--max-zones",
        ),
        (
            "runs",
            "runs: ",
            "runs: 99000000 #",
            "99000000",
            "--max-runs",
        ),
    ];
    for (case, from, to, needle, flag) in cases {
        let path = changed(case, from, to);
        let at = position(&path, needle);
        let r = skyshield(&["validate", path.to_str().expect("utf-8")]);
        assert_eq!(r.code, 2, "{case}: {}", r.stderr);
        let line = r.stderr.lines().next().unwrap_or_default().to_owned();
        assert!(line.starts_with(&format!("{at}: ")), "{case}: {line}");
        assert!(
            line.contains(&format!("(raise it with {flag})")),
            "{case}: {line}"
        );
        let raised = skyshield(&["validate", path.to_str().expect("utf-8"), flag, "100000000"]);
        assert_eq!(raised.code, 0, "{case}: {}", raised.stderr);
    }
}

#[test]
fn options_over_a_limit_are_refused_before_running() {
    for (args, message) in [
        (
            &["run", "--runs", "5", "--max-runs", "4"][..],
            "--runs asks for 5 runs, over the limit of 4 (raise it with --max-runs)",
        ),
        (
            &[
                "run",
                "--runs",
                "5",
                "--sample-runs",
                "3",
                "--max-sample-runs",
                "2",
            ][..],
            "--sample-runs asks for 3 sample runs, over the limit of 2 (raise it with --max-sample-runs)",
        ),
    ] {
        let r = skyshield(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{args:?}: nothing run");
    }
}
