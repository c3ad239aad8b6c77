//! The numbers of the report's page: every figure of a fixture summary appears formatted in its
//! table row or key list, in the order the page promises.

mod common;

use common::whole;
use skyshield_report::html::{Page, render};

const SUMMARY: &str = r#"{
  "scenario": "Page fixture", "runs": 1200, "seed": 7, "threats": 16,
  "leakers": {"mean": 2.3456, "sd": 1.234, "ci95": [2.2756, 2.4156], "p_zero": 0.125,
              "p_zero_ci95": [0.107, 0.145], "quantiles": {"p5": 1.0, "p50": 2.0, "p95": 5.0},
              "histogram": [150, 300, 400, 200, 100, 50]},
  "fates": {"intercepted": 12.0, "leaked": 2.3456, "ignored_open_area": 1.1544, "failed_in_flight": 0.5},
  "by_layer": {
    "arrow-3": {"shots": 4.0, "kills": 3.126, "shots_ci95": [3.876, 4.126], "kills_ci95": [3.0, 3.25],
                "rounds": 8, "rounds_left": 4.26, "reloaded": 1.234, "cost_usd": 12000000.0},
    "iron-dome": {"shots": 1234.5, "kills": 987.25, "shots_ci95": [1200.0, 1269.0], "kills_ci95": [950.5, 1024.0],
                  "rounds": null, "rounds_left": null, "cost_usd": 987600.0}
  },
  "cost_usd": {"defense": 12987600.0, "defense_ci95": [12500000.0, 13475200.0],
               "offense": 5000000.0, "exchange_ratio": 2.59752},
  "assets": {"port": {"hits_mean": 1.5, "p_hit": 0.8126, "p_hit_ci95": [0.7891, 0.8342]},
             "base": {"hits_mean": 0.0, "p_hit": 0.0, "p_hit_ci95": [0.0, 0.0032]}}
}"#;

fn page() -> String {
    let summary = whole(serde_json::from_str(SUMMARY).expect("fixture summary"));
    render(&Page {
        summary: &summary,
        scenario: None,
        plots: &[],
        warning_plots: &[],
        dir: "out",
        version: "0.0.0-test",
        sample_runs: None,
        sensitivity: None,
    })
}

fn has(page: &str, text: &str) {
    assert!(page.contains(text), "the page lacks {text:?}:\n{page}");
}

#[test]
fn the_summary_shows_the_leakers_costs_and_exchange_ratio_with_their_intervals_in_order() {
    let p = page();
    has(&p, "1,200 runs, seed 7, 16 threats per run.");
    has(
        &p,
        "<dd>mean 2.35 (95 % CI 2.28 to 2.42), sd 1.23; 5th, 50th, 95th percentiles 1, 2, 5</dd>",
    );
    has(&p, "<dd>0.125 (95 % Wilson interval 0.107 to 0.145)</dd>");
    has(&p, "<dd>US$13.0M (95 % CI US$12.5M to US$13.5M)</dd>");
    has(&p, "<dt>Offense cost per run</dt><dd>US$5.0M</dd>");
    has(&p, "<dd>2.60 (defense over offense)</dd>");
}

#[test]
fn the_fates_table_gives_each_fates_mean_and_share_of_the_threats() {
    let p = page();
    has(
        &p,
        "<tr><td>intercepted</td><td>12.00</td><td>75.0 %</td></tr>",
    );
    has(
        &p,
        "<tr><td>leaked (reached the ground)</td><td>2.35</td><td>14.7 %</td></tr>",
    );
    has(
        &p,
        "<tr><td>ignored (predicted in open area)</td><td>1.15</td><td>7.2 %</td></tr>",
    );
    has(
        &p,
        "<tr><td>failed in flight</td><td>0.50</td><td>3.1 %</td></tr>",
    );
}

#[test]
fn the_layers_table_gives_shots_kills_intervals_rounds_and_cost_per_layer() {
    let p = page();
    // Rounds reloaded between the kills and the rounds left; 0 where the summary has none.
    has(
        &p,
        "<th>kills per run</th><th>95 % CI</th><th>rounds reloaded per run</th><th>rounds left / rounds</th>",
    );
    has(
        &p,
        "<tr><td>arrow-3</td><td>4.00</td><td>3.88 to 4.13</td><td>3.13</td><td>3.00 to 3.25</td>\
         <td>1.23</td><td>4.3 / 8</td><td>US$12.0M</td></tr>",
    );
    has(
        &p,
        "<tr><td>iron-dome</td><td>1,234.50</td><td>1,200.00 to 1,269.00</td><td>987.25</td>\
         <td>950.50 to 1,024.00</td><td>0.00</td><td>unlimited</td><td>US$1.0M</td></tr>",
    );
    // Rows in name order.
    assert!(p.find("<td>arrow-3</td>") < p.find("<td>iron-dome</td>"));
}

#[test]
fn the_assets_table_gives_hits_and_the_probability_of_a_hit_with_its_interval() {
    let p = page();
    has(
        &p,
        "<tr><td>port</td><td>1.50</td><td>0.813</td><td>0.789 to 0.834</td></tr>",
    );
    has(
        &p,
        "<tr><td>base</td><td>0.00</td><td>0.000</td><td>0.000 to 0.003</td></tr>",
    );
}
