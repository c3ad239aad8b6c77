//! Every scenario of the library obeys the laws of [`skyshield_engine::audit::check_run`] in
//! its first runs, and the audit reports each law broken by hand in a run.

mod common;

use std::path::Path;

use common::Log;
use skyshield_core::SimTime;
use skyshield_engine::{
    DefaultPolicy, EngineEvent, Fate, Outcome, Prepared, Replication, SensorKind, ThreatOutcome,
    audit, audit::event_threat, prepare,
};

#[test]
fn every_library_scenario_obeys_the_laws() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let mut files: Vec<_> = ["", "examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(root.join(dir)).expect("the library"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    let mut audited = 0;
    for path in &files {
        let sc = skyshield_scenario::load(path).unwrap_or_else(|e| panic!("{e}"));
        if sc.as_layered().is_none() {
            continue;
        }
        let p = prepare(&sc).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut rep = Replication::new();
        for run in 0..3 {
            let mut log = Log::default();
            let outcome = rep
                .run_with(&p, sc.seed, run, &DefaultPolicy, &mut log)
                .clone();
            if let Err(msg) = audit::check_run(&sc, &p, &outcome, &log.0) {
                panic!("{}, run {run}: {msg}", path.display());
            }
        }
        audited += 1;
    }
    assert!(audited >= 10, "{audited} layered library scenarios audited");
}

/// A change to one run, and the words of the audit's report of the law it breaks.
type Break = (
    &'static str,
    fn(&mut Prepared, &mut Outcome, &mut Vec<EngineEvent>),
);

/// Index of the first event of `events` that `is` holds for.
fn find(events: &[EngineEvent], is: impl Fn(&EngineEvent) -> bool) -> usize {
    events
        .iter()
        .position(is)
        .expect("the run has such an event")
}

fn is_launch_of_interceptor(e: &EngineEvent) -> bool {
    matches!(e, EngineEvent::InterceptorLaunch { .. })
}

fn is_miss(e: &EngineEvent) -> bool {
    matches!(e, EngineEvent::Intercept { killed: false, .. })
}

fn is_track(e: &EngineEvent) -> bool {
    matches!(e, EngineEvent::Track { .. })
}

/// The outcome of the first threat of fate `fate` in `o`, its impact in an asset if `in_asset`.
fn first_of(o: &mut Outcome, fate: Fate, in_asset: bool) -> &mut ThreatOutcome {
    o.threats
        .iter_mut()
        .find(|t| t.fate == fate && (!in_asset || t.asset.is_some()))
        .expect("the run has such a threat")
}

/// The first battery that fired more interceptors than it reloaded.
fn firing_battery(o: &Outcome) -> usize {
    o.batteries
        .iter()
        .position(|b| b.shots > b.reloaded)
        .expect("a battery fired")
}

/// Sets the time of event `k` to `time`.
fn set_time(events: &mut [EngineEvent], k: usize, time: f64) {
    match &mut events[k] {
        EngineEvent::Launch { time_s, .. }
        | EngineEvent::Track { time_s, .. }
        | EngineEvent::Decision { time_s, .. }
        | EngineEvent::InterceptorLaunch { time_s, .. }
        | EngineEvent::Intercept { time_s, .. } => *time_s = time,
        e => unreachable!("not an event this test changes: {e:?}"),
    }
}

/// The time of event `k`.
fn time_of(events: &[EngineEvent], k: usize) -> f64 {
    match events[k] {
        EngineEvent::Launch { time_s, .. }
        | EngineEvent::Track { time_s, .. }
        | EngineEvent::Decision { time_s, .. }
        | EngineEvent::InterceptorLaunch { time_s, .. }
        | EngineEvent::Intercept { time_s, .. } => time_s,
        e => unreachable!("not an event this test changes: {e:?}"),
    }
}

/// The decision to fire that the interceptor launch `k` of `events` follows.
fn decision_of(events: &[EngineEvent], k: usize) -> usize {
    let EngineEvent::InterceptorLaunch {
        battery, threat, ..
    } = events[k]
    else {
        unreachable!("an interceptor launch")
    };
    (0..k)
        .rev()
        .find(|&j| {
            matches!(events[j], EngineEvent::Decision { threat: i, battery: Some(b), .. }
                if i == threat && b == battery)
        })
        .expect("a decision before the launch")
}

