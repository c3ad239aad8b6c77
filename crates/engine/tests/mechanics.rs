//! The random mechanics of a run, each against the law its documentation states: launch jitter,
//! aim dispersion, failures in flight and parameter sampling, per-scan detection and cueing,
//! detection range against radar cross-section, the reserve, the default policy's order, costs,
//! the prediction error and the altitude law of a threat's manoeuvre.
//!
//! Scenarios go through the scenario reader and [`prepare`]; a test then sets the few fields of
//! the [`Prepared`] scenario it studies (a parameter's range, a radar's detection law, the
//! coverage) so that the expected value follows from the documented law alone. Statistical
//! checks use a fixed seed and compare with the expected value within `Z` standard errors.

mod common;

use common::{Log, mean_se};

use std::cell::RefCell;
use std::path::Path;

use skyshield_core::SimTime;
use skyshield_engine::{
    AssignmentPolicy, Candidate, CostAware, DefaultPolicy, EngineEvent, Fate, Fire, Outcome,
    Prepared, Replication, SensorKind, ThreatView, ValueWeighted, prediction_sigma_m, prepare,
};
use skyshield_physics::aerodynamics::manoeuvre_ceiling_m;
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;
use skyshield_scenario::{Scenario, Uncertain, catalog};

/// Standard errors within which a statistic must lie of its expected value: the probability
/// that a correct engine falls outside is about 6e-5 per check (two-sided normal tail).
const Z: f64 = 4.0;

