//! Campaign runs against what a campaign must hold: conservation of rounds per run and day,
//! deliveries after their lead time, launches within stocks and launcher capacity, batteries
//! away or lost firing nothing, exhaustion coming earlier as raids grow, and the same result on
//! any number of threads.

use std::path::Path;

use proptest::prelude::*;
use skyshield_campaign::{BatteryState, CampaignOptions, CampaignResult, DayRow, run_campaign};
use skyshield_engine::{Prepared, prepare};
use skyshield_mc::CancelToken;
use skyshield_scenario::{
    BatteryAvailability, Campaign, DayRaid, Delivery, DeliverySource, LauncherPool, Scenario,
    Uncertain,
};

/// Standard errors within which a statistic must lie of its expected value.
const Z: f64 = 4.0;

/// Missiles at a city defended by one battery on its own radar; a campaign of three days with
/// two missiles a day.
const SCENARIO: &str = "
name: campaign
seed: 5
assets:
  - {id: city, circle: {center: [31.50, 34.60], radius_km: 8}}
sensors:
  - {id: radar, type: green-pine, at: [31.55, 34.70], facing_deg: 90}
batteries:
  - {id: battery, type: arrow-2, at: [31.55, 34.70], radar: radar, launchers: 2, rounds_per_launcher: 6}
command:
  network: false
  doctrine: {shoot_look_shoot: false, shots_per_engagement: 1}
raid:
  - id: salvo
    threat: emad
    count: 8
    launch: {sites: [[32.60, 44.20]], window_s: [0, 120]}
    target: city
campaign:
  days: 3
  raids:
    - {from_day: 1, to_day: 3, launches: [{group: salvo, count: 2}]}
";

fn setup() -> (Scenario, Prepared) {
    setup_from(SCENARIO)
}

fn setup_from(text: &str) -> (Scenario, Prepared) {
    let scenario = skyshield_scenario::from_str(text, Path::new("campaign.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n{text}"));
    let prepared = prepare(&scenario).expect("prepared");
    (scenario, prepared)
}

fn play(scenario: &Scenario, prepared: &Prepared, runs: u64, threads: usize) -> CampaignResult {
    let opts = CampaignOptions {
        runs,
        seed: 11,
        threads,
    };
    run_campaign(
        scenario,
        prepared,
        &opts,
        &CancelToken::new(),
        &mut |_, _| {},
    )
    .expect("campaign")
}

/// A campaign of `days` days launching `salvo` a day of the single group.
fn with_campaign(base: &Scenario, edit: impl FnOnce(&mut Campaign)) -> Scenario {
    let mut s = base.clone();
    let c = s.campaign.as_mut().expect("campaign");
    edit(c);
    s
}

fn rows_of(result: &CampaignResult, run: u64) -> Vec<&DayRow> {
    result.rows.iter().filter(|r| r.run == run).collect()
}

#[test]
fn the_same_campaign_on_one_and_two_threads() {
    let (scenario, prepared) = setup();
    let scenario = with_campaign(&scenario, |c| {
        c.availability[0].relocate_rate_per_day = 0.3;
        c.availability[0].march_s = Uncertain::new(600.0, 1800.0, 7200.0).unwrap();
        c.availability[0].loss_probability = Uncertain::exact(0.2);
        c.raids = vec![
            DayRaid::Generated {
                salvo: Uncertain::new(1.0, 3.0, 8.0).unwrap(),
                shares: vec![1.0],
            };
            3
        ];
    });
    let one = play(&scenario, &prepared, 70, 1);
    let two = play(&scenario, &prepared, 70, 2);
    let json = |r: &CampaignResult| serde_json::to_string(&r.summary).expect("json");
    assert_eq!(json(&one), json(&two));
    assert_eq!(one.rows, two.rows);
}

