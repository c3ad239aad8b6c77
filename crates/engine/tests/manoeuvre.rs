//! The altitude law of a threat's manoeuvre: a battery's `manoeuvre_kill_factor` applies only
//! where the threat can manoeuvre, below the height where the air carries its weight
//! (`q·CN_max·A ≥ m·g0`, `skyshield_physics::aerodynamics::manoeuvre_ceiling_m`) after its
//! burnout. An Iskander-M salvo flies over THAAD, which meets it in the thin air near its apogee,
//! and Patriot, which meets it low in its dive.

mod common;

use std::path::Path;

use common::Log;
use skyshield_engine::{DefaultPolicy, EngineEvent, Prepared, Replication, prepare};
use skyshield_physics::aerodynamics::manoeuvre_ceiling_m;
use skyshield_physics::units::STANDARD_GRAVITY_M_S2;
use skyshield_scenario::{Uncertain, catalog};

const SCENARIO: &str = r#"
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

fn prepared() -> Prepared {
    let sc = skyshield_scenario::from_str(SCENARIO, Path::new("test.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}"));
    prepare(&sc).unwrap_or_else(|e| panic!("cannot prepare: {e}"))
}

/// Every window is marked manoeuvring exactly where the law says, with the spent body's mass
/// and area from the catalog (launch mass less propellant, body diameter), and there are
/// windows on both sides of the ceiling.
#[test]
fn a_window_is_manoeuvring_only_below_the_threats_one_g_manoeuvre_ceiling() {
    let p = prepared();
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
    let mut p = prepared();
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