fn scenario(text: &str) -> Scenario {
    skyshield_scenario::from_str(text, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"))
}

fn prepared(text: &str) -> Prepared {
    let sc = scenario(text);
    prepare(&sc).unwrap_or_else(|e| panic!("cannot prepare `{}`: {e}", sc.name))
}

fn play(rep: &mut Replication, p: &Prepared, seed: u64, run: u64) -> (Outcome, Vec<EngineEvent>) {
    let mut log = Log::default();
    let outcome = rep.run_with(p, seed, run, &DefaultPolicy, &mut log).clone();
    (outcome, log.0)
}

/// An abstract scenario of `threats` threats with no battery left: every run is launches,
/// failures and impacts only.
fn bare(threats: u32) -> Prepared {
    let mut p = prepared(&format!(
        "name: bare\nkind: abstract\nthreats: {threats}\nlayers:\n  - {{id: layer, kill_probability: 0.5}}\n"
    ));
    p.batteries.clear();
    p.opportunities.iter_mut().for_each(Vec::clear);
    // Played by the battle manager, whose launches, failures and impacts are studied here.
    p.abstract_plan = None;
    p
}

const CITY: (f64, f64) = (31.50, 34.60);

/// The point `north_km` north and `east_km` east of the city (flat-Earth offsets).
fn offset(north_km: f64, east_km: f64) -> (f64, f64) {
    let km_per_deg = 111.32;
    (
        CITY.0 + north_km / km_per_deg,
        CITY.1 + east_km / (km_per_deg * CITY.0.to_radians().cos()),
    )
}

fn pos((lat, lon): (f64, f64)) -> String {
    format!("[{lat:.5}, {lon:.5}]")
}

/// A layered scenario around the city: `sensors` and `batteries` are YAML list items (or
/// empty), `doctrine` the body of `command.doctrine`, and `count` Fateh-110 fired from 150 km
/// east at `aim` (YAML: `target: city` or `aim: [lat, lon]`).
fn city(sensors: &str, batteries: &str, doctrine: &str, count: u32, aim: &str) -> String {
    format!(
        "name: city\nruns: 20\nassets:\n  - {{id: city, circle: {{center: {city}, radius_km: 8}}, value: 10}}\n\
         sensors:\n  - {{id: r-city, type: elm-2084, at: {city}}}\n{sensors}\
         batteries:\n{batteries}\
         command:\n  decision_latency_s: 2\n  network: true\n  doctrine: {{{doctrine}}}\n\
         raid:\n  - {{id: fateh, threat: fateh-110, count: {count}, launch: {{sites: [{site}], window_s: [0, 120]}}, {aim}, overrides: {{reliability: 1.0}}}}\n",
        city = pos(CITY),
        site = pos(offset(0.0, 150.0)),
    )
}

// ---------------------------------------------------------------------------------------------
// Launch jitter, aim dispersion, failures, parameter sampling
// ---------------------------------------------------------------------------------------------

#[test]
fn launch_times_scatter_with_the_documented_jitter() {
    // Every threat of an abstract scenario is planned at 0 s, so its launch time is the jitter
    // itself: normal, mean 0, standard deviation LAUNCH_JITTER_S = 10 s.
    let p = bare(200);
    let mut rep = Replication::new();
    let mut launches = Vec::new();
    for run in 0..20 {
        let (o, _) = play(&mut rep, &p, 7, run);
        launches.extend(o.threats.iter().map(|t| t.launch_s));
    }
    let n = launches.len() as f64;
    let (mean, se) = mean_se(&launches);
    assert!(mean.abs() <= Z * se, "mean jitter {mean} s, se {se} s");
    // The sample standard deviation of n normal draws has a standard error of σ/√(2(n−1)).
    let sd = (se * se * n).sqrt();
    let sd_se = 10.0 / (2.0 * (n - 1.0)).sqrt();
    assert!(
        (sd - 10.0).abs() <= Z * sd_se,
        "jitter sd {sd} s, expected 10 ± {} s",
        Z * sd_se
    );
}

#[test]
fn half_the_impacts_fall_within_the_cep_and_their_mean_square_miss_is_two_sigma_squared() {
    let mut p = bare(200);
    let cep_m = 500.0;
    p.types[0].cep_m = p.parameters.add("cep".into(), Uncertain::exact(cep_m));
    // Offsets east and north of the aim point at (0°, 0°) by the WGS84 radii of curvature
    // there: the prime vertical radius is a, the meridian radius a(1 − e²).
    let (a, e2) = (6_378_137.0, 6.694_379_990_14e-3);
    let mut inside = Vec::new();
    let mut square = Vec::new();
    let (mut easts, mut norths) = (Vec::new(), Vec::new());
    let mut rep = Replication::new();
    for run in 0..20 {
        let (o, _) = play(&mut rep, &p, 9, run);
        for t in &o.threats {
            assert_eq!(t.fate, Fate::Leaked);
            let east = t.lon_deg.to_radians() * a;
            let north = t.lat_deg.to_radians() * a * (1.0 - e2);
            let r = east.hypot(north);
            inside.push(if r <= cep_m { 1.0 } else { 0.0 });
            square.push(r * r);
            easts.push(east);
            norths.push(north);
        }
    }
    // About the aim point: each axis centred on it.
    for (axis, misses) in [("east", &easts), ("north", &norths)] {
        let (mean, se) = mean_se(misses);
        assert!(mean.abs() <= Z * se, "mean {axis} miss {mean} m, se {se} m");
    }
    // The CEP is the median miss: a Bernoulli(½) fraction inside, with standard error √(¼/n).
    let n = inside.len() as f64;
    let frac = inside.iter().sum::<f64>() / n;
    let se = (0.25 / n).sqrt();
    assert!(
        (frac - 0.5).abs() <= Z * se,
        "{frac} of impacts inside the CEP"
    );
    // Circular normal with σ = CEP/1.1774 per axis: E[r²] = 2σ².
    let sigma = cep_m / (2.0 * 2f64.ln()).sqrt();
    let (mean, se) = mean_se(&square);
    assert!(
        (mean - 2.0 * sigma * sigma).abs() <= Z * se,
        "mean square miss {mean} m², expected {} ± {}",
        2.0 * sigma * sigma,
        Z * se
    );
}

#[test]
fn a_threat_fails_at_a_uniform_time_of_its_flight_where_its_trajectory_then_is() {
    let mut p = prepared(&city("", "", "shoot_look_shoot: true", 200, "target: city"));
    p.types[0].reliability = p.parameters.add(
        "reliability".into(),
        Uncertain {
            low: 0.5,
            nominal: 0.5,
            high: 0.5,
        },
    );
    let mut rep = Replication::new();
    let mut share_of_flight = Vec::new();
    for run in 0..10 {
        let (o, _) = play(&mut rep, &p, 3, run);
        for (t, plan) in o.threats.iter().zip(&p.threats) {
            if t.fate != Fate::FailedInFlight {
                continue;
            }
            let traj = &p.trajectories[plan.trajectory];
            let since_s = t.time_s - t.launch_s;
            share_of_flight.push(since_s / traj.flight_time_s);
            // Within a second's flight (under 2 km) of the trajectory's point then.
            let g = traj.position_at(since_s);
            let off_km = 111.0 * (t.lat_deg - g.lat_deg()).hypot(t.lon_deg - g.lon_deg());
            assert!(
                off_km < 2.0,
                "run {run}: failed {since_s} s after launch at ({}, {}), {off_km} km from the \
                 trajectory's point then",
                t.lat_deg,
                t.lon_deg
            );
        }
    }
    // Uniform on the flight: mean ½, standard deviation 1/√12.
    let n = share_of_flight.len() as f64;
    let (mean, _) = mean_se(&share_of_flight);
    let se = (1.0 / 12.0 / n).sqrt();
    assert!(
        n > 500.0 && (mean - 0.5).abs() <= Z * se,
        "{n} failures at {mean} of the flight on average"
    );
}

/// Per run, the fraction of `n` threats that failed in flight and the fraction of ordered
/// pairs of them that both failed.
fn failures(o: &Outcome) -> (f64, f64) {
    let n = o.threats.len() as f64;
    let f = o.count(Fate::FailedInFlight) as f64;
    (f / n, f * (f - 1.0) / (n * (n - 1.0)))
}

#[test]
fn a_sampled_parameter_follows_the_triangular_distribution() {
    // Reliability r drawn per run from the triangular distribution on [low, high] with mode
    // `mode`: mean μ = (low + mode + high)/3 and variance
    // v = (low² + mode² + high² − low·mode − low·high − mode·high)/18. Given r, each of the
    // run's n threats fails independently with probability 1 − r, so per run the failed
    // fraction X has E[X] = 1 − μ and the fraction of ordered pairs that both failed, Y, has
    // E[Y] = E[(1 − r)²] = (1 − μ)² + v: 10⁵ runs give 10⁵ draws of r.
    let (low, mode, high) = (0.0, 0.2, 1.0);
    let mut p = bare(4);
    p.types[0].reliability = p.parameters.add(
        "reliability".into(),
        Uncertain {
            low,
            nominal: mode,
            high,
        },
    );
    let mu = (low + mode + high) / 3.0;
    let v = (low * low + mode * mode + high * high - low * mode - low * high - mode * high) / 18.0;
    let mut rep = Replication::new().with_parameter_sampling(true);
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for run in 0..100_000 {
        let (x, y) = failures(rep.run(&p, 5, run));
        xs.push(x);
        ys.push(y);
    }
    let (x, se_x) = mean_se(&xs);
    assert!(
        (x - (1.0 - mu)).abs() <= Z * se_x,
        "failed fraction {x}, expected {} ± {}",
        1.0 - mu,
        Z * se_x
    );
    let (y, se_y) = mean_se(&ys);
    let expected = (1.0 - mu).powi(2) + v;
    assert!(
        (y - expected).abs() <= Z * se_y,
        "pairs both failed {y}, expected {expected} ± {}",
        Z * se_y
    );
    // Without sampling every run takes the mode: E[X] = 1 − mode, E[Y] = (1 − mode)².
    let mut rep = Replication::new();
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for run in 0..20_000 {
        let (x, y) = failures(rep.run(&p, 5, run));
        xs.push(x);
        ys.push(y);
    }
    let (x, se_x) = mean_se(&xs);
    assert!((x - (1.0 - mode)).abs() <= Z * se_x, "nominal: failed {x}");
    let (y, se_y) = mean_se(&ys);
    assert!(
        (y - (1.0 - mode).powi(2)).abs() <= Z * se_y,
        "nominal: pairs both failed {y}"
    );
}

// ---------------------------------------------------------------------------------------------
// Sensors
// ---------------------------------------------------------------------------------------------

/// The city radar's scan period, s, after setting its detection law on `p`.
fn set_radar(p: &mut Prepared, probability: f64, to_track: u32, dwell_s: Option<f64>) -> f64 {
    let id = p
        .parameters
        .add("test detection".into(), Uncertain::exact(probability));
    let SensorKind::Radar {
        detection_probability,
        detections_to_track,
        track_capacity,
        scan_period_s,
        confirmation_dwell_s,
        ..
    } = &mut p.sensors[0].kind
    else {
        panic!("sensor 0 is the city radar");
    };
    *detection_probability = id;
    *detections_to_track = to_track;
    *track_capacity = 1_000;
    *confirmation_dwell_s = dwell_s;
    *scan_period_s
}

/// Per threat of every run, the time from launch to the radar's first track less `start`.
fn track_delays(p: &Prepared, runs: u64, start: f64) -> Vec<f64> {
    let mut rep = Replication::new();
    let mut delays = Vec::new();
    for run in 0..runs {
        let (o, events) = play(&mut rep, p, 21, run);
        let mut seen = vec![false; p.threats.len()];
        for e in &events {
            if let EngineEvent::Track {
                time_s,
                sensor: 0,
                threat,
            } = *e
                && !seen[threat]
            {
                seen[threat] = true;
                delays.push(time_s - o.threats[threat].launch_s - start);
            }
        }
        assert!(seen.iter().all(|&s| s), "run {run}: a threat never tracked");
    }
    delays
}

/// Sets the city radar's coverage of every trajectory to one interval from `start` s after
/// launch to a second before impact.
fn set_coverage(p: &mut Prepared, start: f64) {
    for (t, cov) in p.coverage.iter_mut().enumerate() {
        let end = p.trajectories[t].flight_time_s - 1.0;
        for c in cov.iter_mut().filter(|c| c.sensor == 0) {
            c.intervals = vec![(SimTime::from_s(start), SimTime::from_s(end))];
        }
    }
}

#[test]
fn an_electronically_scanned_radar_confirms_a_track_with_its_own_beams() {
    // The first detection comes on the search scans, as for a rotating radar: mean delay
    // T(½ + 1/q − 1); then k − 1 more detections on confirmation beams a dwell D apart, each
    // detecting with probability q: a mean of D(k − 1)/q more.
    let mut p = prepared(&city("", "", "", 10, "target: city"));
    let (q, k, dwell) = (0.5, 3, 0.5);
    let period = set_radar(&mut p, q, k, Some(dwell));
    set_coverage(&mut p, 10.0);
    let delays = track_delays(&p, 200, 10.0);
    let (mean, se) = mean_se(&delays);
    let expected = period * (0.5 + 1.0 / q - 1.0) + dwell * f64::from(k - 1) / q;
    assert!(
        (mean - expected).abs() <= Z * se,
        "mean delay to track {mean} s, expected {expected} ± {} s (T = {period} s)",
        Z * se
    );
    let rotating = period * (0.5 + f64::from(k) / q - 1.0);
    assert!(
        mean + Z * se < rotating,
        "confirmation beams ({mean} s) are no faster than scans ({rotating} s)"
    );
}

#[test]
fn a_radar_forms_a_track_after_detections_to_track_detections_on_successive_scans() {
    // The first scan falls uniformly within a period T after coverage begins; each scan
    // detects with probability q; the track forms at the k-th detection. Scans to k detections
    // are negative binomial with mean k/q, so the mean delay is T(½ + k/q − 1), and its
    // variance T²(1/12 + k(1 − q)/q²).
    let mut p = prepared(&city("", "", "", 10, "target: city"));
    let (q, k) = (0.5, 3);
    let period = set_radar(&mut p, q, k, None);
    set_coverage(&mut p, 10.0);
    let delays = track_delays(&p, 200, 10.0);
    let (mean, se) = mean_se(&delays);
    let expected = period * (0.5 + f64::from(k) / q - 1.0);
    assert!(
        (mean - expected).abs() <= Z * se,
        "mean delay to track {mean} s, expected {expected} ± {} s (T = {period} s)",
        Z * se
    );
    // Every delay is a whole number of scans after a first scan within one period.
    for d in &delays {
        let scans = d / period;
        assert!(
            scans >= f64::from(k) - 1.0 - 1e-9,
            "tracked after {scans} periods with {k} detections needed"
        );
    }
}

#[test]
fn space_early_warning_cues_radars_to_track_on_their_first_detection() {
    // A Ghadr flies from 1,000 km east; space infrared sees its boost and, after its latency,
    // cues the city radar, whose coverage is set to begin well after the cue: a cued radar
    // needs one detection, so its mean delay is T(½ + 1/q − 1) instead of T(½ + k/q − 1).
    let text = format!(
        "name: cue\nruns: 20\nassets:\n  - {{id: city, circle: {{center: {city}, radius_km: 8}}, value: 10}}\n\
         sensors:\n  - {{id: r-city, type: elm-2084, at: {city}}}\n  - {{id: ew, type: space-ir}}\n\
         batteries: []\ncommand:\n  decision_latency_s: 2\n\
         raid:\n  - {{id: ghadr, threat: ghadr, count: 10, launch: {{sites: [{site}], window_s: [0, 120]}}, target: city, overrides: {{reliability: 1.0}}}}\n",
        city = pos(CITY),
        site = pos(offset(0.0, 1_000.0)),
    );
    let mut p = prepared(&text);
    let (q, k) = (0.5, 4);
    let period = set_radar(&mut p, q, k, None);
    // Space infrared detects every boost, so that every run is cued.
    let always = p.parameters.add("always".into(), Uncertain::exact(1.0));
    let SensorKind::SpaceIr {
        latency_s,
        detection_probability,
        ..
    } = &mut p.sensors[1].kind
    else {
        panic!("sensor 1 is space infrared");
    };
    *detection_probability = always;
    let latency = p.parameters.range(*latency_s).nominal;
    let seen_from = p.coverage[0]
        .iter()
        .find(|c| c.sensor == 1)
        .expect("space infrared sees the Ghadr's boost")
        .intervals[0]
        .0
        .as_s();
    let start = seen_from + latency + 30.0;
    set_coverage(&mut p, start);
    let cued = track_delays(&p, 200, start);
    let (mean, se) = mean_se(&cued);
    let expected = period * (0.5 + 1.0 / q - 1.0);
    assert!(
        (mean - expected).abs() <= Z * se,
        "cued: mean delay {mean} s, expected {expected} ± {} s",
        Z * se
    );
    // Without the space sensor's coverage the same radar needs its k detections.
    for cov in &mut p.coverage {
        cov.retain(|c| c.sensor != 1);
    }
    let uncued = track_delays(&p, 200, start);
    let (mean, se) = mean_se(&uncued);
    let expected = period * (0.5 + f64::from(k) / q - 1.0);
    assert!(
        (mean - expected).abs() <= Z * se,
        "not cued: mean delay {mean} s, expected {expected} ± {} s",
        Z * se
    );
}

#[test]
fn a_radar_sees_a_target_out_to_its_range_scaled_by_the_fourth_root_of_its_cross_section() {
    // An ELM-2084 sees a 1 m² target at its catalog range; against a target of σ m² the range
    // is R·σ^¼. A Fateh-110 flies from 150 km east straight at the radar: with a cross
    // section of 1/16 m² coverage begins where the slant range falls to R/2.
    let range_at = |rcs: f64| {
        let text = city("", "", "", 1, "target: city").replace(
            "overrides: {reliability: 1.0}",
            &format!("overrides: {{reliability: 1.0, rcs_m2: {rcs}}}"),
        );
        let sc = scenario(&text);
        let p = prepare(&sc).expect("prepared");
        let SensorKind::Radar {
            position,
            range_1m2_m,
            ..
        } = p.sensors[0].kind
        else {
            panic!("sensor 0 is the city radar");
        };
        let traj = &p.trajectories[0];
        let start = p.coverage[0]
            .iter()
            .find(|c| c.sensor == 0)
            .expect("the radar sees the Fateh")
            .intervals[0]
            .0
            .as_s();
        let k = traj
            .times_s
            .iter()
            .position(|&t| t >= start)
            .expect("a sample");
        (
            (traj.positions[k] - position).norm(),
            (traj.positions[k.saturating_sub(1)] - position).norm(),
            range_1m2_m,
        )
    };
    for (rcs, fraction) in [(1.0 / 16.0, 0.5), (1.0 / 256.0, 0.25)] {
        let (at, before, r1) = range_at(rcs);
        let range = fraction * r1;
        assert!(
            at <= range && before > range,
            "{rcs} m²: coverage begins at {at} m (previous sample {before} m), expected the \
             crossing of {range} m ({fraction} of the 1 m² range {r1} m)"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Battle manager
// ---------------------------------------------------------------------------------------------

/// Two waves of Fateh-110 that never kill: twelve at the city, which a David's Sling 20 km
/// east (8 rounds, holding back `reserve` of them) and a PAC-3 MSE at the city both reach, then,
/// ten minutes later, six at a point 100 km north that only the Sling reaches.
fn reserve_scenario(reserve: f64) -> Prepared {
    let text = format!(
        "name: reserve\nruns: 10\nassets:\n  - {{id: city, circle: {{center: {city}, radius_km: 8}}, value: 10}}\n\
         sensors:\n  - {{id: r-city, type: elm-2084, at: {city}}}\n\
         batteries:\n  - {{id: sling, type: davids-sling, at: {sling}, rounds: 8, reserve_fraction: {reserve}}}\n\
         \x20 - {{id: pac3, type: pac-3-mse, at: {city}, rounds: 40}}\n\
         command:\n  decision_latency_s: 2\n  doctrine: {{engage_only_defended: false}}\n\
         raid:\n  - {{id: first, threat: fateh-110, count: 12, launch: {{sites: [{site}], window_s: [0, 60]}}, target: city, overrides: {{reliability: 1.0}}}}\n\
         \x20 - {{id: second, threat: fateh-110, count: 6, launch: {{sites: [{site}], window_s: [600, 660]}}, aim: {north}, overrides: {{reliability: 1.0}}}}\n",
        city = pos(CITY),
        sling = pos(offset(0.0, 20.0)),
        site = pos(offset(0.0, 150.0)),
        north = pos(offset(100.0, 0.0)),
    );
    let mut p = prepared(&text);
    let never = p.parameters.add("never".into(), Uncertain::exact(0.0));
    for b in &mut p.batteries {
        b.kill_probability = [never; 5];
    }
    p
}

/// Per run, the Sling's shots at the first wave and at the second.
fn sling_shots(p: &Prepared, runs: u64) -> Vec<(u32, u32)> {
    let mut rep = Replication::new();
    (0..runs)
        .map(|run| {
            let (_, events) = play(&mut rep, p, 3, run);
            events.iter().fold((0, 0), |(a, b), e| match *e {
                EngineEvent::InterceptorLaunch {
                    battery: 0,
                    threat,
                    shots,
                    ..
                } if threat < 12 => (a + shots, b),
                EngineEvent::InterceptorLaunch {
                    battery: 0, shots, ..
                } => (a, b + shots),
                _ => (a, b),
            })
        })
        .collect()
}

#[test]
fn a_reserve_is_kept_for_the_threats_that_only_its_battery_can_reach() {
    let p = reserve_scenario(0.5);
    assert!(
        p.opportunities[p.threats[12].trajectory]
            .iter()
            .all(|o| o.battery == 0),
        "only the Sling reaches the second wave"
    );
    assert!(
        p.opportunities[p.threats[0].trajectory].len() == 2,
        "both batteries reach the first"
    );
    // The Sling fires at most half its rounds at the first wave, which the PAC-3 also
    // reaches, and keeps the rest, unfired, until the second wave that only it can reach.
    for (run, (first, second)) in sling_shots(&p, 10).into_iter().enumerate() {
        assert!(first <= 4, "run {run}: {first} shots at the first wave");
        assert!(second >= 4, "run {run}: {second} shots at the second wave");
    }
    // Without a reserve it spends more than half on the first wave.
    let p = reserve_scenario(0.0);
    let shots = sling_shots(&p, 10);
    let first: u32 = shots.iter().map(|s| s.0).sum();
    assert!(first > 40, "{shots:?}");
}

#[test]
fn the_default_policy_serves_the_least_time_to_go_first_then_the_more_valuable() {
    let view = |threat, time_to_go_s, threatened_value| ThreatView {
        threat,
        time_to_go_s,
        threatened_value,
    };
    let p = DefaultPolicy;
    assert!(p.priority(&view(0, 10.0, 0.0)) < p.priority(&view(1, 11.0, 1e5)));
    assert!(p.priority(&view(0, 10.0, 10.0)) < p.priority(&view(1, 10.0, 8.0)));
    assert!(p.priority(&view(0, 10.0, 0.0)) == p.priority(&view(1, 10.0, 0.0)));
}

#[test]
fn the_default_policy_picks_the_earliest_intercept_then_the_higher_tier_then_the_first_battery() {
    let c = |battery, tier, intercept_s: f64| candidate(battery, tier, intercept_s);
    let v = ThreatView {
        threat: 0,
        time_to_go_s: 100.0,
        threatened_value: 1.0,
    };
    let p = DefaultPolicy;
    let first = |now: &[Candidate]| p.choose(&v, now, &[]).map(|f| f.candidate);
    assert_eq!(first(&[]), None);
    assert_eq!(first(&[c(0, 2, 50.0), c(1, 0, 40.0)]), Some(1));
    // The earliest intercept wins over the higher tier.
    assert_eq!(first(&[c(0, 0, 50.0), c(1, 2, 40.0)]), Some(1));
    assert_eq!(first(&[c(0, 2, 40.0), c(1, 0, 40.0)]), Some(1));
    assert_eq!(first(&[c(3, 1, 40.0), c(2, 1, 40.0)]), Some(1));
    // With the doctrine's salvo, whatever comes later.
    let mut salvo = c(0, 0, 40.0);
    salvo.salvo = 3;
    assert_eq!(
        p.choose(&v, &[salvo], &[c(1, 2, 10.0)]),
        Some(Fire {
            candidate: 0,
            shots: 3
        })
    );
}

/// A candidate of battery `battery` in tier `tier` meeting the threat at `intercept_s`: one
/// shot of kill probability 0.5 at US$1 M, 10 of 10 rounds, defending assets of value 10.
fn candidate(battery: usize, tier: u8, intercept_s: f64) -> Candidate {
    use skyshield_core::SimTime;
    Candidate {
        battery,
        tier,
        launch: SimTime::from_s(0.0),
        intercept: SimTime::from_s(intercept_s),
        kill_probability: 0.5,
        cost_usd: 1e6,
        salvo: 1,
        rounds: 10,
        capacity: 10,
        defended_value: 10.0,
    }
}

#[test]
fn the_value_weighted_policy_serves_value_first_and_keeps_rounds_for_more_valuable_assets() {
    let view = |threat, time_to_go_s, threatened_value| ThreatView {
        threat,
        time_to_go_s,
        threatened_value,
    };
    let p = ValueWeighted;
    assert!(p.priority(&view(0, 500.0, 10.0)) < p.priority(&view(1, 10.0, 1.0)));
    assert!(p.priority(&view(0, 10.0, 5.0)) < p.priority(&view(1, 11.0, 5.0)));
    // A threat to an asset of value 10 (the battery's most valuable): the full salvo, down to
    // the last round.
    let mut c = candidate(0, 1, 40.0);
    c.salvo = 2;
    let fire = |v: f64, c: Candidate| p.choose(&view(0, 60.0, v), &[c], &[]);
    assert_eq!(
        fire(10.0, c),
        Some(Fire {
            candidate: 0,
            shots: 2
        })
    );
    c.rounds = 2;
    assert_eq!(fire(10.0, c).map(|f| f.shots), Some(2));
    // Value 5: one shot (2 × 5/10), while the battery keeps half its 10 rounds.
    c.rounds = 6;
    assert_eq!(fire(5.0, c).map(|f| f.shots), Some(1));
    c.rounds = 5;
    assert_eq!(fire(5.0, c), None, "half of the rounds are kept");
    // Value 1: only the first tenth of the rounds.
    c.rounds = 10;
    assert_eq!(fire(1.0, c).map(|f| f.shots), Some(1));
    c.rounds = 9;
    assert_eq!(fire(1.0, c), None);
    // Open ground: never.
    c.rounds = 10;
    assert_eq!(fire(0.0, c), None);
    // A battery whose assets are worth nothing weighs no threat against them: the full salvo,
    // even at open ground.
    c.defended_value = 0.0;
    assert_eq!(fire(0.0, c).map(|f| f.shots), Some(2));
    // Among those allowed, the earliest intercept.
    let (a, mut b) = (candidate(0, 0, 50.0), candidate(1, 2, 40.0));
    b.rounds = 1;
    assert_eq!(
        p.choose(&view(0, 60.0, 5.0), &[a, b], &[])
            .map(|f| f.candidate),
        Some(0),
        "the earlier battery keeps too few rounds"
    );
    b.rounds = 10;
    assert_eq!(
        p.choose(&view(0, 60.0, 5.0), &[a, b], &[])
            .map(|f| f.candidate),
        Some(1)
    );
}

#[test]
fn the_cost_aware_policy_fires_the_cheapest_salvo_that_meets_the_requirement() {
    let v = ThreatView {
        threat: 0,
        time_to_go_s: 100.0,
        threatened_value: 1.0,
    };
    let p = CostAware {
        required_kill_probability: 0.8,
    };
    // An upper-tier round at US$3 M with 0.9, a lower-tier salvo of two at US$0.1 M each with
    // 0.6 (0.84 together).
    let mut upper = candidate(0, 0, 30.0);
    upper.kill_probability = 0.9;
    upper.cost_usd = 3e6;
    let mut lower = candidate(1, 2, 60.0);
    lower.kill_probability = 0.6;
    lower.cost_usd = 1e5;
    lower.salvo = 2;
    // Threats in the default policy's order: the least time to go first.
    let sooner = ThreatView {
        time_to_go_s: 99.0,
        ..v
    };
    assert!(p.priority(&sooner) < p.priority(&v));
    let pick = |now: &[Candidate], later: &[Candidate]| p.choose(&v, now, later);
    assert_eq!(
        pick(&[upper, lower], &[]),
        Some(Fire {
            candidate: 1,
            shots: 2
        })
    );
    // The cost of a salvo, not of a round: four lower-tier rounds at US$1 M each cost more
    // than the upper-tier round, whichever is offered first.
    let mut four = lower;
    four.salvo = 4;
    four.cost_usd = 1e6;
    assert_eq!(pick(&[upper, four], &[]).map(|f| f.candidate), Some(0));
    assert_eq!(pick(&[four, upper], &[]).map(|f| f.candidate), Some(1));
    // The lower tier can fire only later: hold fire.
    assert_eq!(pick(&[upper], &[lower]), None);
    // One lower-tier round (0.6) does not meet 0.8: the upper tier fires.
    lower.salvo = 1;
    assert_eq!(pick(&[upper], &[lower]).map(|f| f.candidate), Some(0));
    // Nobody meets it: the likeliest to kill, now, or hold for it.
    upper.kill_probability = 0.7;
    assert_eq!(pick(&[upper, lower], &[]).map(|f| f.candidate), Some(0));
    assert_eq!(pick(&[lower], &[upper]), None);
}

/// A policy that serves threats in the default order and fires with the last candidate
/// offered, recording every offer.
#[derive(Debug, Default)]
struct Recording {
    offers: RefCell<Vec<(ThreatView, Vec<Candidate>)>>,
    hold_fire: bool,
}

impl AssignmentPolicy for Recording {
    fn priority(&self, threat: &ThreatView) -> f64 {
        DefaultPolicy.priority(threat)
    }

    fn choose(&self, threat: &ThreatView, now: &[Candidate], _later: &[Candidate]) -> Option<Fire> {
        self.offers.borrow_mut().push((*threat, now.to_vec()));
        if self.hold_fire {
            None
        } else {
            now.len().checked_sub(1).map(|candidate| Fire {
                candidate,
                shots: now[candidate].salvo,
            })
        }
    }
}

/// Twenty Fateh-110 at the city, a David's Sling 30 km towards their launch site and a PAC-3
/// MSE at the city, which both reach them.
fn two_layers() -> Prepared {
    let batteries = two_batteries();
    prepared(&city(
        "",
        &batteries,
        "shoot_look_shoot: true, engage_only_defended: true",
        20,
        "target: city",
    ))
}

fn two_batteries() -> String {
    format!(
        "  - {{id: forward, type: davids-sling, at: {}, rounds: 40}}\n  - {{id: pac3, type: pac-3-mse, at: {}, rounds: 40}}\n",
        pos(offset(0.0, 30.0)),
        pos(CITY)
    )
}

#[test]
fn decisions_follow_the_policy_and_its_order() {
    let p = two_layers();
    let mut rep = Replication::new();
    // Holding fire: nothing is launched, every threat leaks, no cost.
    let hold = Recording {
        hold_fire: true,
        ..Recording::default()
    };
    let mut log = Log::default();
    let o = rep.run_with(&p, 4, 0, &hold, &mut log).clone();
    assert!(
        !hold.offers.borrow().is_empty(),
        "the policy was never asked"
    );
    assert!(
        hold.offers.borrow().iter().any(|(_, c)| c.len() == 2),
        "both layers were never offered together"
    );
    assert_eq!(o.batteries.iter().map(|b| b.shots).sum::<u32>(), 0);
    assert_eq!(o.count(Fate::Leaked), p.threats.len());
    assert_eq!(o.defense_cost_usd, 0.0);
    // Firing with the last candidate: each decision names the battery of the last offer.
    let last = Recording::default();
    let mut log = Log::default();
    rep.run_with(&p, 4, 0, &last, &mut log);
    let decisions: Vec<_> = log
        .0
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Decision {
                time_s,
                threat,
                battery,
                time_to_go_s,
                threatened_value,
            } => Some((time_s, threat, battery, time_to_go_s, threatened_value)),
            _ => None,
        })
        .collect();
    let offers = last.offers.borrow();
    assert_eq!(decisions.len(), offers.len(), "a decision per offer");
    for ((_, threat, battery, _, _), (view, candidates)) in decisions.iter().zip(offers.iter()) {
        assert_eq!(*threat, view.threat);
        assert_eq!(*battery, candidates.last().map(|c| c.battery));
    }
    // Within a decision cycle threats come in the policy's order.
    for pair in decisions.windows(2) {
        let ((t0, _, _, ttg0, v0), (t1, _, _, ttg1, v1)) = (pair[0], pair[1]);
        if t0 == t1 {
            let (k0, k1) = (ttg0 - 1e-6 * v0, ttg1 - 1e-6 * v1);
            assert!(k0 <= k1 + 1e-6, "at {t0} s: priority {k0} before {k1}");
        }
    }
    // The default policy picks among the same offers the earliest intercept.
    let mut log = Log::default();
    let default = rep.run_with(&p, 4, 0, &DefaultPolicy, &mut log).clone();
    let first: Vec<_> = log
        .0
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Decision {
                battery: Some(b), ..
            } => Some(b),
            _ => None,
        })
        .collect();
    assert!(
        first.contains(&0),
        "the outer layer, meeting the threats first, never chosen: {first:?}"
    );
    assert!(default.batteries[0].shots > 0);
}

