//! Paired comparison on common random numbers: two variants of October 2024 run on the same
//! runs and seed share the draws of everything they have in common.

use std::path::Path;

use skyshield_engine::{Prepared, prepare};
use skyshield_mc::compare::{CompareError, Comparison, Variant, compare};
use skyshield_mc::{Batch, BatchOptions, Execution, Overrides, run_batch};

const RUNS: u64 = 200;

/// The library's scenario `name` with `edit` applied to its text, prepared from the library's
/// folder.
fn variant(name: &str, edit: impl Fn(&str) -> String) -> Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../scenarios/{name}.yaml"));
    let text = std::fs::read_to_string(&path).expect("a library scenario");
    let edited = edit(&text);
    let scenario = skyshield_scenario::from_str(&edited, &path)
        .unwrap_or_else(|d| panic!("invalid variant:\n{d}"));
    prepare(&scenario).expect("the variant prepares")
}

/// The batch of `runs` runs of `p` under `seed`, with or without per-run rows.
fn batch_of(p: &Prepared, runs: u64, seed: u64, rows: bool) -> Batch {
    let overrides = Overrides {
        runs: Some(runs),
        seed: Some(seed),
        keep_runs: rows,
        ..Overrides::default()
    };
    run_batch(p, &BatchOptions::new(p, overrides), Execution::default()).expect("batch")
}

fn comparison(a: &Prepared, b: &Prepared) -> Comparison {
    let (ba, bb) = (batch_of(a, RUNS, 11, true), batch_of(b, RUNS, 11, true));
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
    let a = variant("oct-2024", str::to_owned);
    // The same Arrow 2 battery type, in the Aegean: it reaches no threat. With parameters drawn
    // in each run (the default), its own parameters are drawn too, from streams of their own.
    let b = variant("oct-2024", |t| {
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
    let a = variant("oct-2024", str::to_owned);
    let b = variant("oct-2024", |t| {
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

#[test]
fn variants_of_other_runs_or_seeds_or_without_rows_are_refused() {
    let p = variant("iskander-patriot", str::to_owned);
    let run = |runs, seed, rows| batch_of(&p, runs, seed, rows);
    let (base, same, more, other_seed, rowless) = (
        run(10, 1, true),
        run(10, 1, true),
        run(11, 1, true),
        run(10, 2, true),
        run(10, 1, false),
    );
    let of = |batch| Variant {
        batch,
        asset_ids: &p.asset_ids,
    };
    assert!(compare("a", of(&base), "b", of(&same)).is_ok());
    for other in [&more, &other_seed] {
        let refused = compare("a", of(&base), "b", of(other)).err();
        assert!(
            matches!(refused, Some(CompareError::Mismatch(..))),
            "{refused:?}"
        );
    }
    for (a, b) in [(&base, &rowless), (&rowless, &base)] {
        let refused = compare("a", of(a), "b", of(b)).err();
        assert_eq!(refused, Some(CompareError::NoRows));
    }
}

#[test]
fn the_unpaired_interval_is_that_of_independent_means_over_the_assets_of_both() {
    // Variant b defends a fuel depot beside the air base, and has no PAC-2 battery.
    let pa = variant("iskander-patriot", str::to_owned);
    let pb = variant("iskander-patriot", |t| {
        let t = t.replacen(
            "assets:\n",
            concat!(
                "assets:\n  - {id: depot, kind: infrastructure, ",
                "circle: {center: [25.05, 10.0], radius_km: 2}, value: 2}\n",
            ),
            1,
        );
        let pac2 = t.find("  - {id: patriot-2,").expect("the PAC-2 battery");
        let end = pac2 + t[pac2..].find('\n').expect("its line") + 1;
        format!("{}{}", &t[..pac2], &t[end..])
    });
    let (a, b) = (batch_of(&pa, 200, 3, true), batch_of(&pb, 200, 3, true));
    let c = compare(
        "a",
        Variant {
            batch: &a,
            asset_ids: &pa.asset_ids,
        },
        "b",
        Variant {
            batch: &b,
            asset_ids: &pb.asset_ids,
        },
    )
    .expect("comparable");
    let hits: Vec<&str> = c
        .metrics
        .iter()
        .filter(|m| m.metric.starts_with("hits."))
        .map(|m| m.metric.as_str())
        .collect();
    assert_eq!(hits, ["hits.airbase", "hits.depot"]);
    let pac2 = c.metrics.iter().find(|m| m.metric == "shots.pac-2-gem-t");
    assert!(pac2.is_some_and(|m| m.a_mean > 0.0 && m.b_mean == 0.0));
    // Leakers: the sample standard deviations of each variant's runs, and Z95 times the
    // standard error of the difference of two independent means.
    let leakers =
        |batch: &Batch| -> Vec<f64> { batch.rows.iter().map(|r| f64::from(r.leakers)).collect() };
    let (xa, xb) = (leakers(&a), leakers(&b));
    let n = xa.len() as f64;
    let var = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / n;
        x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0)
    };
    let half = skyshield_mc::stats::Z95 * ((var(&xa) + var(&xb)) / n).sqrt();
    let m = c.metrics.iter().find(|m| m.metric == "leakers").unwrap();
    assert!(m.difference > 0.0, "without the PAC-2 battery, more leak");
    let [lo, hi] = m.unpaired_ci95;
    assert!(
        (lo - (m.difference - half)).abs() < 1e-12 && (hi - (m.difference + half)).abs() < 1e-12
    );
}
