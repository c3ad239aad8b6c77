//! The civil-warning summary of a batch against the same numbers computed from each run's
//! outcome, replayed alone.

use std::path::Path;

use skyshield_engine::{Replication, prepare};
use skyshield_mc::{BatchOptions, LeadSummary, run_batch};

/// The order statistic that a quantile `q` of `sorted` names: the smallest value with at least
/// a fraction `q` of the values at or below it.
fn quantile(sorted: &[f64], q: f64) -> f64 {
    let k = ((q * sorted.len() as f64).ceil() as usize).max(1);
    sorted[k - 1]
}

fn close(a: f64, b: f64, relative: f64) -> bool {
    (a - b).abs() <= relative * a.abs().max(b.abs()).max(1e-9)
}

/// The histogram of `values` in the bins that `stat` names, counted directly.
fn bins(stat: &LeadSummary, values: &[f64]) -> Vec<u64> {
    let last = (stat.histogram_cap_s / stat.histogram_bin_s) as usize;
    let mut counts = Vec::new();
    for &v in values {
        let k = ((v / stat.histogram_bin_s).floor().max(0.0) as usize).min(last);
        if counts.len() <= k {
            counts.resize(k + 1, 0);
        }
        counts[k] += 1;
    }
    counts
}

#[test]
fn the_warning_summary_aggregates_the_runs() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    let prepared = prepare(&scenario).expect("the default scenario prepares");
    let plan = prepared
        .warning
        .as_ref()
        .expect("the default scenario has warning zones");
    let opts = BatchOptions {
        runs: 64,
        seed: 3,
        threads: 2,
        keep_runs: false,
        sample_runs: 0,
        sample_parameters: true,
    };
    let summary = run_batch(&prepared, &opts, skyshield_mc::Execution::default())
        .expect("the batch runs")
        .summary;
    let w = summary.warning.expect("a warning summary");

    let mut rep = Replication::new().with_parameter_sampling(true);
    let (mut false_zones, mut false_people, mut too_late, mut minutes) = (0.0, 0.0, 0.0, 0.0);
    let mut leads = Vec::new();
    let mut early = Vec::new();
    let zones = plan.zones.len();
    let mut alerted_runs = vec![0u64; zones];
    let mut impacts = vec![0u64; zones];
    let (mut impact_runs, mut too_late_runs, mut false_alarm_runs) =
        (vec![0u64; zones], vec![0u64; zones], vec![0u64; zones]);
    let mut alert_minutes = vec![0.0; zones];
    let mut zone_leads = vec![Vec::new(); zones];
    for run in 0..opts.runs {
        let o = rep.run(&prepared, opts.seed, run);
        let ow = &o.warning;
        false_zones += f64::from(ow.false_alarm_zones);
        false_people += ow.false_alarm_people;
        too_late += ow.too_late_people;
        minutes += ow.people_minutes;
        leads.extend(ow.impacts.iter().map(|i| i.lead_s));
        for i in &ow.impacts {
            zone_leads[i.zone].push(i.lead_s);
        }
        early.extend_from_slice(&ow.early_warning_lead_s);
        for (z, tally) in ow.zones.iter().enumerate() {
            alerted_runs[z] += u64::from(tally.alerts > 0);
            impacts[z] += u64::from(tally.impacts);
            impact_runs[z] += u64::from(tally.impacts > 0);
            too_late_runs[z] += u64::from(tally.too_late);
            false_alarm_runs[z] += u64::from(tally.alerts > 0 && tally.impacts == 0);
            alert_minutes[z] += tally.alert_s / 60.0;
        }
    }
    let n = opts.runs as f64;
    assert!(close(w.false_alarm_zones_mean, false_zones / n, 1e-12));
    assert!(close(w.false_alarm_people_mean, false_people / n, 1e-12));
    assert!(close(w.too_late_people_mean, too_late / n, 1e-12));
    assert!(close(w.people_minutes_under_alert_mean, minutes / n, 1e-12));
    // Lead-time quantiles are kept in bins 1 % wide: within half a percent of the exact ones.
    for (stat, values) in [
        (&w.siren_lead_s, &mut leads),
        (&w.early_warning_lead_s, &mut early),
    ] {
        assert!(!values.is_empty());
        values.sort_by(f64::total_cmp);
        assert_eq!(stat.count, values.len() as u64);
        for (got, q) in [(stat.p5, 0.05), (stat.p50, 0.5), (stat.p95, 0.95)] {
            let exact = quantile(values, q);
            let got = got.expect("a quantile");
            assert!(close(got, exact, 0.006), "q{q}: {got} vs {exact}");
        }
        assert_eq!(stat.histogram, bins(stat, values));
        assert_eq!(stat.histogram.iter().sum::<u64>(), stat.count);
    }
    for (z, zone) in plan.zones.iter().enumerate() {
        let s = &w.zones[&zone.name];
        assert!(
            close(s.p_alert, alerted_runs[z] as f64 / n, 1e-12),
            "{}",
            zone.name
        );
        for (got, expected) in [
            (s.impacts_mean, impacts[z] as f64 / n),
            (s.p_impact, impact_runs[z] as f64 / n),
            (s.p_too_late, too_late_runs[z] as f64 / n),
            (s.p_false_alarm, false_alarm_runs[z] as f64 / n),
            (s.alert_minutes_mean, alert_minutes[z] / n),
        ] {
            assert!(
                close(got, expected, 1e-12),
                "{}: {got} vs {expected}",
                zone.name
            );
        }
        // The zone's own leads, exact (fewer than 10,000 distinct values); none where nothing
        // fell.
        let leads = &mut zone_leads[z];
        leads.sort_by(f64::total_cmp);
        let l = &s.siren_lead_s;
        assert_eq!(l.count, leads.len() as u64, "{}", zone.name);
        let exact = |q| (!leads.is_empty()).then(|| quantile(leads, q));
        assert_eq!(
            [l.p5, l.p50, l.p95],
            [exact(0.05), exact(0.5), exact(0.95)],
            "{}",
            zone.name
        );
    }
    assert!(zone_leads.iter().any(Vec::is_empty) && zone_leads.iter().any(|l| l.len() > 1));
    // Each share is neither 0 nor 1 in some zone of the default raid, so each is tested.
    for share in [
        |z: &skyshield_mc::ZoneSummary| z.p_alert,
        |z: &skyshield_mc::ZoneSummary| z.p_impact,
        |z: &skyshield_mc::ZoneSummary| z.p_too_late,
        |z: &skyshield_mc::ZoneSummary| z.p_false_alarm,
    ] {
        assert!(w.zones.values().any(|z| share(z) > 0.0 && share(z) < 1.0));
    }
}

#[test]
fn lead_time_histograms_are_the_same_on_one_and_two_threads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    let prepared = prepare(&scenario).expect("the default scenario prepares");
    // More runs than a chunk, so that two threads merge several chunks.
    let warning = |threads| {
        let opts = BatchOptions {
            runs: 80,
            seed: 11,
            threads,
            keep_runs: false,
            sample_runs: 0,
            sample_parameters: true,
        };
        let summary = run_batch(&prepared, &opts, skyshield_mc::Execution::default())
            .expect("the batch runs")
            .summary;
        summary.warning.expect("a warning summary")
    };
    let (one, two) = (warning(1), warning(2));
    for (a, b) in [
        (&one.siren_lead_s, &two.siren_lead_s),
        (&one.early_warning_lead_s, &two.early_warning_lead_s),
    ] {
        assert!(a.count > 0);
        assert_eq!(a, b);
        assert_eq!(a.histogram.iter().sum::<u64>(), a.count);
    }
}
