//! Running the `skyshield` binary from the command-line tests.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// What a run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `skyshield ARGS` in folder `dir`.
pub fn skyshield_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_skyshield"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("skyshield runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `skyshield ARGS` in the crate's folder.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn skyshield(args: &[&str]) -> Run {
    skyshield_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `path` from the root of the repository.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(path)
}

/// A path for test `name` to write to, under the system's temporary folder, with nothing there
/// (what an earlier run left is removed).
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("skyshield-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&dir);
    dir
}

/// The one JSON document that `skyshield ARGS`, which must succeed, prints.
#[allow(dead_code, reason = "each test file uses the helpers it needs")]
pub fn json(args: &[&str]) -> serde_json::Value {
    let run = skyshield(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("one JSON document on stdout")
}
