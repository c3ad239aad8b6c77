//! Paired comparison on common random numbers: two variants of October 2024 run on the same
//! runs and seed share the draws of everything they have in common.

use std::path::Path;

use skyshield_engine::{Prepared, prepare};
use skyshield_mc::compare::{Comparison, Variant, compare};
use skyshield_mc::{Batch, BatchOptions, Execution, Overrides, run_batch};

const RUNS: u64 = 200;

/// October 2024 with `edit` applied to its text, prepared from the library's folder.
fn variant(edit: impl Fn(&str) -> String) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/oct-2024.yaml");
    let text = std::fs::read_to_string(&path).expect("the library's oct-2024.yaml");
    let edited = edit(&text);
    let scenario = skyshield_scenario::from_str(&edited, &path)
        .unwrap_or_else(|d| panic!("invalid variant:\n{d}"));
    prepare(&scenario).expect("the variant prepares")
}

fn batch(p: &Prepared) -> Batch {
    let overrides = Overrides {
        runs: Some(RUNS),
        seed: Some(11),
        keep_runs: true,
        ..Overrides::default()
    };
    run_batch(p, &BatchOptions::new(p, overrides), Execution::default()).expect("batch")
}

fn comparison(a: &Prepared, b: &Prepared) -> Comparison {
    let (ba, bb) = (batch(a), batch(b));
    let va = Variant {
        batch: &ba,
        asset_ids: &a.asset_ids,
    };
    let vb = Variant {
        batch: &bb,
        asset_ids: &b.asset_ids,
    };
    compare("a", va, "b", vb).expect("comparable")
}

const ARROW_2: &str = "  - {id: arrow2-1, type: arrow-2, at: [31.30, 34.90], launchers: 4,";

#[test]
fn a_battery_far_from_every_threat_changes_no_run_at_all() {
    let a = variant(str::to_owned);
    // The same Arrow 2 battery type, in the Aegean: it reaches no threat. With parameters drawn
    // in each run (the default), its own parameters are drawn too, from streams of their own.
    let b = variant(|t| {
        t.replacen(
            ARROW_2,
            &format!(
                "  - {{id: arrow2-far, type: arrow-2, at: [38.0, 25.0], launchers: 4, rounds_per_launcher: 6}}\n{ARROW_2}"
            ),
            1,
        )
    });
    assert_eq!(b.batteries.len(), a.batteries.len() + 1);
    let c = comparison(&a, &b);
    assert!(c.metrics.len() >= 10, "{:?}", c.metrics);
    for m in &c.metrics {
        assert_eq!(
            (m.identical_runs, m.difference, m.ci95),
            (1.0, 0.0, [0.0, 0.0]),
            "{}: A {} and B {} differ",
            m.metric,
            m.a_mean,
            m.b_mean
        );
    }
}

#[test]
fn a_real_change_has_a_paired_interval_narrower_than_the_unpaired_one() {
    // Two more Arrow 2 launchers at Nevatim's battery.
    let a = variant(str::to_owned);
    let b = variant(|t| {
        t.replacen(
            &format!("{ARROW_2} rounds_per_launcher: 6"),
            "  - {id: arrow2-1, type: arrow-2, at: [31.30, 34.90], launchers: 6, rounds_per_launcher: 6",
            1,
        )
    });
    let c = comparison(&a, &b);
    let metric = |name: &str| {
        c.metrics
            .iter()
            .find(|m| m.metric == name)
            .unwrap_or_else(|| panic!("no metric {name}"))
    };
    let width = |[lo, hi]: [f64; 2]| hi - lo;
    for name in ["leakers", "hits.nevatim", "shots.arrow-2"] {
        let m = metric(name);
        assert!(
            width(m.ci95) < width(m.unpaired_ci95),
            "{name}: paired {:?} is no narrower than unpaired {:?}",
            m.ci95,
            m.unpaired_ci95
        );
    }
    // More rounds fire more Arrow 2 and let fewer threats through, beyond both intervals.
    assert!(metric("shots.arrow-2").ci95[0] > 0.0);
    assert!(metric("leakers").ci95[1] < 0.0);
    // The draws that the change does not touch are shared: the offense's cost is that of the
    // same failures and launches in every run.
    assert_eq!(metric("offense_cost_usd").identical_runs, 1.0);
}
