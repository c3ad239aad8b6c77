//! Batches: the same numbers on any number of threads, run k alone equals run k in a batch.

use std::path::Path;

use skyshield_engine::{Outcome, Replication, prepare};
use skyshield_mc::{Batch, BatchOptions, run_batch};

fn default_scenario() -> skyshield_engine::Prepared {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/default.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the default scenario is valid");
    prepare(&scenario).expect("the default scenario prepares")
}

/// A batch of `runs` runs under `seed` on two threads, with every run's row and outcome kept.
fn every_run_kept(prepared: &skyshield_engine::Prepared, runs: u64, seed: u64) -> Batch {
    let opts = BatchOptions {
        runs,
        seed,
        threads: 2,
        keep_runs: true,
        sample_runs: runs,
        sample_parameters: true,
    };
    run_batch(prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs")
}

#[test]
fn one_and_two_threads_give_identical_statistics_and_rows() {
    let prepared = default_scenario();
    let run = |threads| {
        let opts = BatchOptions {
            runs: 100,
            seed: 7,
            threads,
            keep_runs: true,
            sample_runs: 40,
            sample_parameters: true,
        };
        run_batch(&prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs")
    };
    let (mut one, two) = (run(1), run(2));
    assert_eq!(one.summary.timing.threads, 1);
    assert_eq!(two.summary.timing.threads, 2);
    one.summary.timing = two.summary.timing.clone();
    assert_eq!(one.summary, two.summary);
    assert_eq!(one.rows, two.rows);
    assert_eq!(one.rows.len(), 100);
    assert!(one.rows.iter().enumerate().all(|(k, r)| r.run == k as u64));
    assert_eq!(one.sample.len(), 40);
    assert!(
        one.sample
            .iter()
            .enumerate()
            .all(|(k, o)| o.run == k as u64)
    );
    assert_eq!(
        one.sample.iter().map(outcome_bits).collect::<Vec<_>>(),
        two.sample.iter().map(outcome_bits).collect::<Vec<_>>()
    );
}

/// Every number of an outcome as bits, to compare outcomes exactly.
fn outcome_bits(o: &Outcome) -> Vec<u64> {
    let mut bits = vec![
        o.run,
        o.defense_cost_usd.to_bits(),
        o.offense_cost_usd.to_bits(),
    ];
    for t in &o.threats {
        bits.extend([
            t.fate as u64,
            t.launch_s.to_bits(),
            u64::from(t.shots),
            t.time_s.to_bits(),
            t.lat_deg.to_bits(),
            t.lon_deg.to_bits(),
            t.height_m.to_bits(),
            t.battery.map_or(u64::MAX, |i| i as u64),
            t.asset.map_or(u64::MAX, |i| i as u64),
        ]);
        let (lat, lon) = t.debris.unwrap_or((f64::NAN, f64::NAN));
        bits.extend([lat.to_bits(), lon.to_bits()]);
    }
    for b in &o.batteries {
        bits.extend([b.shots, b.kills, b.rounds_left].map(u64::from));
    }
    bits
}

#[test]
fn the_sample_holds_the_first_runs_and_no_more_than_the_batch() {
    let prepared = default_scenario();
    let opts = BatchOptions {
        runs: 5,
        seed: 2,
        threads: 2,
        keep_runs: false,
        sample_runs: 100,
        sample_parameters: true,
    };
    let batch =
        run_batch(&prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs");
    assert!(batch.rows.is_empty());
    assert_eq!(batch.sample.len(), 5);
    let shots: u32 = batch.sample[3].threats.iter().map(|t| t.shots).sum();
    let fired: u32 = batch.sample[3].batteries.iter().map(|b| b.shots).sum();
    assert_eq!(shots, fired, "every interceptor fired is fired at a threat");
    assert!(
        batch.sample[3]
            .threats
            .iter()
            .all(|t| t.launch_s <= t.time_s),
        "every threat ends after its launch"
    );
}

#[test]
fn without_assets_the_sample_runs_still_keep_every_threats_outcome() {
    // A batch reads each threat's outcome only to count hits on assets and for the sample: the
    // Iskander salvo aimed at a point, with no asset to defend.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/iskander-patriot.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let (start, end) = (
        text.find("\nassets:").unwrap(),
        text.find("\nsensors:").unwrap(),
    );
    let text = format!("{}{}", &text[..start], &text[end..])
        .replace(", defends: [airbase]", "")
        .replace("engage_only_defended: true", "engage_only_defended: false")
        .replace("target: airbase", "aim: [25.0, 10.0]");
    let scenario = skyshield_scenario::from_str(&text, &path).expect("valid without assets");
    let prepared = prepare(&scenario).expect("prepares");
    assert!(prepared.asset_ids.is_empty());
    let opts = BatchOptions {
        runs: 12,
        seed: 4,
        threads: 2,
        keep_runs: false,
        sample_runs: 5,
        sample_parameters: true,
    };
    let batch =
        run_batch(&prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs");
    assert_eq!(batch.sample.len(), 5);
    let mut rep = Replication::new().with_parameter_sampling(true);
    for (k, kept) in (0..).zip(&batch.sample) {
        let alone = rep.run(&prepared, opts.seed, k);
        assert_eq!(alone.threats.len(), 8);
        assert_eq!(outcome_bits(alone), outcome_bits(kept), "run {k}");
    }
}

#[test]
fn run_k_alone_equals_run_k_in_a_batch() {
    let prepared = default_scenario();
    let opts = BatchOptions {
        runs: 40,
        seed: 11,
        threads: 2,
        keep_runs: true,
        sample_runs: 40,
        sample_parameters: true,
    };
    let batch =
        run_batch(&prepared, &opts, skyshield_mc::Execution::default()).expect("the batch runs");
    let rows = batch.rows;
    let mut rep = Replication::new().with_parameter_sampling(true);
    for k in [0u64, 17, 39] {
        let outcome = rep.run(&prepared, 11, k).clone();
        assert_eq!(
            outcome_bits(&outcome),
            outcome_bits(&batch.sample[k as usize]),
            "run {k}"
        );
        let row = &rows[k as usize];
        assert_eq!(
            row.leakers as usize,
            outcome.count(skyshield_engine::Fate::Leaked),
            "run {k}"
        );
        assert_eq!(
            row.intercepted as usize,
            outcome.count(skyshield_engine::Fate::Intercepted),
            "run {k}"
        );
        assert_eq!(
            row.defense_cost_usd.to_bits(),
            outcome.defense_cost_usd.to_bits(),
            "run {k}"
        );
        let shots: u32 = outcome.batteries.iter().map(|b| b.shots).sum();
        assert_eq!(row.shots.iter().sum::<u32>(), shots, "run {k}");
    }
}

#[test]
fn parameter_sampling_changes_runs_and_nominal_runs_repeat() {
    let prepared = default_scenario();
    let batch = |sample| {
        let opts = BatchOptions {
            runs: 64,
            seed: 3,
            threads: 2,
            keep_runs: false,
            sample_runs: 0,
            sample_parameters: sample,
        };
        run_batch(&prepared, &opts, skyshield_mc::Execution::default())
            .expect("the batch runs")
            .summary
    };
    let (nominal, again, sampled) = (batch(false), batch(false), batch(true));
    assert_eq!(nominal.leakers, again.leakers);
    assert_ne!(nominal.leakers.histogram, sampled.leakers.histogram);
}

#[test]
fn leak_causes_and_rounds_reloaded_are_means_of_the_runs() {
    // The rocket barrage with the Sderot battery down to 2 ready rounds per launcher and a depot
    // of 20 rounds behind them, which its empty launchers draw on.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/rocket-barrage.yaml");
    let text = std::fs::read_to_string(&path).expect("the rocket barrage");
    let sderot = "defends: [sderot, netivot]}";
    assert!(text.contains(sderot));
    let text = text.replacen(
        sderot,
        "defends: [sderot, netivot], rounds_per_launcher: 2, depot_rounds: 20}",
        1,
    );
    let scenario = skyshield_scenario::from_str(&text, &path).unwrap_or_else(|d| panic!("{d}"));
    let prepared = prepare(&scenario).expect("prepares");
    let batch = every_run_kept(&prepared, 40, 9);
    let s = &batch.summary;
    let runs = 40.0;

    let causes = s.leak_causes.expect("leak causes");
    assert!(s.fates.leaked > 0.0, "the barrage leaks");
    assert!((causes.total() - s.fates.leaked).abs() < 1e-9);
    let mut counts = [0usize; skyshield_engine::LeakCause::ALL.len()];
    for o in &batch.sample {
        for (c, n) in counts.iter_mut().zip(o.leak_causes()) {
            *c += n;
        }
        assert_eq!(
            o.leak_causes().iter().sum::<usize>(),
            o.count(skyshield_engine::Fate::Leaked),
            "run {}: one cause per leaker",
            o.run
        );
    }
    for (cause, mean) in causes.iter() {
        let expected = counts[cause.index()] as f64 / runs;
        assert!((mean - expected).abs() < 1e-12, "{}", cause.name());
    }

    let l = s.by_layer.keys().position(|k| k == "iron-dome").unwrap();
    let reloaded: u32 = batch.rows.iter().map(|r| r.reloaded[l]).sum();
    let sderot = prepared
        .batteries
        .iter()
        .position(|b| b.id == "dome-sderot")
        .unwrap();
    let tallied: u32 = batch
        .sample
        .iter()
        .map(|o| o.batteries[sderot].reloaded)
        .sum();
    assert_eq!(
        reloaded, tallied,
        "the rows hold the depot battery's reloads"
    );
    assert!(reloaded > 0, "the depot reloads the empty launchers");
    assert!(reloaded <= 20 * 40, "no more than the depot holds");
    let mean = s.by_layer["iron-dome"].reloaded;
    assert!((mean - f64::from(reloaded) / runs).abs() < 1e-12);

    // In JSON: every cause by name, zeros included; and the summary reads itself back.
    let json = serde_json::to_value(s).unwrap();
    let mut keys: Vec<&str> = json["leak_causes"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut names: Vec<&str> = skyshield_engine::LeakCause::ALL
        .iter()
        .map(|c| c.name())
        .collect();
    names.sort_unstable();
    assert_eq!(keys, names);
    let back: skyshield_mc::Summary = serde_json::from_value(json.clone()).unwrap();
    let back = back.leak_causes.expect("read back");
    for (cause, mean) in causes.iter() {
        assert!(
            (back.get(cause) - mean).abs() <= 1e-12 * mean,
            "{}",
            cause.name()
        );
    }
    // A summary older than the fields reads with no causes and nothing reloaded.
    let mut old = json;
    old.as_object_mut().unwrap().remove("leak_causes");
    for layer in old["by_layer"].as_object_mut().unwrap().values_mut() {
        layer.as_object_mut().unwrap().remove("reloaded");
    }
    let old: skyshield_mc::Summary = serde_json::from_value(old).unwrap();
    assert_eq!(old.leak_causes, None);
    assert!(old.by_layer.values().all(|l| l.reloaded == 0.0));
}

#[test]
fn the_summary_is_made_of_the_runs() {
    // Every run of the batch kept in full, over several chunks on two threads: eight Iskanders
    // against two Patriot batteries, which leak in some runs and not in others.
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/iskander-patriot.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the scenario is valid");
    let prepared = prepare(&scenario).expect("the scenario prepares");
    let batch = every_run_kept(&prepared, 100, 5);
    let (s, runs) = (&batch.summary, 100.0);
    assert_eq!(batch.sample.len(), 100);

    let clean = batch
        .sample
        .iter()
        .filter(|o| o.count(skyshield_engine::Fate::Leaked) == 0)
        .count();
    assert!(0 < clean && clean < 100, "{clean} runs without a leaker");
    assert!((s.leakers.p_zero - clean as f64 / runs).abs() < 1e-12);

    for (a, id) in prepared.asset_ids.iter().enumerate() {
        let hits = |o: &Outcome| {
            o.threats
                .iter()
                .filter(|t| t.fate == skyshield_engine::Fate::Leaked && t.asset == Some(a))
                .count()
        };
        let hit_runs = batch.sample.iter().filter(|o| hits(o) > 0).count();
        let total: usize = batch.sample.iter().map(hits).sum();
        let asset = &s.assets[id];
        assert!((asset.p_hit - hit_runs as f64 / runs).abs() < 1e-12, "{id}");
        assert!(
            (asset.hits_mean - total as f64 / runs).abs() < 1e-12,
            "{id}"
        );
    }
    assert!(
        s.assets.values().any(|a| a.p_hit > 0.0),
        "the raid hits an asset"
    );

    for (l, (name, layer)) in s.by_layer.iter().enumerate() {
        let batteries: Vec<_> = prepared
            .batteries
            .iter()
            .filter(|b| &b.type_id == name)
            .collect();
        let rounds: u64 = batteries.iter().map(|b| u64::from(b.rounds)).sum();
        let left: u32 = batch.rows.iter().map(|r| r.rounds_left[l]).sum();
        let shots: u32 = batch.rows.iter().map(|r| r.shots[l]).sum();
        let kills: u32 = batch.rows.iter().map(|r| r.kills[l]).sum();
        assert!(
            (layer.shots - f64::from(shots) / runs).abs() < 1e-9,
            "{name}"
        );
        assert!(
            (layer.kills - f64::from(kills) / runs).abs() < 1e-9,
            "{name}"
        );
        assert_eq!(layer.rounds, Some(rounds), "{name}");
        let mean_left = layer.rounds_left.expect("a limited stock");
        assert!((mean_left - f64::from(left) / runs).abs() < 1e-9, "{name}");
        let cost = f64::from(shots) / runs * batteries[0].cost_usd;
        assert!((layer.cost_usd - cost).abs() <= 1e-9 * cost, "{name}");
    }
    assert!(
        s.by_layer.values().all(|l| l.cost_usd > 0.0),
        "every layer fires"
    );
    assert!(
        s.by_layer.values().any(|l| l.kills > 0.0),
        "some layer kills"
    );

    let defense: f64 = batch.rows.iter().map(|r| r.defense_cost_usd).sum::<f64>() / runs;
    let offense: f64 = batch.rows.iter().map(|r| r.offense_cost_usd).sum::<f64>() / runs;
    assert!((s.cost_usd.defense - defense).abs() <= 1e-9 * defense);
    assert!(offense > 0.0 && (s.cost_usd.offense - offense).abs() <= 1e-9 * offense);
    let ratio = s.cost_usd.exchange_ratio.expect("an exchange ratio");
    assert!((ratio - defense / offense).abs() <= 1e-9 * ratio);
    let t = &s.timing;
    assert!(t.wall_s > 0.0 && (t.runs_per_s - runs / t.wall_s).abs() <= 1e-9 * t.runs_per_s);
}
