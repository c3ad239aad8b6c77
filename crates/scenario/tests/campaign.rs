//! The `campaign` section: a valid one resolves to its days, stocks and availability; every
//! misuse is reported with its line and column; a file without it has none.

use std::path::Path;

use skyshield_scenario::{DayRaid, DeliverySource, from_str};

const BASE: &str = "name: t
assets:
  - id: city
    circle: {center: [31.50, 34.60], radius_km: 8}
sensors:
  - {id: radar, type: green-pine, at: [31.55, 34.70], facing_deg: 90}
batteries:
  - {id: battery, type: arrow-2, at: [31.55, 34.70], radar: radar}
raid:
  - id: salvo
    threat: emad
    count: 8
    launch: {sites: [[32.60, 44.20]], window_s: [0, 120]}
    target: city
";

/// The problems of BASE followed by `campaign` as `LINE:COL: message`.
fn problems(campaign: &str) -> Vec<String> {
    match from_str(&format!("{BASE}{campaign}"), Path::new("s.yaml")) {
        Ok(_) => Vec::new(),
        Err(d) => d
            .iter()
            .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
            .collect(),
    }
}

#[test]
fn a_file_without_a_campaign_has_none() {
    let s = from_str(BASE, Path::new("s.yaml")).expect("valid");
    assert!(s.campaign.is_none());
}

#[test]
fn a_campaign_resolves_to_its_days_stocks_and_availability() {
    let text = format!(
        "{BASE}campaign:
  days: 4
  raids:
    - {{from_day: 1, to_day: 2, launches: [{{group: salvo, count: 5}}]}}
    - {{from_day: 4, salvo: {{low: 2, nominal: 4, high: 8}}, mix: [{{group: salvo, share: 1}}]}}
  attacker:
    stocks: [{{threat: emad, rounds: 30}}]
    production: [{{threat: emad, per_day: 2, ramp_per_day: 0.5}}]
    launchers: [{{id: tels, threats: [emad], count: 10, reload_h: 5, launch_hours: 12, rounds_per_load: 2}}]
  defender:
    depot: [{{type: arrow-2, rounds: 20}}]
    deliveries: [{{type: arrow-2, rounds: 6, from_day: 1, to_day: 3, lead_days: 2, source: allied}}]
  availability:
    - {{battery: battery, relocate_days: [3, 2], march_h: {{low: 2, nominal: 4, high: 6}}, loss_probability: 0.1, maintenance_rate_per_day: 0.05}}
"
    );
    let s = from_str(&text, Path::new("s.yaml")).unwrap_or_else(|d| panic!("{d}"));
    let c = s.campaign.expect("campaign");
    assert_eq!(c.days, 4);
    assert_eq!(c.raids[0], DayRaid::Explicit(vec![5]));
    assert_eq!(c.raids[2], DayRaid::None);
    assert!(matches!(c.raids[3], DayRaid::Generated { .. }));
    assert_eq!(c.stocks, [Some(30)]);
    assert_eq!(c.production, [(2.0, 0.5)]);
    // Two loads in 12 hours at 5 h a reload, two rounds a load.
    assert_eq!(c.launchers[0].rounds_per_day, 4);
    assert_eq!(c.depot, [20]);
    assert_eq!(c.deliveries[0].days, (1, 3));
    assert_eq!(c.deliveries[0].lead_days, 2);
    assert_eq!(c.deliveries[0].source, DeliverySource::Allied);
    assert_eq!(c.availability[0].relocate_days, [2, 3]);
    assert_eq!(c.availability[0].march_s.nominal, 4.0 * 3600.0);
}

#[test]
fn every_misuse_of_a_campaign_is_located() {
    let found = problems(
        "campaign:
  days: 3
  raids:
    - {from_day: 0, launches: [{group: salvoo, count: 1}]}
    - {from_day: 2, to_day: 9, launches: [{group: salvo, count: 99}]}
    - {from_day: 3, salvo: 4}
    - {from_day: 3, salvo: 4, mix: [{group: salvo, share: 0.5}]}
  attacker:
    stocks: [{threat: emadd, rounds: -1}]
    launchers: [{id: tels, threats: [emad], count: 3, reload_h: 0}]
  defender:
    depot: [{type: arrow-3, rounds: 5}]
    deliveries: [{type: arrow-2, rounds: 5, from_day: 2, to_day: 1}]
  availability:
    - {battery: batery, maintenance_days: [4]}
    - {battery: battery, relocate_days: [1]}
",
    );
    let expected = [
        "18:18: expected a day from 1 to 3 (the campaign's `days`) for `from_day`, found 0",
        "18:40: unknown raid group `salvoo`; did you mean `salvo`?",
        "19:29: expected a day from 1 to 3 (the campaign's `days`) for `to_day`, found 9",
        "19:65: expected 0 to 8 rounds",
        "20:28: missing field `mix`",
        "21:18: day 3 is already covered by the raid entry at line 20, column 18",
        "21:36: expected shares that sum to 1 for `mix`, found a sum of 0.5",
        "23:23: unknown threat type of the raid `emadd`; did you mean `emad`?",
        "23:38: expected a whole number from 0 to 1000000 for `rounds`, found -1",
        "24:65: expected a number > 0 for `reload_h`, found 0",
        "26:20: unknown interceptor type of the batteries `arrow-3`; did you mean `arrow-2`?",
        "27:66: expected `to_day` >= `from_day` (2), found 1",
        "29:44: expected a day from 1 to 3 (the campaign's `days`) for `maintenance_days`, found 4",
        "29:17: unknown battery `batery`; did you mean `battery`?",
        "30:17: missing field `march_h`: battery `battery` relocates",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for e in expected {
        assert!(
            found.iter().any(|f| f.starts_with(e)),
            "expected {e:?}\nfound {found:#?}"
        );
    }
}

#[test]
fn a_campaign_belongs_to_layered_scenarios() {
    let text = "name: a
kind: abstract
threats: 3
layers:
  - {id: l, kill_probability: 0.5}
campaign:
  days: 2
  raids: []
";
    let d = from_str(text, Path::new("s.yaml")).expect_err("invalid");
    assert!(
        d.iter()
            .any(|d| d.line == 7 && d.message.contains("belongs to layered scenarios")),
        "{d}"
    );
}
