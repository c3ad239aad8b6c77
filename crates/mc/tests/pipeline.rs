//! The batch entry point as front ends use it: options from the scenario with overrides, an
//! observer of progress and rows, cancellation from another thread, a caller's thread pool, and
//! a summary that reads itself back.

use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use skyshield_engine::{Prepared, prepare};
use skyshield_mc::{
    BatchError, BatchObserver, BatchOptions, CancelToken, Execution, Overrides, RunRow, Summary,
    map_runs, run_batch,
};

fn default_scenario() -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    prepare(&scenario).expect("the default scenario prepares")
}

#[test]
fn options_take_the_scenario_runs_and_seed_unless_overridden() {
    let p = default_scenario();
    let opts = BatchOptions::new(&p, Overrides::default());
    assert_eq!((opts.runs, opts.seed), (p.runs, p.seed));
    assert_eq!((opts.threads, opts.sample_runs), (0, 0));
    assert!(opts.sample_parameters && !opts.keep_runs);
    let opts = BatchOptions::new(
        &p,
        Overrides {
            runs: Some(30),
            seed: Some(9),
            threads: Some(2),
            nominal: true,
            keep_runs: true,
            sample_runs: Some(100),
        },
    );
    assert_eq!((opts.runs, opts.seed, opts.threads), (30, 9, 2));
    // No more runs kept than played.
    assert_eq!(opts.sample_runs, 30);
    assert!(!opts.sample_parameters && opts.keep_runs);
}

/// Records what a batch tells its observer.
#[derive(Default)]
struct Recorder {
    progress: Vec<(u64, u64)>,
    rows: Vec<RunRow>,
}

impl BatchObserver for Recorder {
    fn progress(&mut self, done: u64, total: u64) {
        self.progress.push((done, total));
    }

    fn row(&mut self, row: &RunRow) {
        self.rows.push(row.clone());
    }
}

#[test]
fn the_observer_hears_every_row_in_run_order_and_progress_to_the_end() {
    let p = default_scenario();
    let opts = BatchOptions::new(
        &p,
        Overrides {
            runs: Some(100),
            threads: Some(2),
            keep_runs: true,
            ..Overrides::default()
        },
    );
    let mut recorder = Recorder::default();
    let batch = run_batch(&p, &opts, Execution::default().observe(&mut recorder)).expect("runs");
    assert_eq!(recorder.rows, batch.rows);
    assert_eq!(recorder.rows.len(), 100);
    assert!(
        recorder
            .rows
            .iter()
            .enumerate()
            .all(|(k, r)| r.run == k as u64)
    );
    assert!(recorder.progress.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(recorder.progress.last(), Some(&(100, 100)));

    // A closure hears the same progress.
    let mut heard = Vec::new();
    let mut progress = |done, total| heard.push((done, total));
    run_batch(&p, &opts, Execution::default().observe(&mut progress)).expect("runs");
    assert_eq!(heard, recorder.progress);
}

#[test]
fn a_batch_on_a_callers_pool_gives_the_same_summary() {
    let p = default_scenario();
    let opts = BatchOptions::new(
        &p,
        Overrides {
            runs: Some(64),
            threads: Some(1),
            ..Overrides::default()
        },
    );
    let own = run_batch(&p, &opts, Execution::default()).expect("runs");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("a pool");
    let mut on_pool = run_batch(&p, &opts, Execution::default().on_pool(&pool)).expect("runs");
    assert_eq!(on_pool.summary.timing.threads, 2);
    on_pool.summary.timing = own.summary.timing.clone();
    assert_eq!(on_pool.summary, own.summary);
}

#[test]
fn a_batch_cancelled_from_another_thread_stops_promptly_with_an_error() {
    let p = default_scenario();
    // Far more runs than can be played before the cancellation comes.
    let opts = BatchOptions::new(
        &p,
        Overrides {
            runs: Some(100_000_000),
            threads: Some(2),
            ..Overrides::default()
        },
    );
    let token = CancelToken::new();
    let (tx, rx) = mpsc::channel();
    let canceller = {
        let token = token.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            let at = Instant::now();
            token.cancel();
            let _ = tx.send(at);
        })
    };
    let result = run_batch(&p, &opts, Execution::default().cancel_on(&token));
    let ended = Instant::now();
    canceller.join().expect("the canceller ends");
    let cancelled_at = rx.recv().expect("the cancellation time");
    match result {
        Err(BatchError::Cancelled { done, total }) => {
            assert_eq!(total, 100_000_000);
            assert!(done < total, "{done} of {total}");
        }
        other => panic!("expected a cancellation, got {other:?}"),
    }
    // A run of the default scenario takes well under a millisecond; each worker finishes at
    // most the run it is playing.
    let lag = ended.duration_since(cancelled_at);
    assert!(
        lag < Duration::from_secs(5),
        "stopped {lag:?} after the cancellation"
    );
}

