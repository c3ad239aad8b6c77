//! Faults while reading a scenario and writing `run --out DIR`, with the real binary: a full
//! disk, the process killed, an unreadable folder, a folder skyshield did not write, the
//! output limit. Each gives a clear error and never a folder that looks complete
//! (`summary.json`) but is not; the previous contents of DIR are never half-overwritten.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{repo, skyshield};

/// A fresh folder for one test.
fn scratch(case: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("faults")
        .join(case);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    dir
}

fn abstract_scenario() -> String {
    repo("scenarios/examples/abstract-two-layers.yaml")
        .to_str()
        .expect("utf-8")
        .to_owned()
}

/// A complete run folder `out`, from seed 1; its summary.
fn previous_run(out: &Path) -> String {
    let r = skyshield(&[
        "run",
        &abstract_scenario(),
        "--runs",
        "50",
        "--seed",
        "1",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    std::fs::read_to_string(out.join("summary.json")).expect("summary")
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_full_disk_leaves_the_previous_folder_whole() {
    let dir = scratch("full-disk");
    let out = dir.join("out");
    let before = previous_run(&out);
    let files = names(&out);
    // A file-size limit of 4 KiB (ulimit -f counts 512-byte blocks in sh) stands for a full
    // disk: writes beyond it fail with EFBIG once SIGXFSZ is ignored.
    let status = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 8; exec \"$0\" run \"$1\" --runs 2000 --seed 2 --out \"$2\"")
        .args([env!("CARGO_BIN_EXE_skyshield"), &abstract_scenario()])
        .arg(&out)
        .stdout(Stdio::null())
        .output()
        .expect("sh runs");
    let stderr = String::from_utf8_lossy(&status.stderr);
    assert_eq!(status.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("error: cannot write"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).expect("summary"),
        before
    );
    assert_eq!(names(&out), files);
    assert_eq!(names(&dir), ["out"], "no staging folder is left");
}

#[test]
fn a_killed_run_leaves_the_previous_folder_whole_and_the_next_run_replaces_it() {
    let dir = scratch("killed");
    let out = dir.join("out");
    let before = previous_run(&out);
    let staging = dir.join(".out.partial");
    let mut child = Command::new(env!("CARGO_BIN_EXE_skyshield"))
        .args([
            "run",
            &abstract_scenario(),
            "--runs",
            "200000",
            "--seed",
            "2",
        ])
        .args(["--sample-runs", "10000", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    // Killed (SIGKILL) once it has begun writing its staging folder.
    let start = Instant::now();
    while !staging.exists() {
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the run ended before it was killed"
        );
        assert!(
            start.elapsed() < Duration::from_secs(120),
            "no staging folder"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).expect("summary"),
        before
    );
    assert!(
        !staging.join("summary.json").exists(),
        "the staging folder does not look complete"
    );
    // The next run removes the leftover and replaces the folder.
    previous_run(&out);
    assert_eq!(
        names(&dir),
        ["out"],
        "the leftover staging folder is removed"
    );
}

#[test]
fn a_folder_skyshield_did_not_write_is_never_replaced() {
    let dir = scratch("not-ours");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("dir");
    std::fs::write(out.join("thesis.tex"), "years of work").expect("write");
    let r = skyshield(&[
        "run",
        &abstract_scenario(),
        "--runs",
        "10",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("the folder is not empty and skyshield did not write it (it has no .skyshield-run): refusing to replace it"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty());
    assert_eq!(names(&out), ["thesis.tex"]);
    assert_eq!(names(&dir), ["out"]);
    // A folder it wrote carries its manifest and may be replaced.
    let run = dir.join("run");
    previous_run(&run);
    assert!(run.join(".skyshield-run").is_file());
    previous_run(&run);
}

#[test]
fn output_over_its_limit_is_refused_without_a_folder() {
    let dir = scratch("output-limit");
    let out = dir.join("out");
    let r = skyshield(&[
        "run",
        &abstract_scenario(),
        "--runs",
        "100",
        "--max-output-bytes",
        "1000",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("bytes of output, over the limit of 1000 (raise it with --max-output-bytes)"),
        "{}",
        r.stderr
    );
    assert!(r.stdout.is_empty(), "no summary printed");
    assert!(names(&dir).is_empty(), "{:?}", names(&dir));
}

#[test]
fn an_unreadable_scenario_folder_is_a_clear_error() {
    let dir = scratch("unreadable");
    let folder = dir.join("locked");
    std::fs::create_dir_all(&folder).expect("dir");
    std::fs::copy(repo("scenarios/default.yaml"), folder.join("scenario.yaml")).expect("copy");
    let scenario = folder.join("scenario.yaml");
    let mut command = if running_as_root() {
        // root reads anything: drop to `nobody`, which may run the binary but not enter the
        // folder.
        let Some(setpriv) = ["/usr/bin/setpriv", "/bin/setpriv"]
            .into_iter()
            .find(|p| Path::new(p).exists())
        else {
            println!("skipped: running as root without setpriv to drop privileges");
            return;
        };
        let mut c = Command::new(setpriv);
        c.args(["--reuid=nobody", "--regid=nogroup", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_skyshield"));
        c
    } else {
        Command::new(env!("CARGO_BIN_EXE_skyshield"))
    };
    set_mode(&folder, 0o000);
    let output = command
        .arg("validate")
        .arg(&scenario)
        .output()
        .expect("runs");
    set_mode(&folder, 0o755);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:1:1: cannot read the file: Permission denied",
            scenario.display()
        )),
        "{stderr}"
    );
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}
