//! A campaign day played by the engine ([`Replication::run_day`]): rounds not launched have no
//! event, a battery's rounds come from the day, and a battery away fires nothing, not even on
//! network tracks, and its own radar tracks nothing in its window, nor, once back, a threat that
//! has left its coverage meanwhile; present, a battery fires no sooner than its reaction time
//! after a track.

use std::path::Path;

use skyshield_core::SimTime;
use skyshield_engine::{Day, EngineEvent, Observer, Prepared, Replication, audit, prepare};

/// Keeps every event of a run.
#[derive(Debug, Default)]
struct Log(Vec<EngineEvent>);

impl Observer for Log {
    fn event(&mut self, event: &EngineEvent) {
        self.0.push(*event);
    }
}

/// Eight missiles at a city defended by one battery on its own radar.
const SCENARIO: &str = "
name: day
seed: 3
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
";

fn prepared() -> Prepared {
    prepared_from(SCENARIO)
}

fn prepared_from(text: &str) -> Prepared {
    let scenario = skyshield_scenario::from_str(text, Path::new("day.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}"));
    prepare(&scenario).expect("prepared")
}

/// [`SCENARIO`] on a network, with an early-warning radar of no battery's beside the battery's:
/// sensor 0, its tracks reach the battery while its own radar is away with it. Both see no
/// farther than 150 km, so the battery's first windows open before they track.
fn networked() -> Prepared {
    prepared_from(
        &SCENARIO
            .replace("network: false", "network: true")
            .replace(
                "sensors:\n",
                "sensors:\n  - {id: ew, type: green-pine, at: [31.55, 34.70], facing_deg: 90}\n",
            )
            .replace(
                "facing_deg: 90}",
                "facing_deg: 90, overrides: {detection_range_km: 150}}",
            ),
    )
}

fn play(
    p: &Prepared,
    run: u64,
    launched: &[bool],
    rounds: u32,
    away: (f64, f64),
) -> Vec<EngineEvent> {
    let away = [(SimTime::from_s(away.0), SimTime::from_s(away.1))];
    let day = Day {
        launched,
        rounds: &[rounds],
        depot: &[0],
        away: &away,
    };
    let mut log = Log::default();
    Replication::new().run_day(p, 7, run, &day, &mut log);
    log.0
}

#[test]
fn rounds_not_launched_have_no_event() {
    let p = prepared();
    let launched = [true, false, true, false, false, false, false, true];
    let events = play(&p, 0, &launched, 12, (0.0, 0.0));
    for e in &events {
        let threat = audit::event_threat(e);
        assert!(launched[threat], "event of a round not launched: {e:?}");
    }
    let launches = events
        .iter()
        .filter(|e| matches!(e, EngineEvent::Launch { .. }))
        .count();
    assert_eq!(launches, 3);
}

#[test]
fn a_battery_fires_no_more_rounds_than_the_day_gives_it() {
    let p = prepared();
    let mut rep = Replication::new();
    for run in 0..20 {
        let day = Day {
            launched: &[true; 8],
            rounds: &[2],
            depot: &[0],
            away: &[(SimTime::ZERO, SimTime::ZERO)],
        };
        let o = rep.run_day(&p, 7, run, &day, &mut skyshield_engine::NoObserver);
        assert!(o.batteries[0].shots <= 2, "run {run}: {:?}", o.batteries[0]);
        assert_eq!(o.batteries[0].shots + o.batteries[0].rounds_left, 2);
    }
}

#[test]
fn a_battery_away_fires_nothing_and_its_radar_tracks_nothing_in_its_window() {
    let p = prepared();
    let all = [true; 8];
    // Present all day, the battery fires: the check below is not empty.
    let shots_present: usize = (0..10)
        .map(|run| {
            play(&p, run, &all, 12, (0.0, 0.0))
                .iter()
                .filter(|e| matches!(e, EngineEvent::InterceptorLaunch { .. }))
                .count()
        })
        .sum();
    assert!(shots_present > 0, "the battery fires when present");
    let (start, end) = (-100.0, 1.0e6);
    for run in 0..10 {
        for e in play(&p, run, &all, 12, (start, end)) {
            match e {
                EngineEvent::InterceptorLaunch { time_s, .. } => {
                    panic!("run {run}: a launch at {time_s} s while away")
                }
                EngineEvent::Track { time_s, .. } if (start..end).contains(&time_s) => {
                    panic!("run {run}: a track at {time_s} s while away")
                }
                _ => {}
            }
        }
    }
}