/// The time of threat `i`'s launch.
fn launch_time(events: &[EngineEvent], i: usize) -> f64 {
    let k = find(
        events,
        |e| matches!(e, EngineEvent::Launch { threat, .. } if *threat == i),
    );
    time_of(events, k)
}

/// Two interceptor launches `(first, second)` at one threat (without double engagement, the
/// second decided after the first's intercept).
fn engaged_twice(events: &[EngineEvent]) -> Option<(usize, usize)> {
    let launches: Vec<usize> = (0..events.len())
        .filter(|&k| is_launch_of_interceptor(&events[k]))
        .collect();
    launches.iter().find_map(|&a| {
        launches
            .iter()
            .find(|&&b| b > a && event_threat(&events[b]) == event_threat(&events[a]))
            .map(|&b| (a, b))
    })
}

/// Each law of [`audit::check_run`], broken by hand in a run that obeys them all, is reported:
/// the audit that every test of the engine relies on cannot pass a run that breaks one.
#[test]
fn the_audit_reports_each_law_broken() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
    let sc = skyshield_scenario::load(&root.join("default.yaml")).expect("the default scenario");
    let p = prepare(&sc).expect("prepared");
    assert!(!p.double_engagement);
    // The first run with a miss, a threat engaged twice, a failure and an asset hit.
    let mut rep = Replication::new();
    let (outcome, events) = (0..100)
        .map(|run| {
            let mut log = Log::default();
            let o = rep
                .run_with(&p, sc.seed, run, &DefaultPolicy, &mut log)
                .clone();
            (o, log.0)
        })
        .find(|(o, events)| {
            events.iter().any(is_miss)
                && engaged_twice(events).is_some()
                && o.threats.iter().any(|t| t.fate == Fate::FailedInFlight)
                && o.threats
                    .iter()
                    .any(|t| t.fate == Fate::Leaked && t.asset.is_some())
        })
        .expect("a run with a miss, a threat engaged twice, a failure and an asset hit");
    audit::check_run(&sc, &p, &outcome, &events).expect("the run as played obeys every law");
    // Costs summed in another order than the run's are equal up to rounding.
    let mut rounded = outcome.clone();
    rounded.defense_cost_usd *= 1.0 + 1e-12;
    rounded.offense_cost_usd *= 1.0 - 1e-12;
    audit::check_run(&sc, &p, &rounded, &events).expect("costs within rounding");

    let breaks: &[Break] = &[
        ("threat outcomes for", |_, o, _| {
            o.threats.pop();
        }),
        ("battery tallies for", |_, o, _| {
            o.batteries.pop();
        }),
        (" plans, ", |p, o, _| {
            p.threats.pop();
            o.threats.pop();
        }),
        ("planned at", |p, _, _| {
            p.threats[1].launch = p.threats[1].launch + SimTime::from_s(1.0);
        }),
        ("(sites in turn)", |p, _, _| {
            p.threats[1].trajectory = p.threats[0].trajectory;
        }),
        ("event for threat", |p, _, ev| {
            let threat = p.threats.len();
            ev.push(EngineEvent::Launch {
                time_s: 0.0,
                threat,
            });
        }),
        ("launched 2 times", |_, _, ev| {
            ev.push(ev[find(ev, |e| matches!(e, EngineEvent::Launch { .. }))]);
        }),
        ("ended 2 times", |_, _, ev| {
            ev.push(ev[find(ev, |e| matches!(e, EngineEvent::Impact { .. }))]);
        }),
        // An outcome that differs from its end in one respect.
        ("but its end is", |_, o, ev| {
            let i = event_threat(&ev[find(ev, |e| matches!(e, EngineEvent::Impact { .. }))]);
            o.threats[i].time_s += 1.0;
        }),
        ("but its end is", |_, o, _| {
            let t = first_of(o, Fate::Intercepted, false);
            t.battery = t.battery.map(|b| b + 1);
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Intercepted, false).time_s += 1.0;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Intercepted, false).height_m += 1.0;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Intercepted, false).fate = Fate::Leaked;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Leaked, true).asset = None;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Leaked, true).fate = Fate::IgnoredOpenArea;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::Leaked, true).lat_deg += 0.1;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::FailedInFlight, false).time_s += 1.0;
        }),
        ("but its end is", |_, o, _| {
            first_of(o, Fate::FailedInFlight, false).fate = Fate::Leaked;
        }),
        ("salvo of 0", |_, _, ev| {
            let k = find(ev, is_launch_of_interceptor);
            if let EngineEvent::InterceptorLaunch { shots, .. } = &mut ev[k] {
                *shots = 0;
            }
        }),
        ("shots launched in the log", |_, o, ev| {
            let EngineEvent::InterceptorLaunch { battery, .. } =
                ev[find(ev, is_launch_of_interceptor)]
            else {
                unreachable!()
            };
            o.batteries[battery].shots += 1;
        }),
        ("salvo of 99", |_, _, ev| {
            let k = find(ev, is_launch_of_interceptor);
            if let EngineEvent::InterceptorLaunch { shots, .. } = &mut ev[k] {
                *shots = 99;
            }
        }),
        // Reloaded more than the depot held (the rounds left agreeing).
        ("in the depot, tally", |p, o, _| {
            let b = firing_battery(o);
            let more = p.batteries[b].depot_rounds + 1 - o.batteries[b].reloaded;
            o.batteries[b].reloaded += more;
            o.batteries[b].rounds_left += more;
        }),
        // Fired more than its rounds and reloads.
        ("in the depot, tally", |p, o, _| {
            let b = firing_battery(o);
            p.batteries[b].rounds = 0;
        }),
        ("in the depot, tally", |_, o, _| {
            let b = firing_battery(o);
            o.batteries[b].rounds_left += 1;
        }),
        ("kills in the log", |_, o, _| {
            o.batteries[0].kills += 1;
        }),
        ("defense cost", |_, o, _| o.defense_cost_usd += 1e6),
        ("offense cost", |_, o, _| o.offense_cost_usd *= 2.0),
        ("launch without a decision", |_, _, ev| {
            let k = decision_of(ev, find(ev, is_launch_of_interceptor));
            ev.remove(k);
        }),
        ("never launched", |_, _, ev| {
            let k = decision_of(ev, find(ev, is_launch_of_interceptor));
            ev.push(ev[k]);
        }),
        ("decided at", |_, _, ev| {
            let k = find(ev, is_launch_of_interceptor);
            let (launched, decision) = (time_of(ev, k), decision_of(ev, k));
            set_time(ev, decision, launched + 1.0);
        }),
        ("intercept without a launch", |_, _, ev| {
            let k = find(ev, is_miss);
            let missed = time_of(ev, k);
            set_time(ev, k, missed + 1.0);
        }),
        ("fire channels", |p, _, _| {
            for b in &mut p.batteries {
                b.fire_channels = 0;
            }
        }),
        ("while its engagement decided at", |_, _, ev| {
            // The second engagement decided during the first's flight.
            let (first, second) = engaged_twice(ev).expect("a threat engaged twice");
            let (decided, second) = (time_of(ev, decision_of(ev, first)), decision_of(ev, second));
            set_time(ev, second, decided);
        }),
        ("first usable track", |_, _, ev| {
            // The first engagement decided and launched at the threat's own launch, before
            // any track of it.
            let k = find(ev, is_launch_of_interceptor);
            let (launched, decision) = (launch_time(ev, event_threat(&ev[k])), decision_of(ev, k));
            set_time(ev, decision, launched);
            set_time(ev, k, launched);
        }),
        ("first usable track", |p, _, ev| {
            // An engagement by a battery whose own radar tracked the threat, that battery made
            // to fire on its own tracks alone, decided and launched at that radar's first track
            // of the threat, before the battery's reaction time.
            let own_track = |ev: &[EngineEvent], k: usize| {
                let EngineEvent::InterceptorLaunch {
                    battery, threat, ..
                } = ev[k]
                else {
                    return None;
                };
                let radar = p.batteries[battery].radar?;
                ev[..k].iter().find_map(|e| match *e {
                    EngineEvent::Track {
                        time_s,
                        sensor,
                        threat: i,
                    } if sensor == radar && i == threat => Some(time_s),
                    _ => None,
                })
            };
            let (k, tracked) = (0..ev.len())
                .find_map(|k| own_track(ev, k).map(|t| (k, t)))
                .expect("an engagement on a battery's own track");
            let EngineEvent::InterceptorLaunch { battery, .. } = ev[k] else {
                unreachable!()
            };
            p.batteries[battery].remote_tracks = false;
            let decision = decision_of(ev, k);
            set_time(ev, decision, tracked);
            set_time(ev, k, tracked);
        }),
        ("first usable track", |p, _, ev| {
            // The first engagement, by a battery without a radar of its own, decided and
            // launched its reaction time after the first track of any sensor, before the
            // network has passed the track on.
            let k = find(ev, is_launch_of_interceptor);
            let EngineEvent::InterceptorLaunch {
                battery, threat, ..
            } = ev[k]
            else {
                unreachable!()
            };
            let b = &mut p.batteries[battery];
            b.radar = None;
            let nominal = |id| p.parameters.range(id).nominal;
            let (reaction_s, delay_s) = (nominal(b.reaction_s), nominal(b.network_delay_s));
            let tracked = time_of(
                ev,
                find(
                    ev,
                    |e| matches!(e, EngineEvent::Track { threat: i, .. } if *i == threat),
                ),
            );
            let decision = decision_of(ev, k);
            set_time(ev, decision, tracked + reaction_s + delay_s / 2.0);
            set_time(ev, k, tracked + reaction_s + delay_s / 2.0);
        }),
        ("outside the sensor's coverage", |_, _, ev| {
            let k = find(ev, is_track);
            let launched = launch_time(ev, event_threat(&ev[k]));
            set_time(ev, k, launched - 1.0);
        }),
        ("outside the sensor's coverage", |p, _, ev| {
            // After the end of its coverage, on a threat never engaged.
            let engaged = |i: usize| {
                ev.iter().any(
                    |e| matches!(e, EngineEvent::InterceptorLaunch { threat, .. } if *threat == i),
                )
            };
            let k = find(
                ev,
                |e| matches!(e, EngineEvent::Track { threat, .. } if !engaged(*threat)),
            );
            let EngineEvent::Track { sensor, threat, .. } = ev[k] else {
                unreachable!()
            };
            let end = p.coverage[p.threats[threat].trajectory]
                .iter()
                .filter(|c| c.sensor == sensor)
                .flat_map(|c| c.intervals.iter().map(|&(_, end)| end.as_s()))
                .fold(f64::NEG_INFINITY, f64::max);
            let launched = launch_time(ev, threat);
            set_time(ev, k, launched + end + 1.0);
        }),
        ("a second track while the first is held", |_, _, ev| {
            let k = find(ev, is_track);
            ev.insert(k + 1, ev[k]);
        }),
        ("track on sensor", |p, _, ev| {
            let k = find(ev, is_track);
            if let EngineEvent::Track { sensor, .. } = &mut ev[k] {
                *sensor = p.sensors.len();
            }
        }),
        ("capacity 0", |p, _, _| {
            for s in &mut p.sensors {
                if let SensorKind::Radar { track_capacity, .. } = &mut s.kind {
                    *track_capacity = 0;
                }
            }
        }),
        ("height outside", |_, _, ev| {
            let k = find(ev, is_miss);
            if let EngineEvent::Intercept { height_m, .. } = &mut ev[k] {
                *height_m = 1e6;
            }
        }),
        ("height outside", |_, _, ev| {
            let k = find(ev, is_miss);
            if let EngineEvent::Intercept { height_m, .. } = &mut ev[k] {
                *height_m = -1e4;
            }
        }),
        ("from battery", |p, _, ev| {
            // Over the battery, inside its shortest range.
            let k = find(ev, is_miss);
            if let EngineEvent::Intercept {
                battery,
                lat_deg,
                lon_deg,
                ..
            } = &mut ev[k]
            {
                let at = p.batteries[*battery].position;
                (*lat_deg, *lon_deg) = (at.lat_deg(), at.lon_deg());
            }
        }),
        ("from battery", |_, _, ev| {
            let k = find(ev, is_miss);
            if let EngineEvent::Intercept { lat_deg, .. } = &mut ev[k] {
                *lat_deg += 10.0;
            }
        }),
    ];
    for &(report, break_law) in breaks {
        let (mut p, mut o, mut ev) = (p.clone(), outcome.clone(), events.clone());
        break_law(&mut p, &mut o, &mut ev);
        match audit::check_run(&sc, &p, &o, &ev) {
            Ok(()) => panic!("{report}: the audit passed the run"),
            Err(msg) => assert!(msg.contains(report), "{report}: the audit reported {msg}"),
        }
    }
}
