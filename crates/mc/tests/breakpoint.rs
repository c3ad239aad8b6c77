//! Break points against closed forms, on an abstract scenario whose answers are known.
//!
//! Five threats, all tracked, meet one layer firing two interceptors of kill probability 0.7 at
//! each, once, with perfect kill assessment. With `R` ready rounds the layer fires two at each
//! threat in turn while it has two, then its last one: every threat is engaged when
//! `ceil(R / 2) >= 5`. So P(no leaker) is 0 for R <= 8, `q^4 0.7` for R = 9 and `q^5` from
//! R = 10, with `q = 1 - 0.3^2` the kill probability of a salvo; and a raid of n threats
//! leaves a layer of 10 rounds with none exactly when `2 n >= 10`.

use std::path::Path;

use skyshield_mc::CancelToken;
use skyshield_mc::breakpoint::{BreakPoint, Level, Question, SearchOptions, search};
use skyshield_mc::stats::wilson95;

const SCENARIO: &str = "name: five threats, one layer of ten rounds
kind: abstract
threats: 5
tracking: common
tracking_probability: 1.0
kill_assessment_probability: 1.0
layers:
  - {id: layer, kill_probability: 0.7, shots_per_engagement: 2, engagements: 1, rounds: 10}
";

fn find(question: Question, probability: f64, runs: u64) -> BreakPoint {
    let scenario = skyshield_scenario::from_str(SCENARIO, Path::new("five.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    let opts = SearchOptions {
        probability: Some(probability),
        runs,
        seed: 11,
        threads: 0,
        nominal: true,
        max_level: Some(64),
        max_threats: 1000,
    };
    search(
        &scenario,
        &question,
        &opts,
        &CancelToken::new(),
        &mut |_| {},
    )
    .expect("search")
}

fn level(b: &BreakPoint, level: u32) -> Level {
    *b.levels
        .iter()
        .find(|l| l.level == level)
        .unwrap_or_else(|| panic!("level {level} was not played: {:?}", b.levels))
}

#[test]
fn rounds_needed_for_no_leaker_match_the_closed_form() {
    let q: f64 = 1.0 - 0.3 * 0.3;
    let b = find(
        Question::Rounds {
            battery: "layer".into(),
            asset: None,
        },
        0.55,
        4000,
    );
    // P(9 rounds) = 0.480 and P(10) = 0.624 lie either side of 0.55, far apart for 4,000 runs.
    assert_eq!(b.level, Some(10), "{b:#?}");
    assert_eq!(b.level_ci95, [Some(10), Some(10)], "{b:#?}");
    for (r, expected) in [(9, q.powi(4) * 0.7), (10, q.powi(5))] {
        let l = level(&b, r);
        let [lo, hi] = wilson95(l.successes, l.runs);
        assert!(
            lo <= expected && expected <= hi,
            "{r} rounds: P {} (95 % {lo}-{hi}), expected {expected}",
            l.probability
        );
    }
    for l in b.levels.iter().filter(|l| l.level <= 8) {
        assert_eq!(l.successes, 0, "{l:?}");
    }
}

#[test]
fn a_target_between_two_close_levels_gives_an_interval_over_both() {
    // With 100 runs per level (95 % intervals about 0.1 wide each side), P(9) = 0.48 cannot be
    // told from a target of 0.5, nor, most likely, P(10 or more) = 0.62: the interval starts at
    // 9 at the latest and ends at 10 or later, beyond the largest level when no level is
    // surely above the target; the point is 9 or 10.
    let b = find(
        Question::Rounds {
            battery: "layer".into(),
            asset: None,
        },
        0.5,
        100,
    );
    let [lo, hi] = b.level_ci95;
    let lo = lo.expect("low end");
    assert!(lo <= 9, "{b:#?}");
    assert!(hi.is_none_or(|hi| hi >= 10), "{b:#?}");
    let point = b.level.expect("reached");
    assert!((9..=10).contains(&point), "{b:#?}");
    assert!(lo <= point && hi.is_none_or(|hi| point <= hi), "{b:#?}");
}

#[test]
fn the_smallest_raid_that_exhausts_a_layer_is_its_rounds_over_the_salvo() {
    let b = find(
        Question::Exhaustion {
            layer: "layer".into(),
            group: None,
        },
        0.5,
        200,
    );
    assert_eq!(b.level, Some(5), "{b:#?}");
    assert_eq!(b.level_ci95, [Some(5), Some(5)], "{b:#?}");
    assert_eq!(level(&b, 4).successes, 0);
    assert_eq!(level(&b, 5).successes, 200);
}

#[test]
fn an_unreachable_target_says_so() {
    // No number of rounds makes P(no leaker) = q^5 = 0.62 reach 0.99.
    let b = find(
        Question::Rounds {
            battery: "layer".into(),
            asset: None,
        },
        0.99,
        400,
    );
    assert_eq!(b.level, None, "{b:#?}");
    assert_eq!(b.level_ci95[1], None, "{b:#?}");
    assert_eq!(b.levels.last().map(|l| l.level), Some(64));
}

#[test]
fn questions_that_do_not_fit_the_scenario_name_what_exists() {
    let scenario = skyshield_scenario::from_str(SCENARIO, Path::new("five.yaml"))
        .unwrap_or_else(|d| panic!("{d}"));
    let opts = SearchOptions {
        probability: Some(0.5),
        runs: 10,
        seed: 1,
        threads: 1,
        nominal: true,
        max_level: Some(8),
        max_threats: 1000,
    };
    let err = |q: Question| {
        search(&scenario, &q, &opts, &CancelToken::new(), &mut |_| {})
            .expect_err("refused")
            .to_string()
    };
    let e = err(Question::Exhaustion {
        layer: "layr".into(),
        group: None,
    });
    assert!(e.contains("no layer `layr`; did you mean `layer`?"), "{e}");
    let e = err(Question::Batteries {
        battery: "layer".into(),
        asset: None,
    });
    assert!(e.contains("layers, not batteries"), "{e}");
    let e = err(Question::Rounds {
        battery: "layer".into(),
        asset: Some("city".into()),
    });
    assert!(e.contains("no assets"), "{e}");
    // The raid's size and the target probability, within their limits or not.
    let exhaustion = Question::Exhaustion {
        layer: "layer".into(),
        group: None,
    };
    let run = |opts: SearchOptions| {
        search(
            &scenario,
            &exhaustion,
            &opts,
            &CancelToken::new(),
            &mut |_| {},
        )
    };
    let raid = |max_level| SearchOptions {
        max_level: Some(max_level),
        ..opts
    };
    let e = run(raid(1001)).expect_err("refused").to_string();
    assert!(e.contains("over the limit of 1000 threats"), "{e}");
    let at_the_limit = run(raid(1000));
    assert!(at_the_limit.is_ok(), "{at_the_limit:?}");
    let target = |probability| SearchOptions {
        probability: Some(probability),
        ..opts
    };
    for p in [0.0, 1.5, f64::NAN] {
        let e = run(target(p)).expect_err("refused").to_string();
        assert!(e.contains("is not in (0, 1]"), "{p}: {e}");
    }
    assert!(run(target(1.0)).is_ok());
}

#[test]
fn a_search_over_batteries_stops_at_its_limit() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/iskander-patriot.yaml");
    let scenario = skyshield_scenario::load(&path).expect("the library's scenario");
    let question = Question::Batteries {
        battery: "patriot-1".into(),
        asset: None,
    };
    let up_to = |max_level| SearchOptions {
        probability: None,
        runs: 10,
        seed: 1,
        threads: 1,
        nominal: true,
        max_level: Some(max_level),
        max_threats: 1000,
    };
    let run = |max_level| {
        search(
            &scenario,
            &question,
            &up_to(max_level),
            &CancelToken::new(),
            &mut |_| {},
        )
    };
    let e = run(1001).expect_err("refused").to_string();
    assert!(e.contains("over the limit of 1000"), "{e}");
    let b = run(2).expect("a search up to 2 batteries");
    assert!(b.levels.iter().all(|l| l.level <= 2), "{:?}", b.levels);
}
