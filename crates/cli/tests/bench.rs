//! `skyshield bench --quick` and `skyshield bench --prepare`, run as a user would: every figure
//! they print is a positive rate or time, and the figures derived (speed-up, ratios, a median)
//! follow from, or lie between, those printed.

mod common;

use common::skyshield;

/// The numbers of a line, in order (thousands separators are not used by `bench`).
fn numbers(line: &str) -> Vec<f64> {
    line.split(|c: char| !(c.is_ascii_digit() || c == '.'))
        .filter(|w| !w.is_empty() && *w != ".")
        .filter_map(|w| w.trim_matches('.').parse().ok())
        .collect()
}

fn line<'a>(out: &'a str, start: &str) -> &'a str {
    out.lines()
        .find(|l| l.trim_start().starts_with(start))
        .unwrap_or_else(|| panic!("no line starting {start:?} in:\n{out}"))
}

/// Whether `derived`, printed with `digits` decimals, is `exact` rounded.
fn printed(derived: f64, exact: f64, digits: i32) -> bool {
    (derived - exact).abs() <= 0.5 * 10f64.powi(-digits) + 1e-9
}

#[test]
fn bench_quick_prints_every_figure_consistently() {
    let run = skyshield(&["bench", "--quick"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let out = &run.stdout;

    let default = numbers(line(out, "default scenario"));
    assert_eq!(
        default[0], 280.0,
        "threats of the default scenario: {default:?}"
    );
    assert!(default[1] > 0.0, "{default:?}");

    // 400-MRBM raid: X runs/s on 1 thread, Y runs/s on 2 threads (speed-up Y/X): the numbers
    // 400, X, 1, Y, 2, Y/X.
    let raid = numbers(line(out, "400-MRBM raid"));
    let (one, two, speedup) = (raid[1], raid[3], raid[5]);
    assert!(one > 0.0 && two > 0.0, "{raid:?}");
    // The rates are printed rounded to units: the speed-up from them is within that rounding.
    let (lo, hi) = ((two - 0.5) / (one + 0.5), (two + 0.5) / (one - 0.5));
    assert!(
        speedup >= lo - 0.005 && speedup <= hi + 0.005,
        "speed-up {speedup} from {two}/{one}"
    );

    // Time per run against threats: each line's ratio is its time over the first's, and the
    // threats' ratio is its count over 100.
    let rows: Vec<Vec<f64>> = out
        .lines()
        .filter(|l| l.contains("ms/run"))
        .map(numbers)
        .collect();
    assert_eq!(rows.len(), 4, "{out}");
    let first_ms = rows[0][1];
    for (row, count) in rows.iter().zip([100.0, 400.0, 1_600.0, 6_400.0]) {
        // count, ms, ratio, 100, threats ratio
        assert_eq!(row[0], count, "{row:?}");
        assert!(row[1] > 0.0, "{row:?}");
        let ratio = row[1] / first_ms;
        // Both times are printed to 3 decimals; the ratio to 2.
        let slack = ratio * (0.0005 / row[1] + 0.0005 / first_ms);
        assert!(
            (row[2] - ratio).abs() <= 0.005 + slack,
            "{count} threats: ratio {} against {ratio}",
            row[2]
        );
        assert_eq!(row[3], 100.0);
        assert!(printed(row[4], count / 100.0, 0), "{row:?}");
    }
    // More threats take longer per run.
    assert!(rows[3][1] > rows[0][1], "{rows:?}");

    // abstract 400 threats: A us/run; bare loop of D mixes: B us/run; ratio A/B.
    let a = numbers(line(out, "abstract 400 threats"));
    let (per_run, mixes, bare, ratio) = (a[1], a[2], a[3], a[4]);
    // 400 threats: a tracking mix each, and one mix for the salvo of two of each tracked
    // threat (0.97): between 400 and 800 mixes.
    assert!((400.0..=800.0).contains(&mixes), "{a:?}");
    let r = per_run / bare;
    // Both times printed to 3 decimals.
    let slack = r * (0.0005 / per_run + 0.0005 / bare);
    assert!(
        (ratio - r).abs() <= 0.05 + slack,
        "ratio {ratio} against {r}"
    );

    // Peak memory after 10,000 and after 100,000 more runs of the small scenario: a peak never
    // falls.
    let m = numbers(&line(out, "peak memory").replace("10,000", "10000"));
    assert_eq!(m[1], 10_000.0, "{m:?}");
    assert!(m[0] > 0.0 && m[2] >= m[0], "{m:?}");
    assert_eq!(m[3], 100_000.0, "{m:?}");
    // Their ratio, printed to 3 decimals from the peaks printed to 1.
    let slack = m[4] * (0.05 / m[2] + 0.05 / m[0]);
    assert!((m[4] - m[2] / m[0]).abs() <= 0.0005 + slack, "{m:?}");
}

#[test]
fn bench_prepare_prints_each_scenario_s_median_between_its_extremes() {
    let files = [
        "../../scenarios/rocket-barrage.yaml",
        "../../scenarios/al-udeid-2025.yaml",
    ];
    let mut args = vec!["bench", "--prepare"];
    args.extend(files);
    let run = skyshield(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), files.len() + 1, "{}", run.stdout);
    // FILE: prepared in M s (median of 5; A to B s), N trajectories; C s with its flights cached
    for ((file, line), trajectories) in files.iter().zip(&lines).zip([8.0, 5.0]) {
        let rest = line
            .strip_prefix(&format!("{file}: "))
            .unwrap_or_else(|| panic!("{line}"));
        let n = numbers(rest);
        let (median, repeats, fastest, slowest) = (n[0], n[1], n[2], n[3]);
        assert_eq!(repeats, 5.0, "{line}");
        assert!(
            0.0 < fastest && fastest <= median && median <= slowest,
            "{line}"
        );
        assert_eq!(n[4], trajectories, "{line}");
        assert!(n[5] >= 0.0, "{line}");
    }
    // The sweep of variants that move batteries solves no flight after the first variant, and
    // computes no radar's coverage again.
    let sweep = lines[files.len()];
    assert!(sweep.starts_with("sweep of 100 variants"), "{sweep}");
    assert!(
        sweep.contains("; 0 flights solved, 0 radar coverages computed, "),
        "{sweep}"
    );
}
