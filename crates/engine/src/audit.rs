//! Invariant audits of a run (feature `audit`): the laws every run obeys, checked from its
//! [`Outcome`] and its event log alone, independently of how the engine reached them. Each threat
//! has exactly one fate and one end in the log, when and where its outcome says; rounds, fire
//! channels, track capacity and reaction times are respected, and without double engagement a
//! threat is engaged once at a time; every intercept lies inside its battery's envelope; a run's
//! costs are its rounds fired and threats launched at their prices; the launch plans follow the
//! raid groups' pulses and sites.
//!
//! Test crates enable the feature and call [`check_run`] on every run they play (the engine's
//! property tests over generated scenarios, and every scenario of the library).

use std::collections::HashMap;

use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_scenario::Scenario;

use crate::{EngineEvent, Fate, Outcome, Prepared, SensorKind};

/// A catalog number of battery `b`'s interceptor type (with its overrides), in SI.
fn battery_param(sc: &Scenario, b: usize, key: &str) -> f64 {
    let layered = sc.as_layered().expect("a layered scenario");
    layered.batteries[b]
        .interceptor
        .number_si(key)
        .unwrap_or_else(|e| panic!("battery {b}: {key}: {e}"))
        .nominal
}

/// The threat an event is about.
pub fn event_threat(e: &EngineEvent) -> usize {
    match *e {
        EngineEvent::Launch { threat, .. }
        | EngineEvent::EarlyWarning { threat, .. }
        | EngineEvent::Track { threat, .. }
        | EngineEvent::TrackLost { threat, .. }
        | EngineEvent::Decision { threat, .. }
        | EngineEvent::InterceptorLaunch { threat, .. }
        | EngineEvent::Intercept { threat, .. }
        | EngineEvent::Assessment { threat, .. }
        | EngineEvent::Failure { threat, .. }
        | EngineEvent::Impact { threat, .. }
        | EngineEvent::Siren { threat, .. } => threat,
    }
}

/// Slack on times compared across the engine's integer clock and `f64` sums, s.
pub const TIME_SLACK_S: f64 = 1e-6;
/// Slack on envelope limits, m.
pub const ENVELOPE_SLACK_M: f64 = 1.0;

/// The launch plans of every raid group: its rounds, in order, fill its pulses in turn (a
/// window is one pulse of all the rounds), round `j` of a pulse of `n` over `[start, end]`
/// planned at `start + (end - start) (j + 1/2) / n`; and the rounds are shared among the
/// group's sites in turn, counted across the pulses.
pub fn check_launch_plans(sc: &Scenario, p: &Prepared) -> Result<(), String> {
    let layered = sc.as_layered().expect("a layered scenario");
    for (g, group) in layered.raid.iter().enumerate() {
        let plans: Vec<_> = p.threats.iter().filter(|t| t.group == g).collect();
        let planned: usize = group.pulses.iter().map(|q| q.count as usize).sum();
        if plans.len() != group.count as usize || planned != plans.len() {
            return Err(format!(
                "group {}: {} plans, {} rounds, {planned} in its pulses",
                group.id,
                plans.len(),
                group.count
            ));
        }
        let sites = group.sites.count() as usize;
        let first = plans[0].trajectory;
        let mut round = 0;
        for (k, pulse) in group.pulses.iter().enumerate() {
            let (start, end) = pulse.window_s;
            for j in 0..pulse.count {
                let launch_s = plans[round].launch.as_s();
                let expected =
                    start + (end - start) * (f64::from(j) + 0.5) / f64::from(pulse.count);
                if (launch_s - expected).abs() > TIME_SLACK_S {
                    return Err(format!(
                        "group {}: round {j} of pulse {k} [{start}, {end}] planned at {launch_s} s, expected {expected} s",
                        group.id
                    ));
                }
                if plans[round].trajectory != first + round % sites {
                    return Err(format!(
                        "group {}: round {round} on trajectory {}, expected {} (sites in turn)",
                        group.id,
                        plans[round].trajectory,
                        first + round % sites
                    ));
                }
                round += 1;
            }
        }
    }
    Ok(())
}