#[test]
fn costs_are_the_rounds_fired_and_the_threats_launched_at_their_catalog_prices() {
    let p = two_layers();
    let sc = scenario(&city(
        "",
        &two_batteries(),
        "shoot_look_shoot: true, engage_only_defended: true",
        20,
        "target: city",
    ));
    let layered = sc.as_layered().expect("layered");
    let price = |b: usize| {
        layered.batteries[b]
            .interceptor
            .number_si("cost_usd")
            .expect("cost")
            .nominal
    };
    // Fateh-110: US$300,000 in the catalog.
    let fateh_usd = 300_000.0;
    let mut rep = Replication::new();
    for run in 0..5 {
        let (o, events) = play(&mut rep, &p, 8, run);
        let launched = events
            .iter()
            .filter(|e| matches!(e, EngineEvent::Launch { .. }))
            .count();
        assert_eq!(o.offense_cost_usd, launched as f64 * fateh_usd);
        let expected: f64 = (0..2)
            .map(|b| f64::from(o.batteries[b].shots) * price(b))
            .sum();
        assert!(
            o.batteries.iter().any(|b| b.shots > 0),
            "run {run}: no shot"
        );
        assert_eq!(o.defense_cost_usd, expected, "run {run}");
        // Shots per threat add up to shots per battery.
        assert_eq!(
            o.threats.iter().map(|t| t.shots).sum::<u32>(),
            o.batteries.iter().map(|b| b.shots).sum::<u32>()
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Prediction error
// ---------------------------------------------------------------------------------------------

#[test]
fn the_prediction_error_follows_its_documented_formula_and_falls_as_the_track_is_updated() {
    // σ = max(50 m/s × 20 / (20 + updates) × time to go, 200 m) + ½ · g · 9.80665 · 5².
    let formula = |updates: f64, ttg: f64, g: f64| {
        (50.0 * 20.0 / (20.0 + updates) * ttg).max(200.0) + 0.5 * g * 9.806_65 * 25.0
    };
    for (updates, ttg, g) in [
        (0.0, 400.0, 0.0),
        (20.0, 400.0, 0.0),
        (60.0, 100.0, 0.0),
        (100.0, 10.0, 0.0),
        (0.0, 40.0, 2.0),
        (30.0, 200.0, 5.0),
    ] {
        let got = prediction_sigma_m(updates, ttg, g);
        let want = formula(updates, ttg, g);
        assert!(
            (got - want).abs() <= 1e-9 * want,
            "{updates} updates, time to go {ttg} s, {g} g: {got} m, expected {want} m"
        );
    }
    // 20 km for a new track 400 s out; halved after 20 updates.
    assert!((prediction_sigma_m(0.0, 400.0, 0.0) - 20_000.0).abs() < 1e-6);
    assert!((prediction_sigma_m(20.0, 400.0, 0.0) - 10_000.0).abs() < 1e-6);
    let mut last = f64::INFINITY;
    for updates in [0.0, 5.0, 10.0, 40.0, 80.0] {
        let s = prediction_sigma_m(updates, 300.0, 0.0);
        assert!(s < last, "σ({updates} updates) = {s} m, not below {last} m");
        last = s;
    }
}

/// Six threats launched about together against one layer of four engagement windows, whose
/// battery has a single fire channel and kills what it engages.
fn one_channel() -> Prepared {
    let mut p = prepared(
        "name: one channel\nkind: abstract\nthreats: 6\nkill_assessment_probability: 1\n\
         layers:\n  - {id: layer, kill_probability: 1, engagements: 4}\n",
    );
    p.batteries[0].fire_channels = 1;
    // Played by the battle manager, whose fire channels are studied here.
    p.abstract_plan = None;
    p
}

/// A battery with one fire channel engages one threat at a time, and refuses the others while
/// the channel is busy; when the intercept frees it, a threat that was refused is decided on
/// again at the first decision cycle from then on (and engaged if a window is open then), not
/// whenever some other event next asks for a decision.
#[test]
fn a_freed_fire_channel_is_offered_at_the_first_decision_cycle_after_it_frees() {
    let p = one_channel();
    let cycle_s = p.decision_latency_s;
    let mut rep = Replication::new();
    let mut offers = 0;
    for run in 0..50 {
        let (_, events) = play(&mut rep, &p, 5, run);
        // The channel is busy from a decision to engage until that engagement's intercept.
        let mut busy = false;
        let mut refused = [false; 6];
        let mut freed_at: Option<f64> = None;
        for e in &events {
            match *e {
                EngineEvent::Decision {
                    time_s,
                    threat,
                    battery,
                    ..
                } => {
                    if refused[threat]
                        && let Some(t) = freed_at.take()
                    {
                        assert!(
                            time_s - t < cycle_s + 1e-9,
                            "run {run}: the channel freed at {t} s, threat {threat} waiting for \
                             it decided on at {time_s} s"
                        );
                        offers += 1;
                    }
                    refused[threat] = battery.is_none() && busy;
                    busy |= battery.is_some();
                }
                EngineEvent::Intercept { time_s, .. } => {
                    busy = false;
                    if refused.iter().any(|&r| r) {
                        freed_at = Some(time_s);
                    }
                }
                _ => {}
            }
        }
        assert_eq!(freed_at, None, "run {run}: a freed channel never offered");
    }
    assert!(offers >= 50, "only {offers} offers of a freed channel");
}

/// A threat that a decision leaves unengaged (no window open, or the channel busy) is decided on
/// again one decision cycle before its next engagement window opens, in time to fire in it (or
/// sooner, when a channel frees).
#[test]
fn a_threat_left_unengaged_is_decided_on_again_before_its_next_window_opens() {
    let p = one_channel();
    let cycle_s = p.decision_latency_s;
    // Interceptor launch times of the windows, since the threat's launch.
    let windows: Vec<f64> = p.opportunities[0][0]
        .windows
        .iter()
        .map(|w| w.launch.as_s())
        .collect();
    let mut rep = Replication::new();
    let mut rechecks = 0;
    for run in 0..50 {
        let (_, events) = play(&mut rep, &p, 6, run);
        let mut launch = [f64::NAN; 6];
        // Per threat: the window by which its next decision is due, once a decision left it
        // unengaged.
        let mut due: [Option<f64>; 6] = [None; 6];
        for e in &events {
            match *e {
                EngineEvent::Launch { time_s, threat } => launch[threat] = time_s,
                EngineEvent::Decision {
                    time_s,
                    threat,
                    battery,
                    ..
                } => {
                    if let Some(w) = due[threat].take() {
                        assert!(
                            time_s <= w,
                            "run {run}: threat {threat} decided on at {time_s} s for a window \
                             opening at {w} s"
                        );
                        rechecks += 1;
                    }
                    if battery.is_none() {
                        due[threat] = windows
                            .iter()
                            .map(|w| launch[threat] + w)
                            .find(|&w| w > time_s + cycle_s);
                    }
                }
                EngineEvent::Intercept {
                    threat,
                    killed: true,
                    ..
                } => due[threat] = None,
                _ => {}
            }
        }
        assert!(
            due.iter().all(Option::is_none),
            "run {run}: a threat never decided on again: {due:?}"
        );
    }
    assert!(rechecks >= 50, "only {rechecks} decisions again");
}

/// A battery whose kill probability against a class is 0 in every draw never fires at a threat
/// of that class, though its envelope reaches it: Iron Dome at the city (kill probability 0
/// against ballistic missiles) lets the Fatehs pass, and fires at them once its kill
/// probability against the class is made 0.5.
#[test]
fn a_battery_with_no_kill_probability_against_a_class_never_fires_at_it() {
    let shots = |overrides: &str| {
        let p = prepared(&city(
            "",
            &format!(
                "  - {{id: dome, type: iron-dome, at: {}, radar: r-city{overrides}}}\n",
                pos(CITY)
            ),
            "shots_per_engagement: 1",
            8,
            "target: city",
        ));
        let mut rep = Replication::new();
        let mut shots = 0;
        for run in 0..10 {
            let (_, events) = play(&mut rep, &p, 3, run);
            shots += events
                .iter()
                .filter(|e| matches!(e, EngineEvent::InterceptorLaunch { .. }))
                .count();
        }
        (p.opportunities.iter().map(Vec::len).sum::<usize>(), shots)
    };
    assert_eq!(
        shots(""),
        (0, 0),
        "opportunities and shots at kill probability 0"
    );
    let (opportunities, fired) = shots(", overrides: {kill_probability_ballistic: 0.5}");
    assert!(
        opportunities > 0 && fired > 0,
        "{opportunities} opportunities, {fired} shots at kill probability 0.5"
    );
}

// ---------------------------------------------------------------------------------------------
// The altitude law of a manoeuvre: an Iskander-M salvo over THAAD, which meets it in the thin
// air near its apogee, and Patriot, which meets it low in its dive
// ---------------------------------------------------------------------------------------------

const ISKANDER_SALVO: &str = r#"
name: manoeuvre altitude law
runs: 50
assets:
  - {id: airbase, circle: {center: [25.0, 10.0], radius_km: 3}, value: 10}
sensors:
  - {id: early-warning, type: space-ir}
  - {id: patriot-radar, type: an-mpq-65, at: [25.01, 9.99], facing_deg: 0}
  - {id: thaad-radar, type: an-tpy-2, at: [24.95, 10.0], facing_deg: 0}
batteries:
  - {id: patriot, type: pac-3-mse, at: [25.01, 9.99], launchers: 8, radar: patriot-radar, defends: [airbase]}
  - {id: thaad, type: thaad, at: [24.95, 10.0], launchers: 6, rounds_per_launcher: 8, radar: thaad-radar, defends: [airbase]}
command:
  decision_latency_s: 2
  network: true
  doctrine: {shots_per_engagement: 1, shoot_look_shoot: true, engage_only_defended: true}
raid:
  - {id: salvo, threat: iskander-m, count: 8, launch: {sites: [[29.05, 10.0]], window_s: [0, 60]}, target: airbase, overrides: {reliability: 1.0}}
"#;

/// Every window is marked manoeuvring exactly where the law says, with the spent body's mass
/// and area from the catalog (launch mass less propellant, body diameter), and there are
/// windows on both sides of the ceiling.
#[test]
fn a_window_is_manoeuvring_only_below_the_threats_one_g_manoeuvre_ceiling() {
    let p = prepared(ISKANDER_SALVO);
    let entry = catalog().get("iskander-m").unwrap();
    let number = |k: &str| entry.number_si(k).unwrap().nominal;
    let mass_kg = number("launch_mass_kg") - number("propellant_mass_kg");
    let area_m2 = std::f64::consts::PI / 4.0 * number("diameter_m").powi(2);
    let (mut above, mut below) = (0, 0);
    for (tr, opps) in p.opportunities.iter().enumerate() {
        let t = &p.trajectories[tr];
        let burnout_s = t.burnout_s.expect("a rocket-powered flight burns out");
        for opp in opps {
            for w in &opp.windows {
                // A window is at a sample (its time rounded to the engine's clock).
                let i = t
                    .times_s
                    .iter()
                    .position(|&s| (s - w.intercept.as_s()).abs() < 1e-3)
                    .expect("a window is at a sample");
                let speed = t.velocity(i).norm();
                let ceiling = manoeuvre_ceiling_m(mass_kg, area_m2, speed, STANDARD_GRAVITY_M_S2);
                let law = t.times_s[i] >= burnout_s && w.height_m <= ceiling;
                assert_eq!(
                    w.manoeuvring, law,
                    "battery {} at {} s, {} m, ceiling {ceiling} m",
                    opp.battery, t.times_s[i], w.height_m
                );
                if law {
                    below += 1;
                } else {
                    above += 1;
                }
            }
        }
    }
    assert!(
        above > 0 && below > 0,
        "{above} windows above, {below} below"
    );
}

/// With a manoeuvre kill factor of 0, no intercept kills a threat where it can manoeuvre, and
/// intercepts in the thin air above kill at the interceptor's own probability.
#[test]
fn the_manoeuvre_kill_factor_applies_only_where_the_threat_can_manoeuvre() {
    let mut p = prepared(ISKANDER_SALVO);
    let never = p.parameters.add("never".into(), Uncertain::exact(0.0));
    // THAAD kills one threat in three, so that Patriot meets the others low.
    let third = p
        .parameters
        .add("third".into(), Uncertain::exact(1.0 / 3.0));
    for b in &mut p.batteries {
        b.manoeuvre_kill_factor = never;
        if b.id == "thaad" {
            b.kill_probability = [third; 5];
        }
    }
    let heights: Vec<Vec<(f64, bool)>> = p
        .opportunities
        .iter()
        .map(|opps| {
            opps.iter()
                .flat_map(|o| o.windows.iter().map(|w| (w.height_m, w.manoeuvring)))
                .collect()
        })
        .collect();
    let mut rep = Replication::new();
    let (mut killed_high, mut shots_low, mut killed_low) = (0, 0, 0);
    for run in 0..50 {
        let mut log = Log::default();
        rep.run_with(&p, 7, run, &DefaultPolicy, &mut log);
        for e in &log.0 {
            if let EngineEvent::Intercept {
                threat,
                killed,
                height_m,
                ..
            } = e
            {
                let tr = p.threats[*threat].trajectory;
                let manoeuvring = heights[tr]
                    .iter()
                    .find(|(h, _)| h == height_m)
                    .expect("an intercept is at a window")
                    .1;
                if manoeuvring {
                    shots_low += 1;
                    killed_low += usize::from(*killed);
                } else {
                    killed_high += usize::from(*killed);
                }
            }
        }
    }
    assert!(shots_low > 0, "no intercept low in the dive");
    assert_eq!(
        killed_low, 0,
        "{killed_low} kills of {shots_low} low intercepts"
    );
    assert!(killed_high > 0, "no kill in the thin air");
}

/// A threat without a terminal manoeuvre (the Qiam-1's `terminal_manoeuvre_g` is 0) has no
/// manoeuvring window, even below its one-g manoeuvre ceiling.
#[test]
fn a_threat_without_a_terminal_manoeuvre_has_no_manoeuvring_window() {
    let text = ISKANDER_SALVO.replace("threat: iskander-m", "threat: qiam-1");
    assert_ne!(text, ISKANDER_SALVO);
    let p = prepared(&text);
    let windows: Vec<_> = p
        .opportunities
        .iter()
        .flatten()
        .flat_map(|o| &o.windows)
        .collect();
    assert!(!windows.is_empty());
    assert!(windows.iter().all(|w| !w.manoeuvring));
}
