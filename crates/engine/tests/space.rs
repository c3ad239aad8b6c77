//! The parameter space: names, catalog keys shared across elements, draws, and scenarios
//! prepared with a parameter set.

use std::path::Path;

use skyshield_engine::{ParameterSet, ParameterSetError, ParameterSpace, PrepareError};
use skyshield_scenario::Scenario;

fn scenario(text: &str) -> Scenario {
    skyshield_scenario::from_str(text, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"))
}

/// Two Iron Dome batteries of catalog parameters, a third whose reaction time is overridden,
/// and a range on the decision latency.
fn two_domes() -> Scenario {
    scenario(
        "name: domes\nassets:\n  - {id: town, kind: city, circle: {center: [31.525, 34.596], radius_km: 2}, value: 8}\n\
         sensors:\n  - {id: radar, type: elm-2084, at: [31.505, 34.62]}\n\
         batteries:\n  - {id: dome-a, type: iron-dome, at: [31.505, 34.62], radar: radar}\n  \
         - {id: dome-b, type: iron-dome, at: [31.54, 34.60], radar: radar}\n  \
         - {id: dome-c, type: iron-dome, at: [31.52, 34.58], radar: radar, overrides: {reaction_time_s: {low: 5, nominal: 6, high: 9}}}\n\
         command:\n  decision_latency_s: {low: 1, nominal: 2, high: 4}\n\
         raid:\n  - {id: g, threat: qassam, count: 10, launch: {sites: [[31.56, 34.53]], window_s: [0, 600]}, target: town}\n",
    )
}

const ABSTRACT: &str = "name: one layer\nkind: abstract\nseed: 3\nruns: 100\nthreats: 10\n\
    tracking: common\nlayers:\n  - {id: only, kill_probability: {low: 0.5, nominal: 0.6, high: 0.9}, shots_per_engagement: 1}\n";

#[test]
fn a_catalog_parameter_is_one_parameter_wherever_its_type_appears() {
    let sc = two_domes();
    let space = ParameterSpace::of(&sc);
    let names: Vec<&str> = space.parameters().iter().map(|p| p.name.as_str()).collect();
    let shared = space
        .index_of("iron-dome.kill_probability_rocket")
        .expect("shared Pk");
    let p = &space.parameters()[shared];
    assert_eq!(
        p.catalog_key.as_deref(),
        Some("iron-dome.kill_probability_rocket")
    );
    assert_eq!(
        (p.range.low, p.range.nominal, p.range.high),
        (0.7, 0.85, 0.95)
    );
    assert_eq!(
        names
            .iter()
            .filter(|n| n.contains("kill_probability_rocket"))
            .count(),
        1
    );
    // The override makes dome-c's reaction time the scenario's own; the others share the
    // catalog's.
    let own = space
        .index_of("dome-c.reaction_time_s")
        .expect("own reaction time");
    assert_eq!(space.parameters()[own].catalog_key, None);
    assert!(space.index_of("iron-dome.reaction_time_s").is_some());
    assert!(space.index_of("command.decision_latency_s").is_some());
    // Prepare-time parameters are in the space too: envelope, radar figures, speeds.
    for name in [
        "iron-dome.max_range_m",
        "iron-dome.speed_m_s",
        "elm-2084.detection_range_m",
    ] {
        assert!(
            space.index_of(name).is_some(),
            "{name} missing from {names:?}"
        );
    }
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len(), "names are unique");
}