/// Every law a run must obey; the first violation found, with its context, as an error.
pub fn check_run(
    sc: &Scenario,
    p: &Prepared,
    o: &Outcome,
    events: &[EngineEvent],
) -> Result<(), String> {
    let nt = p.threats.len();
    let nb = p.batteries.len();
    let ns = p.sensors.len();

    // Each threat has exactly one fate, and the log shows exactly one end for it.
    if o.threats.len() != nt {
        return Err(format!(
            "{} threat outcomes for {nt} threats",
            o.threats.len()
        ));
    }
    if o.batteries.len() != nb {
        return Err(format!(
            "{} battery tallies for {nb} batteries",
            o.batteries.len()
        ));
    }
    check_launch_plans(sc, p)?;

    let mut launches = vec![0u32; nt];
    let mut ends: Vec<Vec<&EngineEvent>> = vec![Vec::new(); nt];
    for e in events {
        let i = event_threat(e);
        if i >= nt {
            return Err(format!("event for threat {i} of {nt}: {e:?}"));
        }
        match e {
            EngineEvent::Launch { .. } => launches[i] += 1,
            EngineEvent::Intercept { killed: true, .. }
            | EngineEvent::Impact { .. }
            | EngineEvent::Failure { .. } => ends[i].push(e),
            _ => {}
        }
    }
    for i in 0..nt {
        if launches[i] != 1 {
            return Err(format!("threat {i} launched {} times", launches[i]));
        }
        if ends[i].len() != 1 {
            return Err(format!(
                "threat {i} ended {} times: {:?}",
                ends[i].len(),
                ends[i]
            ));
        }
        let fate = &o.threats[i];
        let consistent = match *ends[i][0] {
            EngineEvent::Intercept {
                time_s,
                battery,
                lat_deg,
                lon_deg,
                height_m,
                ..
            } => {
                fate.fate == Fate::Intercepted
                    && fate.battery == Some(battery)
                    && fate.time_s == time_s
                    && (fate.lat_deg, fate.lon_deg, fate.height_m) == (lat_deg, lon_deg, height_m)
            }
            EngineEvent::Impact {
                time_s,
                asset,
                lat_deg,
                lon_deg,
                ..
            } => {
                (fate.fate == Fate::Leaked
                    || (fate.fate == Fate::IgnoredOpenArea && asset.is_none()))
                    && fate.asset == asset
                    && fate.time_s == time_s
                    && (fate.lat_deg, fate.lon_deg, fate.height_m) == (lat_deg, lon_deg, 0.0)
            }
            EngineEvent::Failure { time_s, .. } => {
                fate.fate == Fate::FailedInFlight && fate.time_s == time_s
            }
            _ => false,
        };
        if !consistent {
            return Err(format!(
                "threat {i}: outcome {fate:?} but its end is {:?}",
                ends[i][0]
            ));
        }
    }

    // Shots never exceed rounds, and the tallies match the launches seen.
    let max_salvo = sc
        .as_layered()
        .expect("a layered scenario")
        .command
        .doctrine
        .shots_per_engagement;
    let mut shots = vec![0u32; nb];
    let mut kills = vec![0u32; nb];
    for e in events {
        match *e {
            EngineEvent::InterceptorLaunch {
                battery, shots: n, ..
            } => {
                if n == 0 || n > max_salvo {
                    return Err(format!("salvo of {n} (doctrine {max_salvo}): {e:?}"));
                }
                shots[battery] += n;
            }
            EngineEvent::Intercept {
                battery,
                killed: true,
                ..
            } => kills[battery] += 1,
            _ => {}
        }
    }
    for b in 0..nb {
        let tally = o.batteries[b];
        let (rounds, depot) = (p.batteries[b].rounds, p.batteries[b].depot_rounds);
        if tally.shots != shots[b]
            || tally.reloaded > depot
            || tally.shots > rounds + tally.reloaded
            || tally.rounds_left != rounds + tally.reloaded - tally.shots
        {
            return Err(format!(
                "battery {b}: {rounds} rounds and {depot} in the depot, tally {tally:?}, {} shots launched in the log",
                shots[b]
            ));
        }
        if tally.kills != kills[b] {
            return Err(format!(
                "battery {b}: tally {tally:?}, {} kills in the log",
                kills[b]
            ));
        }
    }

    // The costs of a run are its rounds fired at their batteries' prices, and its threats
    // launched at their types' (summed in another order: equal up to rounding).
    let defense: f64 = (0..nb)
        .map(|b| f64::from(shots[b]) * p.batteries[b].cost_usd)
        .sum();
    let offense: f64 = p.threats.iter().map(|t| p.types[t.group].cost_usd).sum();
    for (what, run, expected) in [
        ("defense", o.defense_cost_usd, defense),
        ("offense", o.offense_cost_usd, offense),
    ] {
        if (run - expected).abs() > 1e-9 * expected.abs() {
            return Err(format!(
                "{what} cost US${run} in the run, US${expected} from its shots and launches"
            ));
        }
    }

    // Engagements: each decision to fire is followed by its launch; a fire channel is held from
    // the decision to the intercept (which the log shows when the threat is still flying).
    struct Engagement {
        decided_s: f64,
        intercept_s: f64,
        seen: bool,
    }
    let mut pending: HashMap<(usize, usize), Vec<f64>> = HashMap::new();
    let mut engagements: HashMap<(usize, usize), Vec<Engagement>> = HashMap::new();
    for e in events {
        match *e {
            EngineEvent::Decision {
                time_s,
                threat,
                battery: Some(b),
                ..
            } => {
                pending.entry((b, threat)).or_default().push(time_s);
            }
            EngineEvent::InterceptorLaunch {
                time_s,
                battery,
                threat,
                intercept_s,
                ..
            } => {
                let queue = pending.entry((battery, threat)).or_default();
                if queue.is_empty() {
                    return Err(format!("launch without a decision: {e:?}"));
                }
                let decided_s = queue.remove(0);
                if !(decided_s <= time_s && time_s <= intercept_s) {
                    return Err(format!("decided at {decided_s} s, then {e:?}"));
                }
                engagements
                    .entry((battery, threat))
                    .or_default()
                    .push(Engagement {
                        decided_s,
                        intercept_s,
                        seen: false,
                    });
            }
            EngineEvent::Intercept {
                time_s,
                battery,
                threat,
                ..
            } => {
                let found = engagements
                    .get_mut(&(battery, threat))
                    .and_then(|list| list.iter_mut().find(|g| !g.seen && g.intercept_s == time_s));
                match found {
                    Some(g) => g.seen = true,
                    None => return Err(format!("intercept without a launch: {e:?}")),
                }
            }
            _ => {}
        }
    }
    if let Some(((b, i), q)) = pending.iter().find(|(_, q)| !q.is_empty()) {
        return Err(format!(
            "battery {b} decided to fire at threat {i} at {q:?} s, never launched"
        ));
    }
    for b in 0..nb {
        // (time, +1 take / -1 release); at equal times releases first.
        let mut sweep: Vec<(f64, i32)> = engagements
            .iter()
            .filter(|((eb, _), _)| *eb == b)
            .flat_map(|(_, list)| {
                list.iter()
                    .flat_map(|g| [(g.decided_s, 1), (g.intercept_s, -1)])
            })
            .collect();
        sweep.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let mut busy = 0i32;
        for (t, d) in sweep {
            busy += d;
            if busy > p.batteries[b].fire_channels as i32 {
                return Err(format!(
                    "battery {b}: {busy} engagements at {t} s with {} fire channels",
                    p.batteries[b].fire_channels
                ));
            }
        }
    }
    // Without double engagement, a threat is engaged once at a time: no decision fires at it
    // from the decision of another engagement of it to that engagement's intercept.
    if !p.double_engagement {
        let mut by_threat: HashMap<usize, Vec<(f64, f64)>> = HashMap::new();
        for (&(_, i), list) in &engagements {
            let spans = list.iter().map(|g| (g.decided_s, g.intercept_s));
            by_threat.entry(i).or_default().extend(spans);
        }
        for (i, spans) in &mut by_threat {
            spans.sort_by(|x, y| x.0.total_cmp(&y.0));
            if let Some(w) = spans.windows(2).find(|w| w[1].0 < w[0].1) {
                return Err(format!(
                    "threat {i}: engaged at {} s while its engagement decided at {} s flew until {} s",
                    w[1].0, w[0].0, w[0].1
                ));
            }
        }
    }

    // No interceptor before a track it may fire on plus the battery's reaction time.
    let mut first_track: HashMap<(usize, usize), f64> = HashMap::new();
    for e in events {
        if let EngineEvent::Track {
            time_s,
            sensor,
            threat,
        } = *e
        {
            if sensor >= ns {
                return Err(format!("track on sensor {sensor} of {ns}: {e:?}"));
            }
            let t = first_track.entry((sensor, threat)).or_insert(time_s);
            *t = t.min(time_s);
        }
    }
    for e in events {
        if let EngineEvent::InterceptorLaunch {
            time_s,
            battery,
            threat,
            ..
        } = *e
        {
            // Runs play the type's nominal reaction time, and the nominal network delay.
            let reaction_s = battery_param(sc, battery, "reaction_time_s");
            let b = &p.batteries[battery];
            let delay_s = p.parameters.range(b.network_delay_s).nominal;
            let first = |s: usize| first_track.get(&(s, threat)).copied();
            let own = b.radar.and_then(first).unwrap_or(f64::INFINITY);
            let remote = if b.remote_tracks {
                (0..ns).filter_map(first).fold(f64::INFINITY, f64::min) + delay_s
            } else {
                f64::INFINITY
            };
            let track = own.min(remote);
            if time_s < track + reaction_s - TIME_SLACK_S {
                return Err(format!(
                    "{e:?}: first usable track at {track} s, reaction {reaction_s} s (remote tracks {})",
                    b.remote_tracks
                ));
            }
        }
    }

    // Tracks form only while the radar covers the threat, and never exceed its capacity (a
    // track ends when the radar loses it or the threat ends).
    let mut launch_s = vec![f64::NAN; nt];
    let mut end_s = vec![f64::INFINITY; nt];
    for e in events {
        match *e {
            EngineEvent::Launch { time_s, threat } => launch_s[threat] = time_s,
            EngineEvent::Intercept {
                time_s,
                threat,
                killed: true,
                ..
            }
            | EngineEvent::Impact { time_s, threat, .. }
            | EngineEvent::Failure { time_s, threat } => end_s[threat] = time_s,
            _ => {}
        }
    }
    let mut held: HashMap<(usize, usize), f64> = HashMap::new();
    let mut spans: Vec<Vec<(f64, i32)>> = vec![Vec::new(); ns];
    for e in events {
        match *e {
            EngineEvent::Track {
                time_s,
                sensor,
                threat,
            } => {
                let since = time_s - launch_s[threat];
                let covered = p.coverage[p.threats[threat].trajectory]
                    .iter()
                    .filter(|c| c.sensor == sensor)
                    .flat_map(|c| c.intervals.iter())
                    .any(|&(a, b)| {
                        a.as_s() - TIME_SLACK_S <= since && since <= b.as_s() + TIME_SLACK_S
                    });
                if !covered {
                    return Err(format!(
                        "{e:?}: {since} s after launch, outside the sensor's coverage"
                    ));
                }
                if held.insert((sensor, threat), time_s).is_some() {
                    return Err(format!("{e:?}: a second track while the first is held"));
                }
            }
            EngineEvent::TrackLost {
                time_s,
                sensor,
                threat,
            } => {
                if let Some(start) = held.remove(&(sensor, threat)) {
                    spans[sensor].push((start, 1));
                    spans[sensor].push((time_s.min(end_s[threat]), -1));
                }
            }
            _ => {}
        }
    }
    for ((sensor, threat), start) in held {
        spans[sensor].push((start, 1));
        spans[sensor].push((end_s[threat], -1));
    }
    for (s, mut sweep) in spans.into_iter().enumerate() {
        let SensorKind::Radar { track_capacity, .. } = p.sensors[s].kind else {
            continue;
        };
        sweep.sort_by(|x, y| x.0.total_cmp(&y.0).then(x.1.cmp(&y.1)));
        let mut active = 0i32;
        for (t, d) in sweep {
            active += d;
            if active > track_capacity as i32 {
                return Err(format!(
                    "sensor {s}: {active} tracks at {t} s, capacity {track_capacity}"
                ));
            }
        }
    }

    // Every intercept lies inside its interceptor's envelope.
    for e in events {
        if let EngineEvent::Intercept {
            battery,
            lat_deg,
            lon_deg,
            height_m,
            ..
        } = *e
        {
            let (min_alt, max_alt) = (
                battery_param(sc, battery, "min_altitude_km"),
                battery_param(sc, battery, "max_altitude_km"),
            );
            let (min_range, max_range) = (
                battery_param(sc, battery, "min_range_km"),
                battery_param(sc, battery, "max_range_km"),
            );
            if height_m < min_alt - ENVELOPE_SLACK_M || height_m > max_alt + ENVELOPE_SLACK_M {
                return Err(format!("{e:?}: height outside [{min_alt}, {max_alt}] m"));
            }
            // Ground distance in the battery's local horizontal plane, as the envelope's range
            // is defined (a great-circle distance differs from it by up to a few hundred metres
            // for high intercepts at long range).
            let point = Geodetic::from_degrees(lat_deg, lon_deg, height_m)
                .map_err(|err| format!("{e:?}: {err}"))?
                .to_ecef();
            let enu = EnuFrame::at(p.batteries[battery].position).position_to_enu(point);
            let ground = enu.x.hypot(enu.y);
            if ground < min_range - ENVELOPE_SLACK_M || ground > max_range + ENVELOPE_SLACK_M {
                return Err(format!(
                    "{e:?}: {ground:.1} m from battery {battery}, outside [{min_range}, {max_range}] m"
                ));
            }
        }
    }
    Ok(())
}