#[test]
fn a_cancelled_token_stops_a_batch_before_its_first_run() {
    let p = default_scenario();
    let opts = BatchOptions::new(&p, Overrides::default());
    let token = CancelToken::new();
    token.cancel();
    let result = run_batch(&p, &opts, Execution::default().cancel_on(&token));
    assert!(
        matches!(result, Err(BatchError::Cancelled { done: 0, .. })),
        "{result:?}"
    );
}

#[test]
fn map_runs_gives_every_index_in_order_on_any_thread_count() {
    // More indices than a chunk holds, and not a whole number of chunks; a thread's state counts
    // the indices it played.
    let n = 1000;
    for threads in [1, 2] {
        let mut heard = Vec::new();
        let out = map_runs(
            n,
            threads,
            &CancelToken::new(),
            || 0u64,
            |played: &mut u64, k| {
                *played += 1;
                (k * k, *played)
            },
            &mut |done, total| heard.push((done, total)),
        )
        .expect("plays");
        let squares: Vec<u64> = out.iter().map(|(square, _)| *square).collect();
        assert_eq!(squares, (0..n).map(|k| k * k).collect::<Vec<_>>());
        if threads == 1 {
            // One thread's state sees every index.
            assert_eq!(out.last().map(|(_, played)| *played), Some(n));
        }
        assert!(heard.windows(2).all(|w| w[0].0 < w[1].0), "{heard:?}");
        assert_eq!(heard.last(), Some(&(n, n)));
    }
    let token = CancelToken::new();
    token.cancel();
    let cancelled = map_runs(n, 2, &token, || (), |_, k| k, &mut |_, _| {});
    assert!(
        matches!(
            cancelled,
            Err(BatchError::Cancelled {
                done: 0,
                total: 1000
            })
        ),
        "{cancelled:?}"
    );
}

#[test]
fn the_summary_reads_itself_back_and_older_summaries_are_read() {
    let p = default_scenario();
    let opts = BatchOptions::new(
        &p,
        Overrides {
            runs: Some(40),
            sample_runs: Some(40),
            ..Overrides::default()
        },
    );
    let summary = run_batch(&p, &opts, Execution::default())
        .expect("runs")
        .summary;
    assert_eq!(summary.version, env!("CARGO_PKG_VERSION"));
    assert!(summary.representative_run.is_some());
    assert!(summary.warning.is_some(), "the default scenario warns");
    let text = serde_json::to_string(&summary).expect("serialises");
    let back: Summary = serde_json::from_str(&text).expect("reads back");
    assert_eq!(back, summary);
    // A summary written before `version`, `parameters`, `representative_run`, the prepare time
    // and the lead-time histograms is still read, with their defaults.
    let mut doc: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    for key in ["version", "parameters", "representative_run"] {
        doc.as_object_mut().expect("object").remove(key);
    }
    doc["timing"]
        .as_object_mut()
        .expect("timing")
        .remove("prepare_s");
    for lead in ["siren_lead_s", "early_warning_lead_s"] {
        let l = doc["warning"][lead].as_object_mut().expect("lead");
        for key in ["histogram_bin_s", "histogram_cap_s", "histogram"] {
            l.remove(key);
        }
    }
    let old: Summary = serde_json::from_value(doc).expect("an older summary reads");
    assert_eq!(old.version, "");
    assert_eq!(old.representative_run, None);
    assert_eq!(old.timing.prepare_s, 0.0);
    assert_eq!(old.leakers, summary.leakers);
    let lead = &old.warning.expect("warning").siren_lead_s;
    assert!(lead.histogram.is_empty());
    assert_eq!(lead.histogram_bin_s, skyshield_mc::LEAD_BIN_S);
    assert_eq!(lead.histogram_cap_s, skyshield_mc::LEAD_HISTOGRAM_CAP_S);
    assert_eq!(old.parameters, skyshield_mc::Parameters::Sampled);
}

#[test]
fn summary_json_floats_read_back_to_the_same_bits() {
    // Means and interval bounds of a summary that, read back by a parser that is not correctly
    // rounded, came back one unit in the last place off.
    for x in [
        93.374_999_999_999_97_f64,
        0.912_378_398_802_713_5,
        27.619_116_301_088_642,
        11.649_999_999_999_999,
        1_764.244_883_690_484_1,
        213.399_999_999_999_98,
        1.150_000_000_000_000_1,
        1.968_339_141_093_062_2,
        242_481.037_952_007_14,
    ] {
        let text = serde_json::to_string(&x).expect("serialises");
        let back: f64 = serde_json::from_str(&text).expect("reads back");
        assert_eq!(back.to_bits(), x.to_bits(), "{text} read back as {back:?}");
    }
}