/// A threat type's parameters are in the space under its catalog keys, and a group's CEP is
/// the catalog's unless the group overrides it, when it is the group's own.
#[test]
fn a_threat_types_parameters_are_the_catalogs_and_an_overridden_cep_the_groups() {
    let text = concat!(
        "name: two groups\n",
        "assets:\n  - {id: town, circle: {center: [31.525, 34.596], radius_km: 2}}\n",
        "raid:\n",
        "  - {id: g, threat: qassam, count: 5, launch: {sites: [[31.56, 34.53]]}, target: town}\n",
        "  - {id: h, threat: qassam, count: 5, launch: {sites: [[31.57, 34.54]]}, target: town, ",
        "overrides: {cep_m: {low: 100, nominal: 300, high: 500}}}\n",
    );
    let space = ParameterSpace::of(&scenario(text));
    for field in ["reliability", "rcs_m2", "cost_usd", "cep_m"] {
        let name = format!("qassam.{field}");
        let k = space
            .index_of(&name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(space.parameters()[k].catalog_key.as_deref(), Some(&*name));
    }
    let own = space.index_of("h.cep_m").expect("the group's own CEP");
    let p = &space.parameters()[own];
    assert_eq!(p.catalog_key, None);
    assert_eq!(
        (p.range.low, p.range.nominal, p.range.high),
        (100.0, 300.0, 500.0)
    );
    assert!(space.index_of("g.cep_m").is_none());
}

#[test]
fn a_fixed_scenario_has_no_range_left_and_prepares_with_the_values_of_the_set() {
    let sc = two_domes();
    let space = ParameterSpace::of(&sc);
    let set = space.draw(11, 4);
    let fixed = space.fix(&sc, &set).expect("fits");
    assert!(ParameterSpace::of(&fixed).parameters().is_empty());
    let prepared = space.prepare(&sc, &set).expect("prepares");
    let latency = set.values()[space.index_of("command.decision_latency_s").unwrap()];
    assert_eq!(prepared.decision_latency_s, latency);
    let dp = prepared.parameters.range(prepared.decision_latency);
    assert_eq!((dp.low, dp.nominal, dp.high), (latency, latency, latency));
}

#[test]
fn the_interceptor_range_of_a_set_decides_the_engagement_windows_at_prepare() {
    // A Qassam fired about 10 km from the batteries: with the longest interceptor range of the
    // catalog (70 km) they can meet it from early in its flight; with the shortest (10 km),
    // only once it has come closer, so in fewer windows, none earlier.
    let sc = two_domes();
    let space = ParameterSpace::of(&sc);
    let i = space.index_of("iron-dome.max_range_m").unwrap();
    let windows = |range_m: f64| {
        let mut values = space.nominal().values().to_vec();
        values[i] = range_m;
        let p = space
            .prepare(&sc, &ParameterSet::from_values(values))
            .expect("prepares");
        let all: Vec<_> = p.opportunities[0]
            .iter()
            .flat_map(|o| o.windows.iter().map(|w| w.intercept))
            .collect();
        (all.len(), all.into_iter().min())
    };
    let (short_count, short_first) = windows(10_000.0);
    let (long_count, long_first) = windows(70_000.0);
    assert!(
        long_count > short_count,
        "{long_count} windows (70 km) vs {short_count} (10 km)"
    );
    assert!(long_first <= short_first.or(long_first));
}

#[test]
fn draws_are_reproducible_per_set_and_shared_by_catalog_key_across_scenarios() {
    let sc = two_domes();
    let space = ParameterSpace::of(&sc);
    assert_eq!(space.draw(5, 3), space.draw(5, 3));
    assert_ne!(space.draw(5, 3), space.draw(5, 4));
    assert_ne!(space.draw(5, 3), space.draw(6, 3));
    // Another scenario with one Iron Dome battery draws the same kill probability in set 3.
    let one = scenario(
        "name: one\nassets:\n  - {id: town, kind: city, circle: {center: [31.525, 34.596], radius_km: 2}, value: 8}\n\
         sensors:\n  - {id: radar, type: elm-2084, at: [31.505, 34.62]}\n\
         batteries:\n  - {id: dome, type: iron-dome, at: [31.505, 34.62], radar: radar}\n\
         raid:\n  - {id: g, threat: grad, count: 4, launch: {sites: [[31.60, 34.45]], window_s: [0, 60]}, target: town}\n",
    );
    let other = ParameterSpace::of(&one);
    let key = "iron-dome.kill_probability_rocket";
    let value = |s: &ParameterSpace, set: &ParameterSet| set.values()[s.index_of(key).unwrap()];
    assert_eq!(
        value(&space, &space.draw(5, 3)),
        value(&other, &other.draw(5, 3))
    );
}

#[test]
fn drawn_sets_follow_the_triangular_distribution_of_each_range() {
    // Triangular on [0.5, 0.9] with mode 0.6: mean 2/3, variance
    // (a² + b² + c² - ab - ac - bc) / 18 = 0.007222.
    let sc = scenario(ABSTRACT);
    let space = ParameterSpace::of(&sc);
    assert_eq!(space.parameters().len(), 1);
    assert_eq!(space.parameters()[0].name, "only.kill_probability");
    let n = 4000;
    let draws: Vec<f64> = (0..n).map(|k| space.draw(1, k).values()[0]).collect();
    assert!(draws.iter().all(|v| (0.5..=0.9).contains(v)));
    let mean = draws.iter().sum::<f64>() / n as f64;
    let variance: f64 = (0.25 + 0.36 + 0.81 - 0.3 - 0.45 - 0.54) / 18.0;
    let se = (variance / n as f64).sqrt();
    assert!((mean - 2.0 / 3.0).abs() < 4.0 * se, "mean {mean}, se {se}");
}

#[test]
fn a_set_that_does_not_fit_is_refused_with_the_parameter_named() {
    let sc = scenario(ABSTRACT);
    let space = ParameterSpace::of(&sc);
    assert!(matches!(
        space.fix(&sc, &ParameterSet::from_values(vec![])),
        Err(ParameterSetError::Length {
            found: 0,
            expected: 1
        })
    ));
    match space.prepare(&sc, &ParameterSet::from_values(vec![0.95])) {
        Err(PrepareError::ParameterSet(e @ ParameterSetError::OutOfRange { .. })) => {
            assert_eq!(
                e.to_string(),
                "parameter `only.kill_probability`: 0.95 is outside its range [0.5, 0.9]"
            );
        }
        other => panic!("expected an out-of-range error, got {other:?}"),
    }
    // A space made of another scenario does not know this one's parameters.
    let empty = ParameterSpace::default();
    assert!(matches!(
        empty.fix(&sc, &empty.nominal()),
        Err(ParameterSetError::Unknown { .. })
    ));
}
