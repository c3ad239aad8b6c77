//! Running the `skyshield` binary from the command-line tests.

use std::path::Path;

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