#[test]
fn a_relocating_battery_fires_nothing_on_its_march() {
    let (scenario, prepared) = setup();
    let scenario = with_campaign(&scenario, |c| {
        c.availability[0].relocate_days = vec![2];
        // Longer than the day's flights: away all the day's raid.
        c.availability[0].march_s = Uncertain::exact(6.0 * 3600.0);
    });
    let result = play(&scenario, &prepared, 20, 1);
    let mut fired_on_other_days = 0;
    for r in &result.rows {
        if r.day == 2 {
            assert_eq!(r.battery_states[0], BatteryState::Relocating);
            assert_eq!(r.shots[0], 0, "run {} fired on its march", r.run);
        } else {
            assert_eq!(r.battery_states[0], BatteryState::Ready);
            fired_on_other_days += r.shots[0];
        }
    }
    assert!(fired_on_other_days > 0, "the battery fires when in place");
}

#[test]
fn a_battery_lost_in_transit_never_fires_again() {
    let (scenario, prepared) = setup();
    let scenario = with_campaign(&scenario, |c| {
        c.days = 5;
        c.raids = vec![DayRaid::Explicit(vec![2]); 5];
        c.availability[0].relocate_days = vec![2];
        c.availability[0].march_s = Uncertain::exact(60.0);
        c.availability[0].loss_probability = Uncertain::exact(1.0);
    });
    let result = play(&scenario, &prepared, 20, 1);
    let first_day: u32 = result
        .rows
        .iter()
        .filter(|r| r.day == 1)
        .map(|r| r.shots[0])
        .sum();
    assert!(first_day > 0, "the battery fires before its march");
    for run in 0..20 {
        let rows = rows_of(&result, run);
        assert!(rows[1].lost_rounds[0] > 0, "its rounds are lost with it");
        for r in &rows[1..] {
            assert_eq!(r.battery_states[0], BatteryState::Lost);
            assert_eq!(
                r.shots[0], 0,
                "run {run} day {}: a lost battery fired",
                r.day
            );
            assert_eq!(r.deployed[0], 0);
        }
    }
}

/// The day on which the interceptor type runs out in each run (days + 1 when it does not).
fn exhaustion_days(result: &CampaignResult, runs: u64, days: u32) -> Vec<f64> {
    (0..runs)
        .map(|run| {
            rows_of(result, run)
                .iter()
                .find(|r| r.deployed[0] == 0 && r.depot[0] == 0)
                .map_or(f64::from(days + 1), |r| f64::from(r.day))
        })
        .collect()
}

#[test]
fn exhaustion_comes_earlier_as_daily_raids_grow() {
    let (scenario, prepared) = setup();
    let days = 8;
    let raid = |nominal: f64| {
        with_campaign(&scenario, |c| {
            c.days = days;
            c.raids = vec![
                DayRaid::Generated {
                    salvo: Uncertain::new(nominal - 1.0, nominal, nominal + 1.0).unwrap(),
                    shares: vec![1.0],
                };
                days as usize
            ];
            c.depot = vec![6];
        })
    };
    let runs = 60;
    let mean_se = |xs: &[f64]| {
        let n = xs.len() as f64;
        let mean = xs.iter().sum::<f64>() / n;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        (mean, (var / n).sqrt())
    };
    let small = exhaustion_days(&play(&raid(2.0), &prepared, runs, 2), runs, days);
    let large = exhaustion_days(&play(&raid(6.0), &prepared, runs, 2), runs, days);
    let (ms, ss) = mean_se(&small);
    let (ml, sl) = mean_se(&large);
    assert!(
        ml + Z * sl < ms - Z * ss,
        "larger raids exhaust by day {ml:.2} ± {sl:.2}, smaller ones by {ms:.2} ± {ss:.2}"
    );
}

