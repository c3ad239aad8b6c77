//! What the report's tests share: fixture summaries made whole.

use serde_json::{Value, json};
use skyshield_mc::Summary;

/// Inserts `value` at `key` of `doc` when absent.
fn or_insert(doc: &mut Value, key: &str, value: Value) {
    let map = doc.as_object_mut().expect("an object");
    map.entry(key).or_insert(value);
}

/// `doc` made a whole summary: the fields the plots do not read are filled in, consistent with
/// those they read.
pub fn whole(mut doc: Value) -> Summary {
    let count = |mean: &Value, ci95: &Value| {
        json!({"mean": mean, "sd": 0.0, "ci95": ci95,
               "quantiles": {"p5": mean, "p50": mean, "p95": mean}, "histogram": []})
    };
    for layer in doc["by_layer"]
        .as_object_mut()
        .expect("layers")
        .values_mut()
    {
        let shots = count(&layer["shots"], &layer["shots_ci95"]);
        let kills = count(&layer["kills"], &layer["kills_ci95"]);
        or_insert(layer, "shots_stats", shots);
        or_insert(layer, "kills_stats", kills);
    }
    let cost = &mut doc["cost_usd"];
    let defense = cost["defense"].clone();
    or_insert(cost, "defense_sd", json!(0.0));
    or_insert(
        cost,
        "defense_quantiles",
        json!({"p5": defense, "p50": defense, "p95": defense}),
    );
    for asset in doc["assets"].as_object_mut().expect("assets").values_mut() {
        let hits = count(&asset["hits_mean"], &json!([0.0, 0.0]));
        or_insert(asset, "hits", hits);
    }
    or_insert(
        &mut doc,
        "timing",
        json!({"wall_s": 0.1, "runs_per_s": 400.0, "threads": 1}),
    );
    if doc.get("warning").is_some() {
        let w = &mut doc["warning"];
        for (key, value) in [
            ("confidence", json!(0.95)),
            ("region_sigmas", json!(2.45)),
            ("min_lead_s", json!(90.0)),
            ("warn_debris", json!(true)),
            ("all_clear_s", json!(600.0)),
        ] {
            or_insert(w, key, value);
        }
        for lead in ["siren_lead_s", "early_warning_lead_s"] {
            or_insert(&mut w[lead], "sd", Value::Null);
        }
        for zone in w["zones"].as_object_mut().expect("zones").values_mut() {
            for key in [
                "impacts_mean",
                "p_alert",
                "p_impact",
                "p_too_late",
                "alert_minutes_mean",
            ] {
                or_insert(zone, key, json!(0.0));
            }
        }
    }
    serde_json::from_value(doc).expect("a whole summary")
}