#[test]
fn a_battery_back_from_its_window_fires_only_after_it() {
    let p = prepared();
    let all = [true; 8];
    // Away for the first part of the missiles' flight.
    let (start, end) = (-100.0, 300.0);
    let mut fired_after = 0;
    for run in 0..10 {
        for e in play(&p, run, &all, 12, (start, end)) {
            match e {
                EngineEvent::InterceptorLaunch { time_s, .. } => {
                    assert!(
                        time_s >= end,
                        "run {run}: a launch at {time_s} s while away"
                    );
                    fired_after += 1;
                }
                EngineEvent::Track { time_s, .. } => {
                    assert!(time_s >= end, "run {run}: a track at {time_s} s while away")
                }
                _ => {}
            }
        }
    }
    assert!(fired_after > 0, "it fires once back");
}

#[test]
fn a_radar_back_from_its_window_tracks_no_threat_that_left_its_coverage_meanwhile() {
    let p = prepared();
    let all = [true; 8];
    // Every missile flies the same trajectory, in the radar's coverage over one interval.
    let traj = &p.trajectories[p.threats[0].trajectory];
    let (from, to) = p.coverage[p.threats[0].trajectory][0].intervals[0];
    let (from, to) = (from.as_s(), to.as_s());
    let end = 535.0;
    let mut missed = 0;
    for run in 0..10 {
        let mut launch = [f64::NAN; 8];
        for e in play(&p, run, &all, 12, (-100.0, end)) {
            match e {
                EngineEvent::Launch { time_s, threat } => {
                    launch[threat] = time_s;
                    // Out of coverage when the radar is back, still flying.
                    if time_s + to < end && end < time_s + traj.flight_time_s {
                        missed += 1;
                    }
                }
                EngineEvent::Track { time_s, threat, .. } => {
                    let since = time_s - launch[threat];
                    assert!(
                        time_s >= end && (from..=to).contains(&since),
                        "run {run}: threat {threat} tracked {since} s after its launch, in \
                         coverage from {from} to {to} s"
                    );
                }
                _ => {}
            }
        }
    }
    assert!(
        missed > 0,
        "no threat left the coverage while the radar was away"
    );
}

#[test]
fn a_battery_away_fires_on_no_network_track_and_present_fires_a_reaction_time_after_one() {
    let p = networked();
    let all = [true; 8];
    // Arrow-2's reaction time is at least 8 s (catalog low).
    let reaction_s = 8.0;
    let mut fired = 0;
    for run in 0..10 {
        let mut tracked = [f64::INFINITY; 8];
        for e in play(&p, run, &all, 12, (0.0, 0.0)) {
            match e {
                EngineEvent::Track { time_s, threat, .. } => {
                    tracked[threat] = tracked[threat].min(time_s);
                }
                EngineEvent::InterceptorLaunch { time_s, threat, .. } => {
                    assert!(
                        time_s >= tracked[threat] + reaction_s,
                        "run {run}: threat {threat} first tracked at {} s, fired at {time_s} s",
                        tracked[threat]
                    );
                    fired += 1;
                }
                _ => {}
            }
        }
    }
    assert!(fired > 0, "the battery fires when present");
    for run in 0..10 {
        let events = play(&p, run, &all, 12, (-100.0, 1.0e6));
        let remote = events
            .iter()
            .filter(|e| matches!(e, EngineEvent::Track { sensor: 0, .. }))
            .count();
        assert!(
            remote > 0,
            "run {run}: the early-warning radar tracks nothing"
        );
        for e in events {
            if let EngineEvent::InterceptorLaunch { time_s, .. } = e {
                panic!("run {run}: a launch at {time_s} s while away");
            }
        }
    }
}
