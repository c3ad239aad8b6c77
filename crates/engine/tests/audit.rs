//! Every scenario of the library obeys the laws of [`skyshield_engine::audit::check_run`] in
//! its first runs.

mod common;

use std::path::Path;

use common::Log;
use skyshield_engine::{DefaultPolicy, Replication, audit, prepare};

#[test]
fn every_library_scenario_obeys_the_laws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<_> = ["", "examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("the library"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut audited = 0;
    for path in &files {
        let sc = skyshield_scenario::load(path).unwrap_or_else(|e| panic!("{e}"));
        if sc.as_layered().is_none() {
            continue;
        }
        let p = prepare(&sc).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut rep = Replication::new();
        for run in 0..3 {
            let mut log = Log::default();
            let outcome = rep
                .run_with(&p, sc.seed, run, &DefaultPolicy, &mut log)
                .clone();
            if let Err(msg) = audit::check_run(&sc, &p, &outcome, &log.0) {
                panic!("{}, run {run}: {msg}", path.display());
            }
        }
        audited += 1;
    }
    assert!(audited >= 10, "{audited} layered library scenarios audited");
}
