//! `skyshield run` and `skyshield replay`, run as a user would.

mod common;

use std::collections::BTreeMap;

use arrow_array::{
    Array, Float64Array, StringArray, TimestampMillisecondArray, UInt32Array, UInt64Array,
};
use common::{json, repo, scratch, skyshield};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

#[test]
fn the_default_scenario_runs_and_prints_a_table() {
    let run = skyshield(&["run", "--runs", "20"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for word in [
        "intercepted",
        "leaked",
        "leakers",
        "arrow-3",
        "iron-dome",
        "coastal-city",
        "exchange ratio",
        "leaked, by cause (mean per run)",
        "reloaded",
    ] {
        assert!(
            run.stdout.contains(word),
            "table lacks {word}:\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_nominal_run_says_so_in_the_table_and_the_json() {
    let run = skyshield(&["run", "--runs", "10", "--nominal"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("threats per run, every parameter at its nominal value"),
        "{}",
        run.stdout
    );
    let doc = json(&["run", "--runs", "10", "--nominal", "--format", "json"]);
    assert_eq!(doc["parameters"], "nominal");
}

#[test]
fn json_carries_the_summary_contract() {
    let doc = json(&["run", "--runs", "30", "--seed", "5", "--format", "json"]);
    assert_eq!(doc["runs"], 30);
    assert_eq!(doc["seed"], 5);
    assert_eq!(doc["parameters"], "sampled");
    assert!(doc["threats"].as_u64().unwrap() > 200);
    let num = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    let leakers = &doc["leakers"];
    // The interval of the mean is mean ± 1.96 sd/√n, with the sample standard deviation.
    let (mean, sd) = (num(&leakers["mean"]), num(&leakers["sd"]));
    let half = 1.959_963_984_540_054 * sd / 30f64.sqrt();
    let ci = [num(&leakers["ci95"][0]), num(&leakers["ci95"][1])];
    assert!(sd > 0.0, "leakers vary from run to run in a sampled batch");
    assert!(
        close(ci[0], mean - half) && close(ci[1], mean + half),
        "{ci:?} about {mean} ± {half}"
    );
    // The histogram counts the runs by leakers: its mean and sd are the summary's.
    let histogram: Vec<f64> = leakers["histogram"]
        .as_array()
        .expect("histogram")
        .iter()
        .map(num)
        .collect();
    assert_eq!(histogram.iter().sum::<f64>(), 30.0);
    let h_mean = histogram
        .iter()
        .enumerate()
        .map(|(k, c)| k as f64 * c)
        .sum::<f64>()
        / 30.0;
    let h_var = histogram
        .iter()
        .enumerate()
        .map(|(k, c)| c * (k as f64 - h_mean).powi(2))
        .sum::<f64>()
        / 29.0;
    assert!(
        close(mean, h_mean),
        "mean {mean}, from the histogram {h_mean}"
    );
    assert!(
        close(sd, h_var.sqrt()),
        "sd {sd}, from the histogram {}",
        h_var.sqrt()
    );
    assert!(close(num(&leakers["p_zero"]), histogram[0] / 30.0));
    let q = &leakers["quantiles"];
    let (p5, p50, p95) = (num(&q["p5"]), num(&q["p50"]), num(&q["p95"]));
    assert!(p5 <= p50 && p50 <= p95, "quantiles out of order: {q}");
    let fates = &doc["fates"];
    let total: f64 = [
        "intercepted",
        "leaked",
        "ignored_open_area",
        "failed_in_flight",
    ]
    .iter()
    .map(|k| fates[k].as_f64().expect("fate mean"))
    .sum();
    assert!(
        (total - doc["threats"].as_f64().unwrap()).abs() < 1e-6,
        "fates add up to the threats"
    );
    assert!(
        close(num(&fates["leaked"]), mean),
        "leaked is the leakers' mean"
    );
    // Each layer's cost is its shots at its catalog price; the defense's is their sum, the
    // exchange ratio defense over offense.
    let mut defense = 0.0;
    let mut kills = 0.0;
    for (layer, s) in doc["by_layer"].as_object().expect("by_layer") {
        let cost = num(&s["shots"]) * price(layer);
        assert!(close(num(&s["cost_usd"]), cost), "{layer}: {s}");
        assert!(
            num(&s["kills"]) <= num(&s["shots"]),
            "{layer}: more kills than shots"
        );
        defense += cost;
        kills += num(&s["kills"]);
    }
    for layer in ["arrow-3", "thaad", "iron-dome"] {
        assert!(
            num(&doc["by_layer"][layer]["shots"]) > 0.0,
            "{layer} never fired"
        );
    }
    assert!(
        close(kills, num(&fates["intercepted"])),
        "kills {kills} vs intercepts"
    );
    let cost = &doc["cost_usd"];
    assert!(close(num(&cost["defense"]), defense), "{cost}");
    assert!(close(
        num(&cost["exchange_ratio"]),
        num(&cost["defense"]) / num(&cost["offense"])
    ));
    // The offense launches every threat of the default raid each run, at catalog prices.
    let offense: f64 = [
        ("emad", 40.0),
        ("ghadr", 30.0),
        ("kheibar-shekan", 30.0),
        ("paveh", 30.0),
        ("shahed-136", 150.0),
    ]
    .iter()
    .map(|(t, n)| n * price(t))
    .sum();
    assert!(close(num(&cost["offense"]), offense), "{cost} vs {offense}");
    let city = &doc["assets"]["coastal-city"];
    let p_hit = num(&city["p_hit"]);
    assert!((0.0..=1.0).contains(&p_hit));
    assert!(
        num(&city["hits_mean"]) >= p_hit,
        "a hit run has at least one hit"
    );
    assert!(doc["timing"]["wall_s"].is_number() && doc["timing"]["runs_per_s"].is_number());
}

/// Whether two figures of a summary agree up to the rounding of sums in another order.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The catalog's nominal unit price of type `id`, US$.
fn price(id: &str) -> f64 {
    skyshield_scenario::catalog()
        .get(id)
        .unwrap_or_else(|| panic!("{id} in the catalog"))
        .number("cost_usd")
        .expect("cost_usd")
        .nominal
}

#[test]
fn a_leaker_with_no_aim_error_inside_an_asset_is_a_hit() {
    let dir = scratch("hit");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hit.yaml");
    let scenario = |aim: &str| {
        format!(
            "name: hit\nruns: 5\nassets:\n  - {{id: city, circle: {{center: [31.5, 34.6], radius_km: 5}}, value: 10}}\n\
             sensors: []\nbatteries: []\ncommand:\n  decision_latency_s: 2\n\
             raid:\n  - {{id: fateh, threat: fateh-110, count: 3, launch: {{sites: [[31.5, 36.2]], window_s: [0, 60]}}, {aim}, overrides: {{reliability: 1.0, cep_m: 0}}}}\n"
        )
    };
    std::fs::write(&file, scenario("target: city")).unwrap();
    let doc = json(&["run", file.to_str().unwrap(), "--format", "json"]);
    let city = &doc["assets"]["city"];
    assert_eq!(city["hits_mean"], 3.0, "{city}");
    assert_eq!(city["p_hit"], 1.0, "{city}");
    assert_eq!(doc["leakers"]["mean"], 3.0);
    // 20 km from the city's edge, the same rounds hit nothing.
    std::fs::write(&file, scenario("aim: [31.5, 34.87]")).unwrap();
    let doc = json(&["run", file.to_str().unwrap(), "--format", "json"]);
    let city = &doc["assets"]["city"];
    assert_eq!(city["hits_mean"], 0.0, "{city}");
    assert_eq!(city["p_hit"], 0.0, "{city}");
    assert_eq!(doc["leakers"]["mean"], 3.0);
}

#[test]
fn one_and_two_threads_print_the_same_json_but_for_timing() {
    let strip = |mut v: Value| {
        v.as_object_mut().unwrap().remove("timing");
        v
    };
    let one = strip(json(&[
        "run",
        "--runs",
        "64",
        "--threads",
        "1",
        "--format",
        "json",
    ]));
    let two = strip(json(&[
        "run",
        "--runs",
        "64",
        "--threads",
        "2",
        "--format",
        "json",
    ]));
    assert_eq!(one, two);
}

/// A column of a Parquet file: its values as numbers (`None` for text and nulls), and as text
/// (`None` for numbers and nulls).
type Column = (Vec<Option<f64>>, Vec<Option<String>>);

/// Every column of a Parquet file, by name.
fn columns(path: &std::path::Path) -> BTreeMap<String, Column> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .expect("Parquet")
        .build()
        .expect("reader");
    let mut columns: BTreeMap<String, Column> = BTreeMap::new();
    for batch in reader {
        let batch = batch.expect("batch");
        for (field, column) in batch.schema().fields().iter().zip(batch.columns()) {
            let (nums, texts) = columns.entry(field.name().clone()).or_default();
            let any = column.as_any();
            for k in 0..column.len() {
                let valid = column.is_valid(k);
                let (n, t) = if let Some(a) = any.downcast_ref::<UInt64Array>() {
                    (Some(a.value(k) as f64), None)
                } else if let Some(a) = any.downcast_ref::<UInt32Array>() {
                    (Some(f64::from(a.value(k))), None)
                } else if let Some(a) = any.downcast_ref::<Float64Array>() {
                    (Some(a.value(k)), None)
                } else if let Some(a) = any.downcast_ref::<StringArray>() {
                    (None, Some(a.value(k).to_string()))
                } else if let Some(a) = any.downcast_ref::<TimestampMillisecondArray>() {
                    assert_eq!(a.timezone(), Some("UTC"), "{}", field.name());
                    (Some(a.value(k) as f64 / 1000.0), None)
                } else {
                    panic!("column {} of an unexpected type", field.name());
                };
                nums.push(n.filter(|_| valid));
                texts.push(t.filter(|_| valid));
            }
        }
    }
    columns
}

#[test]
fn a_dated_scenario_dates_its_events() {
    // October 2024 starts at 2024-10-01T16:30:00Z: the UTC columns are that instant plus the
    // times from the time zero, to the millisecond.
    let dir = scratch("dated");
    let scenario = repo("scenarios/oct-2024.yaml");
    let run = skyshield(&[
        "run",
        scenario.to_str().unwrap(),
        "--runs",
        "4",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events = columns(&dir.join("events.parquet"));
    let start_s = 1_727_800_200.0;
    for (seconds, utc) in [("launch_s", "launch_utc"), ("end_s", "end_utc")] {
        let (s, u) = (&events[seconds].0, &events[utc].0);
        assert!(!s.is_empty());
        for (s, u) in s.iter().zip(u) {
            let (s, u) = (s.unwrap(), u.expect("dated"));
            assert!((u - start_s - s).abs() <= 0.0005 + 1e-6, "{u} against {s}");
        }
    }
    // Undated: the default scenario has no start, and its UTC columns are null.
    let undated = scratch("undated");
    let run = skyshield(&["run", "--runs", "2", "--out", undated.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let events = columns(&undated.join("events.parquet"));
    assert!(events["launch_utc"].0.iter().all(Option::is_none));
}

#[test]
fn out_writes_the_summary_and_the_runs_table() {
    let dir = scratch("out");
    let runs = 20;
    let doc = json(&[
        "run",
        "--runs",
        &runs.to_string(),
        "--seed",
        "3",
        "--out",
        dir.to_str().unwrap(),
        "--format",
        "json",
    ]);
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap();
    assert_eq!(written["leakers"], doc["leakers"]);
    let table = columns(&dir.join("runs.parquet"));
    let num = |name: &str| -> Vec<f64> {
        table
            .get(name)
            .unwrap_or_else(|| panic!("runs.parquet has no column {name}"))
            .0
            .iter()
            .map(|v| v.expect("a number"))
            .collect()
    };
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len() as f64;
    // One row per run, in run order, under the batch's seed.
    assert_eq!(num("run"), (0..runs).map(f64::from).collect::<Vec<_>>());
    assert!(num("seed").iter().all(|&s| s == 3.0));
    // Each run's fates are those of its threats in events.parquet (which holds every run).
    let events = columns(&dir.join("events.parquet"));
    let event_run: Vec<usize> = events["run"]
        .0
        .iter()
        .map(|r| r.unwrap() as usize)
        .collect();
    let event_fate = &events["fate"].1;
    let event_type = &events["type"].1;
    let event_shots = &events["shots"].0;
    let threats = doc["threats"].as_u64().unwrap() as usize;
    assert_eq!(event_run.len(), threats * runs as usize);
    for (column, fate) in [
        ("leakers", "leaked"),
        ("intercepted", "intercepted"),
        ("ignored_open_area", "ignored_open_area"),
        ("failed_in_flight", "failed_in_flight"),
    ] {
        let mut per_run = vec![0.0; runs as usize];
        for (k, f) in event_fate.iter().enumerate() {
            if f.as_deref() == Some(fate) {
                per_run[event_run[k]] += 1.0;
            }
        }
        assert_eq!(num(column), per_run, "{column}");
        assert!(close(
            mean(&num(column)),
            doc["fates"][fate].as_f64().unwrap()
        ));
    }
    assert!(close(
        mean(&num("leakers")),
        doc["leakers"]["mean"].as_f64().unwrap()
    ));
    // Each leaker's cause, counted over the runs, gives the summary's leak causes.
    let event_cause = &events["leak_cause"].1;
    for (cause, mean) in doc["leak_causes"].as_object().expect("leak_causes") {
        let count = event_cause
            .iter()
            .filter(|c| c.as_deref() == Some(cause.as_str()))
            .count();
        assert!(
            close(count as f64 / f64::from(runs), mean.as_f64().unwrap()),
            "{cause}"
        );
    }
    for (f, c) in event_fate.iter().zip(event_cause) {
        assert_eq!(f.as_deref() == Some("leaked"), c.is_some(), "{f:?}: {c:?}");
    }
    // Shots per layer: each layer's mean is the summary's, their sum per run the shots at the
    // run's threats, their cost at catalog prices the run's defense cost.
    let layers: Vec<String> = doc["by_layer"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let mut shots = vec![0.0; runs as usize];
    let mut defense = vec![0.0; runs as usize];
    // Column names take ids in snake case (`arrow-2` is `arrow_2`).
    let snake = |id: &str| id.replace('-', "_");
    let mut kills = vec![0.0; runs as usize];
    for layer in &layers {
        assert!(close(
            mean(&num(&format!("reloaded_{}", snake(layer)))),
            doc["by_layer"][layer]["reloaded"].as_f64().unwrap()
        ));
        let killed = num(&format!("kills_{}", snake(layer)));
        assert!(close(
            mean(&killed),
            doc["by_layer"][layer]["kills"].as_f64().unwrap()
        ));
        for (k, n) in killed.iter().enumerate() {
            kills[k] += n;
        }
        let column = num(&format!("shots_{}", snake(layer)));
        assert!(close(
            mean(&column),
            doc["by_layer"][layer]["shots"].as_f64().unwrap()
        ));
        for (k, s) in column.iter().enumerate() {
            shots[k] += s;
            defense[k] += s * price(layer);
        }
    }
    let mut event_shots_per_run = vec![0.0; runs as usize];
    let mut offense = vec![0.0; runs as usize];
    for (k, s) in event_shots.iter().enumerate() {
        event_shots_per_run[event_run[k]] += s.unwrap();
        offense[event_run[k]] += price(event_type[k].as_deref().unwrap());
    }
    assert_eq!(shots, event_shots_per_run);
    // Every intercepted threat was killed by one interceptor type.
    assert_eq!(kills, num("intercepted"));
    assert!(shots.iter().all(|&s| s > 0.0), "a run without a shot");
    for (k, (got, want)) in num("defense_cost_usd").iter().zip(&defense).enumerate() {
        assert!(
            close(*got, *want),
            "run {k}: defense cost {got}, expected {want}"
        );
    }
    for (k, (got, want)) in num("offense_cost_usd").iter().zip(&offense).enumerate() {
        assert!(
            close(*got, *want),
            "run {k}: offense cost {got}, expected {want}"
        );
    }
    assert!(close(
        mean(&num("defense_cost_usd")),
        doc["cost_usd"]["defense"].as_f64().unwrap()
    ));
    assert!(close(
        mean(&num("offense_cost_usd")),
        doc["cost_usd"]["offense"].as_f64().unwrap()
    ));
    // The cost quantiles are the exact quantiles of the runs' costs: the smallest cost at or
    // below which that share of the runs lie.
    let mut costs = num("defense_cost_usd");
    costs.sort_by(f64::total_cmp);
    assert_eq!(doc["cost_usd"]["defense_quantiles_exact"], true);
    for (name, q) in [("p5", 0.05), ("p50", 0.5), ("p95", 0.95)] {
        let exact = costs[((q * costs.len() as f64).ceil() as usize).max(1) - 1];
        assert_eq!(
            doc["cost_usd"]["defense_quantiles"][name].as_f64(),
            Some(exact),
            "{name}"
        );
    }
    // Hits per asset: leakers that fell in it, by run.
    let event_asset = &events["asset"].1;
    for (asset, s) in doc["assets"].as_object().unwrap() {
        let mut hits = vec![0.0; runs as usize];
        for (k, a) in event_asset.iter().enumerate() {
            if a.as_deref() == Some(asset.as_str()) && event_fate[k].as_deref() == Some("leaked") {
                hits[event_run[k]] += 1.0;
            }
        }
        assert!(
            close(mean(&hits), s["hits_mean"].as_f64().unwrap()),
            "{asset}: {s}"
        );
        assert_eq!(num(&format!("hits_{}", snake(asset))), hits, "{asset}");
        let hit_runs = hits.iter().filter(|&&h| h > 0.0).count() as f64;
        assert!(
            close(hit_runs / f64::from(runs), s["p_hit"].as_f64().unwrap()),
            "{asset}: {s}"
        );
    }
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn an_abstract_scenario_runs() {
    let doc = json(&[
        "run",
        &repo("scenarios/examples/abstract-two-layers.yaml")
            .display()
            .to_string(),
        "--runs",
        "4000",
        "--format",
        "json",
    ]);
    // Wilkening case (c), N = 10: 1.13822 expected leakers; 4,000 runs give a standard error
    // of about 0.016.
    let mean = doc["leakers"]["mean"].as_f64().unwrap();
    assert!((mean - 1.13822).abs() < 4.0 * 0.017, "{mean}");
    // Its threats cost nothing: no exchange ratio, in the JSON or the table.
    assert!(
        doc["cost_usd"]["exchange_ratio"].is_null(),
        "{}",
        doc["cost_usd"]
    );
    let table = skyshield(&[
        "run",
        &repo("scenarios/examples/abstract-two-layers.yaml")
            .display()
            .to_string(),
        "--runs",
        "10",
    ]);
    assert!(
        table.stdout.contains("exchange ratio n/a"),
        "{}",
        table.stdout
    );
}

#[test]
fn replay_writes_the_event_log_of_one_run() {
    let dir = scratch("replay");
    let run = skyshield(&[
        "replay",
        &repo("scenarios/default.yaml").display().to_string(),
        "--run",
        "3",
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = std::fs::read_to_string(dir.join("events.jsonl")).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let kinds: std::collections::BTreeSet<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    for kind in [
        "launch",
        "track",
        "decision",
        "interceptor_launch",
        "intercept",
        "impact",
    ] {
        assert!(kinds.contains(kind), "no {kind} event");
    }
    assert!(events.iter().all(|e| e["t_s"].is_number()));
    assert!(
        events
            .windows(2)
            .all(|w| w[0]["t_s"].as_f64() <= w[1]["t_s"].as_f64()),
        "events in time order"
    );
    let launches = events.iter().filter(|e| e["event"] == "launch").count();
    assert_eq!(launches, 280);
}

#[test]
fn a_bad_scenario_is_refused_with_its_positions_and_nothing_is_written() {
    let dir = scratch("bad");
    let bad = scratch("bad-file");
    std::fs::create_dir_all(&bad).unwrap();
    let file = bad.join("bad.yaml");
    std::fs::write(&file, "name: x\nkind: abstract\nthreats: 0\nlayers: []\n").unwrap();
    let run = skyshield(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("bad.yaml:3:"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was run"), "{}", run.stderr);
    assert!(!dir.exists(), "no output folder for a refused scenario");
    let run = skyshield(&["run", "--runs", "0"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--runs"), "{}", run.stderr);
}

#[test]
fn compare_prints_paired_differences_and_a_variant_against_itself_differs_in_nothing() {
    let a = repo("scenarios/iskander-patriot.yaml");
    let b = repo("scenarios/iskander-patriot-thaad.yaml");
    let c = json(&[
        "compare",
        a.to_str().unwrap(),
        a.to_str().unwrap(),
        "--runs",
        "50",
        "--format",
        "json",
    ]);
    assert_eq!((c["runs"].as_u64(), c["seed"].is_u64()), (Some(50), true));
    let metrics = c["metrics"].as_array().expect("metrics");
    assert!(metrics.iter().any(|m| m["metric"] == "leakers"));
    for m in metrics {
        assert_eq!(m["difference"], 0.0, "{m}");
        assert_eq!(m["identical_runs"], 1.0, "{m}");
    }
    // THAAD added: its columns appear (0 in A; it cannot reach missiles flying under its
    // floor, see docs/validation.md), and its radar's earlier tracks let Patriot fire more
    // PAC-2, beyond the paired interval.
    let c = json(&[
        "compare",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--runs",
        "100",
        "--format",
        "json",
    ]);
    let metric = |name: &str| {
        c["metrics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["metric"] == name)
            .unwrap_or_else(|| panic!("no {name}: {c}"))
            .clone()
    };
    assert_eq!(metric("shots.thaad")["a_mean"], 0.0);
    let pac2 = metric("shots.pac-2-gem-t");
    let d = pac2["difference"].as_f64().unwrap();
    let (a_mean, b_mean) = (
        pac2["a_mean"].as_f64().unwrap(),
        pac2["b_mean"].as_f64().unwrap(),
    );
    assert!((d - (b_mean - a_mean)).abs() < 1e-9, "{pac2}");
    assert!(pac2["ci95"][0].as_f64().unwrap() > 0.0, "{pac2}");
    // A missing file is bad input.
    let missing = skyshield(&["compare", a.to_str().unwrap(), "nowhere.yaml"]);
    assert_eq!(missing.code, 2, "{}", missing.stderr);
    assert!(
        missing.stderr.contains("nowhere.yaml"),
        "{}",
        missing.stderr
    );
}