/// A campaign drawn for the property test: salvos, stocks, production, launchers with losses,
/// a national depot, deliveries with lead times, relocations with losses and maintenance.
fn campaigns() -> impl Strategy<Value = Campaign> {
    (
        1u32..7,
        (0.0f64..4.0, 0.0f64..6.0),
        prop::option::of(0u32..12),
        (0.0f64..2.0, -0.5f64..0.5),
        (0u32..4, 0u32..3, 0.0f64..0.5),
        0u32..10,
        prop::collection::vec((0u32..5, 1u32..7, 0u32..4), 0..3),
        (0.0f64..0.6, 0.0f64..0.6, 0.0f64..1.0),
    )
        .prop_map(
            |(days, (low, width), stock, production, launchers, depot, deliveries, avail)| {
                Campaign {
                    days,
                    raids: vec![
                        DayRaid::Generated {
                            salvo: Uncertain::new(low, low + width / 2.0, low + width).unwrap(),
                            shares: vec![1.0],
                        };
                        days as usize
                    ],
                    threat_types: vec!["emad".into()],
                    group_type: vec![0],
                    stocks: vec![stock],
                    production: vec![production],
                    launchers: vec![LauncherPool {
                        id: "tels".into(),
                        threat_types: vec![0],
                        count: launchers.0,
                        rounds_per_day: launchers.1,
                        loss_per_day: Uncertain::new(0.0, launchers.2 / 2.0, launchers.2).unwrap(),
                    }],
                    interceptor_types: vec!["arrow-2".into()],
                    battery_type: vec![0],
                    depot: vec![depot],
                    deliveries: deliveries
                        .into_iter()
                        .map(|(rounds, first, lead)| Delivery {
                            interceptor_type: 0,
                            rounds,
                            days: (first.min(days), first.min(days)),
                            lead_days: lead,
                            source: DeliverySource::Allied,
                        })
                        .collect(),
                    availability: vec![BatteryAvailability {
                        relocate_days: Vec::new(),
                        relocate_rate_per_day: avail.0,
                        march_s: Uncertain::new(0.0, 600.0, 3600.0).unwrap(),
                        loss_probability: Uncertain::exact(avail.2 / 4.0),
                        maintenance_days: Vec::new(),
                        maintenance_rate_per_day: avail.1,
                    }],
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn rounds_and_missiles_are_conserved_day_by_day(campaign in campaigns()) {
        let (base, prepared) = setup();
        let scenario = with_campaign(&base, |c| *c = campaign.clone());
        let result = play(&scenario, &prepared, 6, 1);
        let c = &campaign;
        let initial_stock = c.stocks[0].map(u64::from);
        for run in 0..6 {
            let rows = rows_of(&result, run);
            prop_assert_eq!(rows.len(), c.days as usize);
            let mut stock = initial_stock;
            let mut launchers = c.launchers[0].count;
            for r in rows {
                // Interceptors: end = start + deliveries - shots - lost, never negative (u32).
                let start = r.start_deployed[0] + r.start_depot[0];
                let end = r.deployed[0] + r.depot[0];
                prop_assert_eq!(
                    u64::from(end) + u64::from(r.shots[0]) + u64::from(r.lost_rounds[0]),
                    u64::from(start) + u64::from(r.delivered[0]),
                    "day {}: {:?}", r.day, r
                );
                // Deliveries exactly after their lead time.
                let due: u32 = c
                    .deliveries
                    .iter()
                    .filter(|d| (d.days.0..=d.days.1).any(|o| o + d.lead_days == r.day))
                    .map(|d| d.rounds)
                    .sum();
                prop_assert_eq!(r.delivered[0], due, "day {}", r.day);
                // Missiles: launched within the stock and the launchers' capacity.
                let (per_day, ramp) = c.production[0];
                let made = (per_day + ramp * f64::from(r.day - 1)).round().max(0.0) as u64;
                let launched = u64::from(r.launched[0]);
                prop_assert!(launched <= u64::from(r.requested[0]));
                if let Some(s) = stock.as_mut() {
                    *s += made;
                    prop_assert!(launched <= *s, "day {}: {launched} launched of {s}", r.day);
                    *s -= launched;
                    prop_assert_eq!(r.threat_stock[0], Some(*s));
                }
                prop_assert!(
                    launched <= u64::from(launchers) * u64::from(c.launchers[0].rounds_per_day),
                    "day {}: {launched} launched from {launchers} launchers", r.day
                );
                prop_assert!(r.launchers[0] <= launchers);
                launchers = r.launchers[0];
            }
        }
    }
}

/// The test scenario with a battery of two rounds on one launcher and four in its depot, and
/// the salvo's launches spread over three hours, time enough to reload the launcher.
fn small_battery() -> (Scenario, Prepared) {
    let text = SCENARIO
        .replacen(
            "launchers: 2, rounds_per_launcher: 6}",
            "launchers: 1, rounds_per_launcher: 2, depot_rounds: 4}",
            1,
        )
        .replacen("window_s: [0, 120]", "window_s: [0, 10800]", 1);
    setup_from(&text)
}

#[test]
fn each_day_accounts_for_its_launches_leakers_hits_kills_and_rounds() {
    // Three missiles a day at a battery that empties its launcher and reloads it from its depot
    // during the day and the next morning, refilled from a national depot, and may be lost on a
    // march with the rounds of its launcher and depot.
    let (base, prepared) = small_battery();
    let scenario = with_campaign(&base, |c| {
        c.days = 4;
        c.raids = vec![DayRaid::Explicit(vec![3]); 4];
        c.depot = vec![6];
        c.availability[0].relocate_rate_per_day = 0.3;
        c.availability[0].march_s = Uncertain::exact(60.0);
        c.availability[0].loss_probability = Uncertain::exact(0.3);
    });
    let result = play(&scenario, &prepared, 40, 2);
    let (mut leakers, mut hits, mut kills, mut lost, mut reloads) = (0, 0, 0, 0, 0);
    for r in &result.rows {
        // Neither a stock nor a launcher pool caps the raid.
        assert_eq!((r.requested[0], r.launched[0]), (3, 3), "{r:?}");
        assert!(r.leakers + r.kills[0] <= r.launched[0], "{r:?}");
        assert!(r.hits[0] <= r.leakers && r.kills[0] <= r.shots[0], "{r:?}");
        assert_eq!(
            r.deployed[0] + r.depot[0] + r.shots[0] + r.lost_rounds[0],
            r.start_deployed[0] + r.start_depot[0] + r.delivered[0],
            "{r:?}"
        );
        leakers += r.leakers;
        hits += r.hits[0];
        kills += r.kills[0];
        lost += r.lost_rounds[0];
        reloads += u32::from(r.shots[0] > 2);
    }
    assert!(
        leakers > 0 && hits > 0 && kills > 0,
        "{leakers} {hits} {kills}"
    );
    assert!(lost > 0, "a battery lost with its rounds");
    assert!(reloads > 0, "the launcher is reloaded during a day");
}

#[test]
fn maintenance_and_marches_follow_their_schedules() {
    let (base, prepared) = setup();
    let scenario = with_campaign(&base, |c| {
        c.availability[0].maintenance_days = vec![2];
        c.availability[0].relocate_days = vec![3];
    });
    let result = play(&scenario, &prepared, 10, 1);
    let expected = [
        BatteryState::Ready,
        BatteryState::Maintenance,
        BatteryState::Relocating,
    ];
    for r in &result.rows {
        assert_eq!(r.battery_states[0], expected[r.day as usize - 1], "{r:?}");
    }
}

#[test]
fn maintenance_marches_and_losses_come_at_their_daily_rates() {
    // Down for maintenance 30 % of days; on 40 % of the others on the march, lost on a quarter
    // of the marches. Counted over the days a battery starts not yet lost.
    let (base, prepared) = setup();
    let scenario = with_campaign(&base, |c| {
        c.days = 10;
        c.raids = vec![DayRaid::Explicit(vec![0]); 10];
        c.availability[0].maintenance_rate_per_day = 0.3;
        c.availability[0].relocate_rate_per_day = 0.4;
        c.availability[0].loss_probability = Uncertain::exact(0.25);
    });
    let runs = 200;
    let result = play(&scenario, &prepared, runs, 2);
    let (mut days, mut maintenance, mut marches, mut losses) = (0.0_f64, 0.0, 0.0, 0.0);
    for run in 0..runs {
        for r in rows_of(&result, run) {
            days += 1.0;
            match r.battery_states[0] {
                BatteryState::Ready => {}
                BatteryState::Maintenance => maintenance += 1.0,
                BatteryState::Relocating => marches += 1.0,
                BatteryState::Lost => {
                    marches += 1.0;
                    losses += 1.0;
                    break;
                }
            }
        }
    }
    for (what, k, n, p) in [
        ("maintenance", maintenance, days, 0.3),
        ("marches", marches, days - maintenance, 0.4),
        ("losses", losses, marches, 0.25),
    ] {
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(
            (k / n - p).abs() < Z * se,
            "{what}: {k} of {n}, expected {p} ± {se}"
        );
    }
}

#[test]
fn a_campaign_beyond_the_run_day_bound_is_refused_before_it_runs() {
    let (scenario, prepared) = setup();
    let days = u64::from(scenario.campaign.as_ref().expect("a campaign").days);
    let opts = CampaignOptions {
        runs: skyshield_campaign::MAX_RUN_DAYS / days + 1,
        seed: 1,
        threads: 1,
    };
    let refused = run_campaign(
        &scenario,
        &prepared,
        &opts,
        &CancelToken::new(),
        &mut |_, _| {},
    );
    assert!(matches!(
        refused,
        Err(skyshield_campaign::CampaignError::TooLarge { .. })
    ));
}

/// The nearest-rank `p` quantile of `sorted`, in increasing order.
fn nearest_rank<T: Copy>(sorted: &[T], p: f64) -> Option<T> {
    let rank = ((p * sorted.len() as f64).ceil() as usize).max(1);
    sorted.get(rank.min(sorted.len()).max(1) - 1).copied()
}

fn same_series(s: &skyshield_campaign::Series, mut values: Vec<f64>, what: &str) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    assert!(
        (s.mean - mean).abs() < 1e-9,
        "{what}: mean {} vs {mean}",
        s.mean
    );
    values.sort_by(f64::total_cmp);
    for (got, p) in [(s.p5, 0.05), (s.p50, 0.5), (s.p95, 0.95)] {
        assert_eq!(Some(got), nearest_rank(&values, p), "{what}: p{p}");
    }
}

#[test]
fn the_summary_is_made_of_the_rows() {
    // Five days of three missiles from a stock of twelve, two launchers of two rounds a day
    // that are lost at times, a small battery that may be down or lost, a national depot of
    // four rounds: stocks, launchers and rounds run short in some runs and not others.
    let (base, prepared) = small_battery();
    let scenario = with_campaign(&base, |c| {
        c.days = 5;
        c.raids = vec![DayRaid::Explicit(vec![3]); 5];
        c.stocks = vec![Some(12)];
        c.launchers = vec![LauncherPool {
            id: "tels".into(),
            threat_types: vec![0],
            count: 2,
            rounds_per_day: 2,
            loss_per_day: Uncertain::exact(0.2),
        }];
        c.depot = vec![4];
        c.availability[0].maintenance_rate_per_day = 0.1;
        c.availability[0].relocate_rate_per_day = 0.3;
        c.availability[0].loss_probability = Uncertain::exact(0.3);
    });
    let runs = 40;
    let result = play(&scenario, &prepared, runs, 2);
    let s = &result.summary;
    let n = runs as f64;
    for (d, day) in s.by_day.iter().enumerate() {
        assert_eq!(day.day, d as u32 + 1);
        let rows: Vec<&DayRow> = result.rows.iter().filter(|r| r.day == day.day).collect();
        let of = |f: &dyn Fn(&DayRow) -> f64| rows.iter().map(|r| f(r)).collect::<Vec<f64>>();
        same_series(
            &day.launches["emad"],
            of(&|r| f64::from(r.launched[0])),
            "launches",
        );
        same_series(&day.leakers, of(&|r| f64::from(r.leakers)), "leakers");
        same_series(&day.hits["city"], of(&|r| f64::from(r.hits[0])), "hits");
        same_series(
            &day.shots["arrow-2"],
            of(&|r| f64::from(r.shots[0])),
            "shots",
        );
        same_series(
            &day.kills["arrow-2"],
            of(&|r| f64::from(r.kills[0])),
            "kills",
        );
        let deployed = of(&|r| f64::from(r.deployed[0]));
        let depot = of(&|r| f64::from(r.depot[0]));
        let total = deployed.iter().zip(&depot).map(|(a, b)| a + b).collect();
        same_series(&day.stock_deployed["arrow-2"], deployed, "deployed");
        same_series(&day.stock_depot["arrow-2"], depot, "depot");
        same_series(&day.stock_total["arrow-2"], total, "total");
        for state in BatteryState::ALL {
            let count = rows.iter().filter(|r| r.battery_states[0] == state).count();
            assert!((day.batteries[state.name()] - count as f64 / n).abs() < 1e-12);
        }
        let share = |f: &dyn Fn(&DayRow) -> bool| rows.iter().filter(|r| f(r)).count() as f64 / n;
        assert!((day.p_stock_limited - share(&|r| r.stock_limited)).abs() < 1e-12);
        assert!((day.p_launcher_limited - share(&|r| r.launcher_limited)).abs() < 1e-12);
    }
    let per_run = |f: &dyn Fn(&DayRow) -> f64| {
        (0..runs)
            .map(|run| rows_of(&result, run).iter().map(|r| f(r)).sum())
            .collect::<Vec<f64>>()
    };
    same_series(
        &s.total_leakers,
        per_run(&|r| f64::from(r.leakers)),
        "total leakers",
    );
    same_series(
        &s.total_launches["emad"],
        per_run(&|r| f64::from(r.launched[0])),
        "launched",
    );
    same_series(
        &s.total_shots["arrow-2"],
        per_run(&|r| f64::from(r.shots[0])),
        "shots",
    );
    same_series(
        &s.total_defense_cost_usd,
        per_run(&|r| r.defense_cost_usd),
        "cost",
    );
    // First days: of no round left anywhere, of launches capped by the launchers.
    let first_days = |first: &dyn Fn(&DayRow) -> bool| -> Vec<Option<u32>> {
        (0..runs)
            .map(|run| {
                rows_of(&result, run)
                    .into_iter()
                    .find(|r| first(r))
                    .map(|r| r.day)
            })
            .collect()
    };
    for (dist, days) in [
        (
            &s.exhaustion["arrow-2"],
            first_days(&|r| r.deployed[0] == 0 && r.depot[0] == 0),
        ),
        (
            &s.launcher_limited_from,
            first_days(&|r| r.launcher_limited),
        ),
    ] {
        let never = days.iter().filter(|d| d.is_none()).count();
        assert!(0 < never && never < runs as usize, "{never} runs never");
        assert!((dist.p_never - never as f64 / n).abs() < 1e-12);
        for (k, p) in dist.p_by_day.iter().enumerate() {
            let by = days
                .iter()
                .filter(|d| d.is_some_and(|d| d <= k as u32 + 1))
                .count();
            assert!((p - by as f64 / n).abs() < 1e-12, "by day {}", k + 1);
        }
        let mut happened: Vec<u32> = days.into_iter().flatten().collect();
        happened.sort_unstable();
        for (got, p) in [(dist.p5, 0.05), (dist.p50, 0.5), (dist.p95, 0.95)] {
            assert_eq!(got, nearest_rank(&happened, p), "p{p}");
        }
    }
    // Every kind of limit and state occurs on some day.
    let any = |f: &dyn Fn(&DayRow) -> bool| result.rows.iter().any(f);
    assert!(any(&|r| r.stock_limited) && any(&|r| r.launcher_limited));
    for state in BatteryState::ALL {
        assert!(any(&|r| r.battery_states[0] == state), "{state:?}");
    }
}

#[test]
fn a_generated_salvo_is_split_over_its_groups_by_their_shares() {
    // Ten missiles a day, seven tenths of them Emads and three tenths Ghadrs.
    let text = SCENARIO
        .replacen(
            "campaign:",
            "  - id: second\n    threat: ghadr\n    count: 8\n    \
             launch: {sites: [[32.60, 44.20]], window_s: [0, 120]}\n    target: city\n\
             campaign:",
            1,
        )
        .replacen(
            "    - {from_day: 1, to_day: 3, launches: [{group: salvo, count: 2}]}",
            "    - from_day: 1\n      to_day: 3\n      \
             salvo: {low: 10, nominal: 10, high: 10}\n      \
             mix: [{group: salvo, share: 0.7}, {group: second, share: 0.3}]",
            1,
        );
    let (scenario, prepared) = setup_from(&text);
    let result = play(&scenario, &prepared, 5, 1);
    assert_eq!(result.rows.len(), 15);
    for r in &result.rows {
        assert_eq!(r.requested, [7, 3], "{r:?}");
    }
}
