//! Closed-form agreement: abstract scenarios (the engine's abstract kernel) against the
//! formulas of Wilkening (2000) ([`skyshield_mc::analytic`]), which must also reproduce the
//! reference table `tests/data/refdata/wilkening_bmd.csv`.
//!
//! For a row and a doctrine — (a) one salvo of `n`, (b) shoot-look-shoot with two salvos of `n`
//! and perfect kill assessment, (c) two independent layers each firing a salvo of `n` — the
//! expected number of leakers and, where it is above 0.001, the probability of no leaker must
//! lie within 4 standard errors of the formula, with enough runs that the standard error is
//! under 2 % of the value.
//!
//! Every CI run checks a representative subset (the one `docs/validation.md` shows); the whole
//! file (rows with N of 10 or 100, each doctrine, within a budget of runs per case) is checked
//! by `cargo test --release -p skyshield-mc --test wilkening -- --ignored --nocapture`.

use std::path::Path;

use skyshield_engine::prepare;
use skyshield_mc::analytic::{Case, Doctrine, TableCase, cases_from_csv, representative_subset};
use skyshield_mc::{BatchOptions, Execution, Overrides, run_batch};

/// Seed of the Monte Carlo runs.
const SEED: u64 = 2026;

fn table() -> Vec<TableCase> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/refdata/wilkening_bmd.csv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    cases_from_csv(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Rows with N of 10 or 100, the ones checked by simulation.
fn cases() -> Vec<TableCase> {
    table()
        .into_iter()
        .filter(|c| c.case.n_threats == 10 || c.case.n_threats == 100)
        .collect()
}

/// Checks one case; returns a line of report, or the failure.
fn check(c: &TableCase) -> Result<String, String> {
    let a = c.case.simulate(SEED).expect("abstract scenarios prepare");
    let cf = a.closed_form;
    let line = format!(
        "row {:>3} N={:<3} n={} sspk={} p_track={} r={} {:?}: runs {}, E[leak] {:.5} vs {:.5} (z {:+.2}, se/value {:.3}), P0 {:.5} vs {:.5} (z {:+.2})",
        c.row,
        c.case.n_threats,
        c.case.shots,
        c.case.sspk,
        c.case.p_track,
        c.case.reliability,
        c.case.doctrine,
        a.runs,
        a.leakers_mean,
        cf.expected_leakers,
        a.z_mean,
        a.se_mean / cf.expected_leakers,
        a.p_no_leaker,
        cf.p_no_leaker,
        a.z_p0,
    );
    if a.agrees() { Ok(line) } else { Err(line) }
}

#[test]
fn the_formulas_reproduce_every_row_of_the_reference_table() {
    let all = table();
    assert!(all.len() >= 3 * 300, "only {} cases", all.len());
    for c in &all {
        let cf = c.case.closed_form();
        let tol = |x: f64| 1e-6 * x.abs().max(1e-3);
        assert!(
            (cf.expected_leakers - c.expected_leakers).abs() <= tol(c.expected_leakers),
            "row {} {:?}: E[leak] {} vs table {}",
            c.row,
            c.case.doctrine,
            cf.expected_leakers,
            c.expected_leakers
        );
        assert!(
            (cf.p_no_leaker - c.p_no_leaker).abs() <= tol(c.p_no_leaker),
            "row {} {:?}: P0 {} vs table {}",
            c.row,
            c.case.doctrine,
            cf.p_no_leaker,
            c.p_no_leaker
        );
    }
}

#[test]
fn an_agreement_holds_the_figures_of_its_batch() {
    // Its z scores are those the agreement is judged by.
    let case = Case {
        n_threats: 10,
        shots: 1,
        sspk: 0.8,
        p_track: 0.9,
        reliability: 0.95,
        doctrine: Doctrine::Salvo,
    };
    let a = case.simulate(SEED).expect("an abstract scenario prepares");
    assert_eq!(a.runs, case.runs_needed());
    let cf = case.closed_form();
    assert_eq!(a.closed_form, cf);
    let prepared = prepare(&case.scenario(SEED)).expect("prepares");
    let overrides = Overrides {
        runs: Some(a.runs),
        ..Overrides::default()
    };
    let opts = BatchOptions::new(&prepared, overrides);
    let s = run_batch(&prepared, &opts, Execution::default())
        .expect("runs")
        .summary;
    let n = a.runs as f64;
    let se_mean = s.leakers.sd / n.sqrt();
    let se_p0 = (cf.p_no_leaker * (1.0 - cf.p_no_leaker) / n).sqrt();
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-12 * x.abs().max(y.abs());
    for (got, want) in [
        (a.leakers_mean, s.leakers.mean),
        (a.se_mean, se_mean),
        (a.z_mean, (s.leakers.mean - cf.expected_leakers) / se_mean),
        (a.p_no_leaker, s.leakers.p_zero),
        (a.se_p0, se_p0),
        (a.z_p0, (s.leakers.p_zero - cf.p_no_leaker) / se_p0),
    ] {
        assert!(close(got, want), "{got} against {want}: {a:?}");
    }
    // Both figures are checked in this case, and differ from the formulas.
    assert!(
        cf.p_no_leaker > 0.001 && a.z_mean != 0.0 && a.z_p0 != 0.0,
        "{a:?}"
    );
}

/// The subset checked on every CI run: each doctrine, both N, a spread of kill and tracking
/// probabilities, each case needing few enough runs to take seconds.
#[test]
fn a_representative_subset_agrees_with_the_closed_forms() {
    let chosen = representative_subset(&cases());
    // For each doctrine and N of 10 and 100, the first and the last row of the table whose case
    // needs at most 40,000 runs: the rows `docs/validation.md` shows.
    let rows: Vec<(usize, char)> = chosen
        .iter()
        .map(|c| (c.row, c.case.doctrine.letter()))
        .collect();
    let shown = [
        (72, 'a'),
        (143, 'a'),
        (216, 'a'),
        (285, 'a'),
        (78, 'b'),
        (143, 'b'),
        (216, 'b'),
        (285, 'b'),
        (78, 'c'),
        (131, 'c'),
        (216, 'c'),
        (287, 'c'),
    ];
    assert_eq!(rows, shown);
    assert!(chosen.iter().all(|c| c.case.runs_needed() <= 40_000));
    let failures: Vec<String> = chosen.iter().filter_map(|c| check(c).err()).collect();
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}

/// Every row with N of 10 or 100 and every doctrine, within 5,000,000 runs per case (cases
/// that would need more, because their expected leakers are tiny, are listed as skipped).
#[test]
#[ignore = "long: run with --ignored (see the module documentation)"]
fn every_row_agrees_with_the_closed_forms() {
    let mut failures = Vec::new();
    let (mut checked, mut skipped) = (0, 0);
    for c in cases() {
        let runs = c.case.runs_needed();
        if runs > 5_000_000 {
            skipped += 1;
            println!(
                "skipped row {} {:?}: needs {runs} runs",
                c.row, c.case.doctrine
            );
            continue;
        }
        checked += 1;
        match check(&c) {
            Ok(line) => println!("ok   {line}"),
            Err(line) => {
                println!("FAIL {line}");
                failures.push(line);
            }
        }
    }
    println!(
        "{checked} cases checked, {skipped} skipped, {} failed",
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "disagreements:\n{}",
        failures.join("\n")
    );
}
