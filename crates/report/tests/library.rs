//! Every scenario of the library (`scenarios/*.yaml` and `scenarios/examples/*.yaml`, found by
//! listing the folders): a few runs at a fixed seed, in which every leaker has exactly one cause
//! in `events.parquet`, the summary's leak causes sum to its leakers, and its rounds reloaded are
//! the mean of the per-run rows.

use std::path::{Path, PathBuf};

use arrow_array::{Array, StringArray};
use skyshield_engine::{LeakCause, prepare};
use skyshield_mc::{BatchOptions, Execution, run_batch};
use skyshield_report::tables::{column, events_table};

const RUNS: u64 = 20;
const SEED: u64 = 5;

fn library() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files = Vec::new();
    for dir in [root.clone(), root.join("examples")] {
        for entry in std::fs::read_dir(&dir).expect("scenarios folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_leaker_of_every_library_scenario_has_one_cause_and_the_causes_sum_to_the_leakers() {
    let files = library();
    assert!(files.len() >= 10, "the library: {files:?}");
    for path in &files {
        let name = path.display();
        let scenario = skyshield_scenario::load(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let prepared = prepare(&scenario).unwrap_or_else(|e| panic!("{name}: {e}"));
        let opts = BatchOptions {
            runs: RUNS,
            seed: SEED,
            threads: 2,
            keep_runs: true,
            sample_runs: RUNS,
            sample_parameters: true,
        };
        let batch = run_batch(&prepared, &opts, Execution::default()).expect("the batch runs");
        let s = &batch.summary;
        let causes = s.leak_causes.expect("leak causes");
        assert!(
            (causes.total() - s.fates.leaked).abs() < 1e-9,
            "{name}: causes sum to {} for {} leakers",
            causes.total(),
            s.fates.leaked
        );

        let table = events_table(&prepared, &batch.sample).expect("events table");
        let col = |c: &str| {
            table
                .column_by_name(c)
                .expect(c)
                .as_any()
                .downcast_ref::<StringArray>()
                .expect("utf8")
                .clone()
        };
        let (fate, cause) = (col(column::FATE), col(column::LEAK_CAUSE));
        let mut counts = [0usize; LeakCause::ALL.len()];
        for (f, c) in fate.iter().zip(cause.iter()) {
            let f = f.expect("a fate");
            assert_eq!(f == "leaked", c.is_some(), "{name}: {f} with cause {c:?}");
            if let Some(c) = c {
                let k = LeakCause::ALL
                    .iter()
                    .position(|k| k.name() == c)
                    .unwrap_or_else(|| panic!("{name}: unknown cause {c}"));
                counts[k] += 1;
            }
        }
        for (cause, mean) in causes.iter() {
            let per_run = counts[cause.index()] as f64 / RUNS as f64;
            assert!(
                (per_run - mean).abs() < 1e-9,
                "{name}: {}: {per_run} in events, {mean} in the summary",
                cause.name()
            );
        }

        for (l, (layer, summary)) in s.by_layer.iter().enumerate() {
            let total: u32 = batch.rows.iter().map(|r| r.reloaded[l]).sum();
            let per_run = f64::from(total) / RUNS as f64;
            assert!(
                (per_run - summary.reloaded).abs() < 1e-9,
                "{name}: {layer}: reloaded {per_run} in the rows, {} in the summary",
                summary.reloaded
            );
        }
    }
}
