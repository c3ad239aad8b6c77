//! Civil warning in runs, checked by hand geometry: which zones sound their sirens and when,
//! false alarms, warnings too late, and the cost of a manoeuvring threat's wider prediction.
//!
//! The zones are 5 km squares (in degrees of a flat-Earth offset) written to a GeoJSON file
//! around a city; one Iskander-M flies 200 km at the city, tracked by a Green Pine radar, with
//! no interceptor in the way. The checks read the event log and the [`Outcome`], and redo the
//! geometry with their own code in the plane of the threat's nominal impact point.

mod common;

use common::{Log, mean_se};

use std::path::{Path, PathBuf};

use skyshield_engine::{
    DefaultPolicy, EngineEvent, Outcome, Prepared, Replication, SensorKind, confidence_sigmas,
    prepare,
};
use skyshield_physics::earth::{EnuFrame, Geodetic};

const CITY: (f64, f64) = (31.50, 34.60);
const KM_PER_DEG: f64 = 111.32;
/// Zones: `CELLS × CELLS` squares of `CELL_KM`, centred on the city.
const CELLS: i32 = 16;
const CELL_KM: f64 = 5.0;
const ZONE_PEOPLE: f64 = 1000.0;
const SHELTER_S: f64 = 60.0;

fn offset(north_km: f64, east_km: f64) -> (f64, f64) {
    (
        CITY.0 + north_km / KM_PER_DEG,
        CITY.1 + east_km / (KM_PER_DEG * CITY.0.to_radians().cos()),
    )
}

/// The corners `(lat, lon)` of zone `(i, j)`, counter-clockwise.
fn corners(i: i32, j: i32) -> [(f64, f64); 4] {
    let half = f64::from(CELLS) * CELL_KM / 2.0;
    let (s, w) = (f64::from(i) * CELL_KM - half, f64::from(j) * CELL_KM - half);
    [
        offset(s, w),
        offset(s, w + CELL_KM),
        offset(s + CELL_KM, w + CELL_KM),
        offset(s + CELL_KM, w),
    ]
}

/// Writes the zones file in a folder of its own and returns the folder.
fn zones_folder(case: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("warning")
        .join(case);
    std::fs::create_dir_all(&dir).expect("dir");
    let mut features = Vec::new();
    for i in 0..CELLS {
        for j in 0..CELLS {
            let c = corners(i, j);
            let ring: Vec<String> = c
                .iter()
                .chain(&c[..1])
                .map(|(lat, lon)| format!("[{lon:.8}, {lat:.8}]"))
                .collect();
            features.push(format!(
                "{{\"type\": \"Feature\", \"properties\": {{\"name\": \"z-{i}-{j}\", \"population\": {ZONE_PEOPLE}, \"shelter_time_s\": {SHELTER_S}}}, \
                 \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[{}]]}}}}",
                ring.join(", ")
            ));
        }
    }
    std::fs::write(
        dir.join("zones.geojson"),
        format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [{}]}}",
            features.join(",\n")
        ),
    )
    .expect("write");
    dir
}

/// The scenario: one Iskander-M (manoeuvre `manoeuvre_g`) from 200 km east at the city.
fn prepared(case: &str, manoeuvre_g: f64, warning: &str) -> Prepared {
    prepared_with(case, manoeuvre_g, warning, "", "", 1)
}

/// [`prepared`] with more sensors and batteries (YAML list items), and `count` Iskanders fired
/// a minute apart.
fn prepared_with(
    case: &str,
    manoeuvre_g: f64,
    warning: &str,
    sensors: &str,
    batteries: &str,
    count: u32,
) -> Prepared {
    let dir = zones_folder(case);
    let site = offset(0.0, 200.0);
    let text = format!(
        "name: {case}\nassets:\n  - {{id: city, circle: {{center: [{}, {}], radius_km: 8}}, population: 100000}}\n\
         sensors:\n  - {{id: r-bmd, type: green-pine, at: [31.45, 34.55], facing_deg: 90}}\n{sensors}\
         batteries:\n{batteries}\
         command: {{decision_latency_s: 2}}\n\
         raid:\n  - {{id: isk, threat: iskander-m, count: {count}, launch: {{sites: [[{}, {}]], window_s: [0, {window}]}}, target: city, \
         overrides: {{reliability: 1.0, terminal_manoeuvre_g: {manoeuvre_g}}}}}\n\
         warning: {{zones: {{geojson: zones.geojson}}, {warning}}}\n",
        CITY.0,
        CITY.1,
        site.0,
        site.1,
        window = 60 * count.saturating_sub(1)
    );
    let sc = skyshield_scenario::from_str(&text, &dir.join("scenario.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"));
    prepare(&sc).unwrap_or_else(|e| panic!("cannot prepare: {e}"))
}

fn play(rep: &mut Replication, p: &Prepared, run: u64) -> (Outcome, Vec<EngineEvent>) {
    let mut log = Log::default();
    let o = rep.run_with(p, 7, run, &DefaultPolicy, &mut log).clone();
    (o, log.0)
}

/// Distance from `q` to the polygon `v` (convex, counter-clockwise) in the plane: 0 inside.
fn distance_to_convex(v: &[(f64, f64)], q: (f64, f64)) -> f64 {
    let n = v.len();
    let inside = (0..n).all(|k| {
        let (a, b) = (v[k], v[(k + 1) % n]);
        (b.0 - a.0) * (q.1 - a.1) - (b.1 - a.1) * (q.0 - a.0) >= 0.0
    });
    if inside {
        return 0.0;
    }
    (0..n)
        .map(|k| {
            let (a, b) = (v[k], v[(k + 1) % n]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let t = (((q.0 - a.0) * dx + (q.1 - a.1) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            (a.0 + t * dx - q.0).hypot(a.1 + t * dy - q.1)
        })
        .fold(f64::INFINITY, f64::min)
}

/// Zone index (the file's feature order) of zone `(i, j)`.
fn zone_index(i: i32, j: i32) -> usize {
    (i * CELLS + j) as usize
}

/// Every zone as a polygon in the plane of the nominal impact point of `p`'s one trajectory.
fn plane_zones(p: &Prepared) -> Vec<Vec<(f64, f64)>> {
    let frame = EnuFrame::at(p.trajectories[0].impact.point().with_height_m(0.0));
    let mut out = vec![Vec::new(); (CELLS * CELLS) as usize];
    for i in 0..CELLS {
        for j in 0..CELLS {
            out[zone_index(i, j)] = corners(i, j)
                .iter()
                .map(|&(lat, lon)| {
                    let g = Geodetic::from_degrees(lat, lon, 0.0).expect("corner");
                    let v = frame.position_to_enu(g.to_ecef());
                    (v.x, v.y)
                })
                .collect();
        }
    }
    out
}

struct Timeline {
    first_track_s: f64,
    impact_s: f64,
    /// (time, zone, east, north, radius)
    sirens: Vec<(f64, usize, f64, f64, f64)>,
}

fn timeline(events: &[EngineEvent]) -> Timeline {
    let first_track_s = events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Track { time_s, .. } => Some(time_s),
            _ => None,
        })
        .fold(f64::INFINITY, f64::min);
    let impact_s = events
        .iter()
        .find_map(|e| match *e {
            EngineEvent::Impact { time_s, .. } => Some(time_s),
            _ => None,
        })
        .expect("the threat lands");
    let sirens = sirens(events);
    Timeline {
        first_track_s,
        impact_s,
        sirens,
    }
}

/// The prediction error of a ballistic threat's track after `updates` updates at
/// `time_to_go_s` from impact, as the engine's documentation states it: a velocity error of
/// 50 m/s that halves over 20 updates, carried over the time to go, no less than 200 m.
fn documented_sigma_m(updates: f64, time_to_go_s: f64) -> f64 {
    (50.0 * 20.0 / (20.0 + updates) * time_to_go_s).max(200.0)
}

/// The time between the updates of a held track of radar `s` of `p`, s.
fn revisit_s(p: &mut Prepared, s: usize) -> &mut f64 {
    let SensorKind::Radar {
        track_revisit_s, ..
    } = &mut p.sensors[s].kind
    else {
        panic!("sensor {s} is a radar");
    };
    track_revisit_s
}

#[test]
fn sirens_sound_in_exactly_the_zones_the_prediction_region_covers() {
    let p = prepared("covered", 0.0, "min_lead_s: 60, warn_debris: false");
    let zones = plane_zones(&p);
    let k = confidence_sigmas(0.95);
    assert!((k - (-2.0 * 0.05f64.ln()).sqrt()).abs() < 1e-12);
    let mut rep = Replication::new();
    for run in 0..30 {
        let (_, events) = play(&mut rep, &p, run);
        let t = timeline(&events);
        assert!(t.first_track_s.is_finite(), "run {run}: never tracked");
        // The policy waits until 60 s before the impact (the track is older than that).
        let decide_s = t.first_track_s.max(t.impact_s - 60.0);
        let first: Vec<_> = t
            .sirens
            .iter()
            .filter(|s| (s.0 - decide_s).abs() < 1e-6)
            .collect();
        assert!(!first.is_empty(), "run {run}: no siren at {decide_s} s");
        assert!(
            t.sirens.iter().all(|s| s.0 >= decide_s - 1e-6),
            "run {run}: a siren before the decision time"
        );
        // The region: k σ of a track of this age, about the predicted point; Green Pine
        // updates its tracks every second.
        let sigma = documented_sigma_m(decide_s - t.first_track_s, t.impact_s - decide_s);
        let (e, n, radius) = (first[0].2, first[0].3, first[0].4);
        assert!(
            (radius - k * sigma).abs() < 1e-6 * radius,
            "run {run}: radius {radius} m, k σ = {} m",
            k * sigma
        );
        let mut expected: Vec<usize> = (0..zones.len())
            .filter(|&z| distance_to_convex(&zones[z], (e, n)) <= radius)
            .collect();
        let mut got: Vec<usize> = first.iter().map(|s| s.1).collect();
        expected.sort_unstable();
        got.sort_unstable();
        assert_eq!(
            got, expected,
            "run {run}: region of {radius:.0} m about ({e:.0}, {n:.0})"
        );
        // Not trivially all or one: the region holds several zones and leaves most.
        assert!(
            got.len() > 1 && got.len() < zones.len() / 2,
            "run {run}: {got:?}"
        );
    }
}

/// A track's prediction narrows with its updates, which come at the radar's own revisit rate:
/// the region of the first siren is k σ of a track with (age / revisit) updates, so a radar that
/// revisits its tracks every 4 s warns a wider region than one that revisits them every 0.5 s,
/// in the same run. A rotating radar updates its tracks once per scan.
#[test]
fn the_prediction_narrows_with_the_track_updates_at_the_radars_own_revisit_rate() {
    let k = confidence_sigmas(0.95);
    let runs = 30;
    let mut radii = Vec::new();
    for revisit in [0.5, 4.0] {
        let mut p = prepared("revisit", 0.0, "min_lead_s: 60, warn_debris: false");
        *revisit_s(&mut p, 0) = revisit;
        let mut rep = Replication::new();
        let mut first = Vec::new();
        for run in 0..runs {
            let (_, events) = play(&mut rep, &p, run);
            let t = timeline(&events);
            let decide_s = t.first_track_s.max(t.impact_s - 60.0);
            let radius = t
                .sirens
                .iter()
                .find(|s| (s.0 - decide_s).abs() < 1e-6)
                .unwrap_or_else(|| panic!("run {run}: no siren at {decide_s} s"))
                .4;
            let updates = (decide_s - t.first_track_s) / revisit;
            let sigma = documented_sigma_m(updates, t.impact_s - decide_s);
            assert!(
                (radius - k * sigma).abs() < 1e-6 * radius,
                "run {run}, revisit {revisit} s: radius {radius} m, k σ = {} m for {updates} \
                 updates",
                k * sigma
            );
            first.push(radius);
        }
        radii.push(first);
    }
    let wider = (0..runs as usize)
        .filter(|&r| radii[1][r] > 1.1 * radii[0][r])
        .count();
    assert!(
        wider == runs as usize,
        "the 4 s revisit warned a region over 10 % wider in only {wider} of {runs} runs"
    );
    // A rotating radar's tracks are updated once per scan.
    let p = prepared_with(
        "rotating",
        0.0,
        "min_lead_s: 60, warn_debris: false",
        "  - {id: r-rot, type: green-pine, at: [31.45, 34.55], facing_deg: 90, overrides: {scanning: rotating, scan_period_s: 6}}\n",
        "",
        1,
    );
    let SensorKind::Radar {
        track_revisit_s,
        scan_period_s,
        ..
    } = p.sensors[1].kind
    else {
        panic!("sensor 1 is a radar");
    };
    assert_eq!((track_revisit_s, scan_period_s), (6.0, 6.0));
}

#[test]
fn alerted_zones_without_an_impact_are_false_alarms() {
    let p = prepared("false-alarm", 0.0, "min_lead_s: 60, warn_debris: false");
    let mut rep = Replication::new();
    for run in 0..20 {
        let (o, events) = play(&mut rep, &p, run);
        let t = timeline(&events);
        let w = &o.warning;
        assert_eq!(w.impacts.len(), 1, "run {run}: one impact in the zones");
        let hit = w.impacts[0].zone;
        let mut alerted: Vec<usize> = t.sirens.iter().map(|s| s.1).collect();
        alerted.sort_unstable();
        alerted.dedup();
        let false_alarms = alerted.iter().filter(|&&z| z != hit).count();
        assert!(false_alarms > 0, "run {run}: {alerted:?}");
        assert_eq!(w.false_alarm_zones as usize, false_alarms, "run {run}");
        assert_eq!(w.false_alarm_people, ZONE_PEOPLE * false_alarms as f64);
        for &z in &alerted {
            assert_eq!(w.zones[z].alerts, 1, "run {run}: one alert period in {z}");
            assert_eq!(w.zones[z].impacts, u32::from(z == hit));
        }
        // Everyone alerted stays under alert from the siren to the impact plus 10 minutes.
        let minutes: f64 = t
            .sirens
            .iter()
            .map(|s| ZONE_PEOPLE * (t.impact_s - s.0 + 600.0) / 60.0)
            .sum();
        assert!(
            (w.people_minutes - minutes).abs() < 1e-6 * minutes,
            "run {run}: {} people-minutes, {minutes} by hand",
            w.people_minutes
        );
    }
}

#[test]
fn a_siren_twenty_seconds_before_impact_is_too_late_for_a_sixty_second_shelter() {
    let late = prepared("too-late", 0.0, "min_lead_s: 20, warn_debris: false");
    let early = prepared("in-time", 0.0, "min_lead_s: 90, warn_debris: false");
    let mut rep = Replication::new();
    for run in 0..10 {
        let (o, events) = play(&mut rep, &late, run);
        let t = timeline(&events);
        assert!(t.first_track_s < t.impact_s - 20.0);
        let impact = o.warning.impacts[0];
        let hit_sirens: Vec<f64> = t
            .sirens
            .iter()
            .filter(|s| s.1 == impact.zone)
            .map(|s| s.0)
            .collect();
        // The zone hit sounded 20 s before the impact (or later, or not at all).
        assert!(
            hit_sirens.iter().all(|&s| s >= t.impact_s - 20.0 - 1e-6),
            "run {run}: {hit_sirens:?}"
        );
        assert!(impact.lead_s <= 20.0 + 1e-6, "run {run}: {}", impact.lead_s);
        if hit_sirens
            .iter()
            .any(|&s| (s - (t.impact_s - 20.0)).abs() < 1e-6)
        {
            assert!((impact.lead_s - 20.0).abs() < 1e-6, "run {run}");
        }
        assert_eq!(o.warning.too_late_people, ZONE_PEOPLE, "run {run}");
        assert!(o.warning.zones[impact.zone].too_late);

        // With 90 s aimed for, an impact in a zone sounded at the first decision is in time.
        let (o, events) = play(&mut rep, &early, run);
        let t = timeline(&events);
        let impact = o.warning.impacts[0];
        let decide_s = t.first_track_s.max(t.impact_s - 90.0);
        let warned_first = t
            .sirens
            .iter()
            .any(|s| s.1 == impact.zone && (s.0 - decide_s).abs() < 1e-6);
        if warned_first {
            assert!((impact.lead_s - (t.impact_s - decide_s)).abs() < 1e-6);
            assert_eq!(o.warning.too_late_people, 0.0, "run {run}");
        }
    }
}

#[test]
fn a_manoeuvring_threat_alerts_more_zones_for_nothing_than_a_ballistic_one() {
    let runs = 200;
    let per_run = |manoeuvre_g: f64, case: &str| -> Vec<f64> {
        let p = prepared(case, manoeuvre_g, "min_lead_s: 60, warn_debris: false");
        let mut rep = Replication::new();
        (0..runs)
            .map(|run| f64::from(rep.run(&p, 7, run).warning.false_alarm_zones))
            .collect()
    };
    let (ballistic, se_b) = mean_se(&per_run(0.0, "ballistic"));
    let (manoeuvring, se_m) = mean_se(&per_run(20.0, "manoeuvring"));
    // The 20 g manoeuvre adds ½·a·t² = 2.45 km to σ for the same track: a wider region.
    assert!(
        manoeuvring - ballistic > 3.0 * se_b.hypot(se_m),
        "false-alarm zones per run: manoeuvring {manoeuvring:.2} ± {se_m:.2}, ballistic {ballistic:.2} ± {se_b:.2}"
    );
}

/// The sirens of `events`, as (time, zone, east, north, radius).
fn sirens(events: &[EngineEvent]) -> Vec<(f64, usize, f64, f64, f64)> {
    events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Siren {
                time_s,
                zone,
                east_m,
                north_m,
                radius_m,
                ..
            } => Some((time_s, zone, east_m, north_m, radius_m)),
            _ => None,
        })
        .collect()
}

/// The events of `events` of kind Intercept, as (time, killed, lat, lon, height).
fn intercepts(events: &[EngineEvent]) -> Vec<(f64, bool, f64, f64, f64)> {
    events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Intercept {
                time_s,
                killed,
                lat_deg,
                lon_deg,
                height_m,
                ..
            } => Some((time_s, killed, lat_deg, lon_deg, height_m)),
            _ => None,
        })
        .collect()
}

#[test]
fn with_warn_debris_an_intercept_sounds_the_zones_about_its_debris_fall_point_and_the_debris_lands_after_the_fall()
 {
    // A PAC-3 MSE 40 km west of the city that always kills: it meets the Iskander at the edge
    // of its reach, over the zones east of the city.
    let site = offset(0.0, -40.0);
    let battery = format!(
        "  - {{id: pac3, type: pac-3-mse, at: [{}, {}], overrides: {{kill_probability: 1.0}}}}\n",
        site.0, site.1
    );
    let warned = prepared_with(
        "debris",
        0.0,
        "min_lead_s: 60, warn_debris: true",
        "",
        &battery,
        1,
    );
    let silent = prepared_with(
        "no-debris",
        0.0,
        "min_lead_s: 60, warn_debris: false",
        "",
        &battery,
        1,
    );
    let k = confidence_sigmas(0.95);
    let zones = plane_zones(&warned);
    let frame = EnuFrame::at(warned.trajectories[0].impact.point().with_height_m(0.0));
    let plane = |lat: f64, lon: f64| {
        let v = frame.position_to_enu(Geodetic::from_degrees(lat, lon, 0.0).unwrap().to_ecef());
        (v.x, v.y)
    };
    let mut rep = Replication::new();
    let mut debris_impacts = 0;
    for run in 0..20 {
        let (o, events) = play(&mut rep, &warned, run);
        let kills: Vec<_> = intercepts(&events).into_iter().filter(|i| i.1).collect();
        assert_eq!(kills.len(), 1, "run {run}: the Iskander is killed");
        let (t_kill, _, lat, lon, _) = kills[0];
        let window = warned.opportunities[0]
            .iter()
            .flat_map(|o| &o.windows)
            .find(|w| (w.ground.point().lat_deg(), w.ground.point().lon_deg()) == (lat, lon))
            .expect("the window of the kill");
        // Sirens at the intercept: a circle of k debris standard deviations (1 km per axis)
        // about the debris' mean fall point, every zone it meets that had not sounded yet.
        let sounded = sirens(&events);
        let at_kill: Vec<_> = sounded
            .iter()
            .filter(|s| (s.0 - t_kill).abs() < 1e-6)
            .collect();
        let fall = window.debris.point();
        let centre = plane(fall.lat_deg(), fall.lon_deg());
        for s in &at_kill {
            assert!(
                (s.4 - k * 1_000.0).abs() < 1e-6,
                "run {run}: debris region of {} m",
                s.4
            );
            assert!(
                (s.2 - centre.0).hypot(s.3 - centre.1) < 1.0,
                "run {run}: debris region about ({}, {}), debris fall point {centre:?}",
                s.2,
                s.3
            );
            assert!(distance_to_convex(&zones[s.1], centre) <= k * 1_000.0 + 1e-6);
        }
        // The debris lands its fall time after the intercept, in the zone holding its point.
        let fall_s = window.debris_fall.as_s();
        let debris = o.threats[0].debris.expect("debris of an intercept");
        let (de, dn) = plane(debris.0, debris.1);
        let holding = (0..zones.len()).find(|&z| distance_to_convex(&zones[z], (de, dn)) == 0.0);
        let impacts: Vec<_> = o.warning.impacts.iter().filter(|i| i.debris).collect();
        match holding {
            Some(z) => {
                assert_eq!(impacts.len(), 1, "run {run}: debris in zone {z}");
                assert_eq!(impacts[0].zone, z, "run {run}");
                assert!(
                    (impacts[0].time_s - (t_kill + fall_s)).abs() < 1e-6,
                    "run {run}: debris lands at {} s, expected {} s",
                    impacts[0].time_s,
                    t_kill + fall_s
                );
                debris_impacts += 1;
            }
            None => assert!(impacts.is_empty(), "run {run}: debris outside the zones"),
        }
        // Without warn_debris the same run has no siren at the intercept and no debris impact.
        let (o, events) = play(&mut rep, &silent, run);
        let t_kill = intercepts(&events)
            .into_iter()
            .find(|i| i.1)
            .expect("killed")
            .0;
        assert!(
            !sirens(&events)
                .iter()
                .any(|s| (s.0 - t_kill).abs() < 1e-6 && (s.4 - k * 1_000.0).abs() < 1e-6),
            "run {run}: a debris siren without warn_debris"
        );
        assert!(o.warning.impacts.iter().all(|i| !i.debris), "run {run}");
    }
    assert!(debris_impacts > 0, "no debris fell in a zone in 20 runs");
}

/// The times of a run's early warnings.
fn early_warnings(events: &[EngineEvent]) -> Vec<f64> {
    events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::EarlyWarning { time_s, .. } => Some(time_s),
            _ => None,
        })
        .collect()
}

#[test]
fn the_early_warning_comes_at_the_space_cue_or_else_the_first_track_and_leads_the_arrival() {
    let tracked_only = prepared("early-track", 0.0, "min_lead_s: 60, warn_debris: false");
    let mut cued = prepared_with(
        "early-cue",
        0.0,
        "min_lead_s: 60, warn_debris: false",
        "  - {id: ew, type: space-ir}\n",
        "",
        1,
    );
    // A latency of 5 s puts the cue before the radar's first track (some 15 s after launch).
    let latency = 5.0;
    let id = cued.parameters.add(
        "test latency".into(),
        skyshield_scenario::Uncertain::exact(latency),
    );
    let SensorKind::SpaceIr { latency_s, .. } = &mut cued.sensors[1].kind else {
        panic!("sensor 1 is space infrared");
    };
    *latency_s = id;
    let seen_from = cued.coverage[0]
        .iter()
        .find(|c| c.sensor == 1)
        .expect("space infrared sees the Iskander's boost")
        .intervals[0]
        .0;
    let mut rep = Replication::new();
    let (mut cues, mut cue_first) = (0, 0);
    for run in 0..20 {
        let (o, events) = play(&mut rep, &tracked_only, run);
        let t = timeline(&events);
        let early = early_warnings(&events);
        assert_eq!(
            early,
            [t.first_track_s],
            "run {run}: early warning at the first track"
        );
        assert_eq!(o.warning.early_warning_lead_s.len(), 1);
        assert!(
            (o.warning.early_warning_lead_s[0] - (t.impact_s - t.first_track_s)).abs() < 1e-6,
            "run {run}: lead {} s",
            o.warning.early_warning_lead_s[0]
        );

        let (o, events) = play(&mut rep, &cued, run);
        let t = timeline(&events);
        let launch = o.threats[0].launch_s;
        let early = early_warnings(&events);
        // Space infrared reports the launch after its latency; the first track, when it comes
        // before, is the early warning; the lead time runs from the earlier of the two.
        let cue = launch + seen_from.as_s() + latency;
        let cued_now = early.iter().any(|&e| (e - cue).abs() < 1e-6);
        let warned = if cued_now {
            cues += 1;
            cue_first += usize::from(cue < t.first_track_s);
            cue.min(t.first_track_s)
        } else {
            t.first_track_s
        };
        let expected: Vec<f64> = if !cued_now {
            vec![t.first_track_s]
        } else if t.first_track_s < cue {
            vec![t.first_track_s, cue]
        } else {
            vec![cue]
        };
        assert_eq!(
            early.len(),
            expected.len(),
            "run {run}: {early:?}, expected {expected:?}"
        );
        for (e, x) in early.iter().zip(&expected) {
            assert!(
                (e - x).abs() < 1e-6,
                "run {run}: {early:?}, expected {expected:?}"
            );
        }
        assert!(
            (o.warning.early_warning_lead_s[0] - (t.impact_s - warned)).abs() < 1e-6,
            "run {run}: lead {} s, expected {} s",
            o.warning.early_warning_lead_s[0],
            t.impact_s - warned
        );
    }
    assert!(cues > 10, "space infrared cued {cues} of 20 runs");
    assert!(
        cue_first > 10,
        "the cue came first in {cue_first} of 20 runs"
    );
}

/// With no aim error, a siren region is centred on the impact prediction: the nominal impact
/// point plus σ·z, where z is drawn once per track, each coordinate standard normal, and σ is
/// the region's radius over its `k`. So the centre over σ is the same z at every siren of a
/// run, and over the runs its coordinates have mean 0 and variance 1.
#[test]
fn siren_regions_are_centred_on_a_prediction_off_by_sigma_times_a_standard_normal_draw() {
    let mut p = prepared("centred", 0.0, "min_lead_s: 60, warn_debris: false");
    p.types[0].cep_m = p
        .parameters
        .add("cep".into(), skyshield_scenario::Uncertain::exact(0.0));
    let k = confidence_sigmas(0.95);
    let mut rep = Replication::new();
    let (mut ze, mut zn) = (Vec::new(), Vec::new());
    for run in 0..400 {
        let (_, events) = play(&mut rep, &p, run);
        let t = timeline(&events);
        let Some(&(_, _, e0, n0, r0)) = t.sirens.first() else {
            continue;
        };
        let z = (e0 * k / r0, n0 * k / r0);
        for &(time_s, _, e, n, r) in &t.sirens {
            let sigma = r / k;
            assert!(
                (e / sigma - z.0).abs() < 1e-6 && (n / sigma - z.1).abs() < 1e-6,
                "run {run}: the siren at {time_s} s is centred at ({e}, {n}) m, σ {sigma} m, not \
                 at σ·z for z = {z:?}"
            );
        }
        ze.push(z.0);
        zn.push(z.1);
    }
    assert!(ze.len() >= 300, "only {} runs with a siren", ze.len());
    for (name, z) in [("east", &ze), ("north", &zn)] {
        let (mean, se) = mean_se(z);
        assert!(mean.abs() <= 4.0 * se, "{name}: mean {mean} ± {se}");
        // The sample variance of n standard normal draws has standard error √(2/(n − 1)).
        let var = z.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (z.len() - 1) as f64;
        let se_var = (2.0 / (z.len() - 1) as f64).sqrt();
        assert!(
            (var - 1.0).abs() <= 4.0 * se_var,
            "{name}: variance {var} ± {se_var}"
        );
    }
}

/// A zone's lead time for an impact runs from the siren that sounded for that threat, even when
/// the zone was already sheltering for an earlier one: of two Iskanders a minute apart at the
/// city, the second's lead is from its own siren, a minute after the zone's alert began.
#[test]
fn the_lead_time_of_an_impact_runs_from_its_own_threats_siren() {
    let p = prepared_with(
        "two-threats",
        0.0,
        "min_lead_s: 60, warn_debris: false",
        "",
        "",
        2,
    );
    let mut rep = Replication::new();
    let mut later_sirens = 0;
    for run in 0..20 {
        let (o, events) = play(&mut rep, &p, run);
        let siren = |zone: usize, threat: usize| {
            events.iter().find_map(|e| match *e {
                EngineEvent::Siren {
                    time_s,
                    zone: z,
                    threat: i,
                    ..
                } if (z, i) == (zone, threat) => Some(time_s),
                _ => None,
            })
        };
        for impact in &o.warning.impacts {
            let Some(at) = siren(impact.zone, impact.threat).filter(|&at| at <= impact.time_s)
            else {
                continue;
            };
            assert!(
                (impact.lead_s - (impact.time_s - at)).abs() < 1e-6,
                "run {run}: {impact:?}, its siren at {at} s"
            );
            let other = 1 - impact.threat;
            later_sirens += usize::from(siren(impact.zone, other).is_some_and(|t| t < at));
        }
    }
    assert!(
        later_sirens >= 10,
        "only {later_sirens} impacts in a zone already sheltering"
    );
}

/// When threat `i` of a run ends for its zones' alerts, s: its debris landing when it was killed
/// with debris warned for (the intercept plus the fall time of the window met), else the end
/// of its flight.
fn alert_end_s(p: &Prepared, o: &Outcome, events: &[EngineEvent], i: usize) -> f64 {
    let killed = events.iter().find_map(|e| match *e {
        EngineEvent::Intercept {
            time_s,
            threat,
            killed: true,
            lat_deg,
            lon_deg,
            ..
        } if threat == i => Some((time_s, lat_deg, lon_deg)),
        _ => None,
    });
    match killed {
        Some((t_kill, lat, lon)) if o.threats[i].debris.is_some() => {
            let window = p.opportunities[p.threats[i].trajectory]
                .iter()
                .flat_map(|o| &o.windows)
                .find(|w| (w.ground.point().lat_deg(), w.ground.point().lon_deg()) == (lat, lon))
                .expect("the window of the kill");
            t_kill + window.debris_fall.as_s()
        }
        _ => o.threats[i].time_s,
    }
}

/// Every warning figure of a run, worked out again from its sirens, its impacts in zones and
/// its threats' ends as the module documentation states them: eight Iskanders launched at
/// random over seven minutes at the city, a PAC-3 MSE that kills half of what it meets (with
/// debris warned for), an all-clear of 30 s, and space infrared that reports launches after
/// 60 s while a fifth of the missiles fail in flight (some before that). A zone's alerts for
/// threats close in time merge into one period; far apart, they stay two.
#[test]
fn every_warning_figure_of_a_run_follows_from_its_sirens_impacts_and_ends() {
    let site = offset(0.0, -40.0);
    let battery = format!(
        "  - {{id: pac3, type: pac-3-mse, at: [{}, {}], overrides: {{kill_probability: 0.5}}}}\n",
        site.0, site.1
    );
    let mut p = prepared_with(
        "recount",
        0.0,
        "min_lead_s: 60, warn_debris: true, all_clear_s: 30",
        "  - {id: ew, type: space-ir}\n",
        &battery,
        8,
    );
    p.types[0].reliability = p.parameters.add(
        "reliability".into(),
        skyshield_scenario::Uncertain::exact(0.8),
    );
    let SensorKind::SpaceIr { latency_s, .. } = &mut p.sensors[1].kind else {
        panic!("sensor 1 is space infrared");
    };
    *latency_s = p
        .parameters
        .add("latency".into(), skyshield_scenario::Uncertain::exact(60.0));
    // Space infrared reports a launch this long after it.
    let cue_s = p.coverage[0]
        .iter()
        .find(|c| c.sensor == 1)
        .expect("space infrared sees the Iskander's boost")
        .intervals[0]
        .0
        .as_s()
        + 60.0;
    let w = p.warning.as_ref().expect("zones").clone();
    let mut rep = Replication::new();
    let (mut merged, mut apart, mut debris_ends) = (0, 0, 0);
    let (mut sheltered, mut late_cues) = (0, 0);
    for run in 0..200 {
        let (o, events) = play(&mut rep, &p, run);
        let out = &o.warning;
        let ends: Vec<f64> = (0..o.threats.len())
            .map(|i| alert_end_s(&p, &o, &events, i))
            .collect();
        debris_ends += (0..ends.len())
            .filter(|&i| ends[i] > o.threats[i].time_s)
            .count();
        // Each siren puts its zone under alert until its threat's end and the all-clear.
        let mut periods: Vec<Vec<(f64, f64)>> = vec![Vec::new(); w.zones.len()];
        for s in &out.sirens {
            let end = ends[s.threat].max(s.time_s) + w.all_clear_s;
            periods[s.zone].push((s.time_s, end));
        }
        let mut people_minutes = 0.0;
        for (z, zone) in periods.iter_mut().enumerate() {
            let sirens = zone.len();
            zone.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut union: Vec<(f64, f64)> = Vec::new();
            for &(start, end) in zone.iter() {
                match union.last_mut() {
                    Some(last) if start <= last.1 => last.1 = last.1.max(end),
                    _ => union.push((start, end)),
                }
            }
            merged += usize::from(union.len() < sirens);
            apart += usize::from(union.len() > 1);
            let alert_s: f64 = union.iter().map(|(s, e)| e - s).sum();
            people_minutes += w.zones[z].population * alert_s / 60.0;
            let tally = &out.zones[z];
            assert_eq!(tally.alerts as usize, union.len(), "run {run}, zone {z}");
            assert!(
                (tally.alert_s - alert_s).abs() < 1e-6,
                "run {run}, zone {z}: {} s under alert, {alert_s} s by hand",
                tally.alert_s
            );
            *zone = union;
        }
        assert!(
            (out.people_minutes - people_minutes).abs() < 1e-6 * people_minutes.max(1.0),
            "run {run}: {} people-minutes, {people_minutes} by hand",
            out.people_minutes
        );
        // An impact's lead runs from its own threat's siren, else from the start of the alert
        // period holding it; its people were too late under a minute of shelter.
        let mut too_late = vec![false; w.zones.len()];
        let mut impacts = vec![0u32; w.zones.len()];
        for impact in &out.impacts {
            let (z, t) = (impact.zone, impact.time_s);
            let sheltering = periods[z]
                .iter()
                .find(|&&(s, e)| s <= t && t <= e)
                .map_or(0.0, |&(s, _)| t - s);
            let own = out
                .sirens
                .iter()
                .find(|s| (s.zone, s.threat) == (z, impact.threat))
                .map(|s| s.time_s)
                .filter(|&at| at <= t);
            let lead = own.map_or(sheltering, |at| t - at);
            sheltered += usize::from(own.is_none() && sheltering > 0.0);
            assert!(
                (impact.lead_s - lead).abs() < 1e-6,
                "run {run}: {impact:?}, lead {lead} s by hand"
            );
            // An impact the shelter time itself after its alert began (a siren at the decision
            // `min_lead_s` before it) is on the edge, decided by the rounding of times.
            too_late[z] |= sheltering < SHELTER_S - 1e-6;
            impacts[z] += 1;
        }
        let mut too_late_people = 0.0;
        let mut false_alarms = (0, 0.0);
        for z in 0..w.zones.len() {
            let tally = &out.zones[z];
            assert_eq!(tally.impacts, impacts[z], "run {run}, zone {z}");
            assert_eq!(tally.too_late, too_late[z], "run {run}, zone {z}");
            too_late_people += if too_late[z] { ZONE_PEOPLE } else { 0.0 };
            if !periods[z].is_empty() && impacts[z] == 0 {
                false_alarms = (false_alarms.0 + 1, false_alarms.1 + ZONE_PEOPLE);
            }
        }
        assert_eq!(out.too_late_people, too_late_people, "run {run}");
        assert_eq!(
            (out.false_alarm_zones, out.false_alarm_people),
            false_alarms,
            "run {run}"
        );
        // An early warning counts while its threat flies: none for a threat failed before its
        // cue.
        let warned = (0..o.threats.len())
            .filter(|&i| {
                let early = events.iter().find_map(|e| match *e {
                    EngineEvent::EarlyWarning { time_s, threat } if threat == i => Some(time_s),
                    _ => None,
                });
                early.is_some_and(|t| t <= o.threats[i].time_s)
            })
            .count();
        late_cues += o
            .threats
            .iter()
            .filter(|t| t.time_s < t.launch_s + cue_s)
            .count();
        assert_eq!(out.early_warning_lead_s.len(), warned, "run {run}");
    }
    assert!(
        merged >= 10 && apart >= 10,
        "merged {merged}, apart {apart}"
    );
    assert!(debris_ends >= 10, "{debris_ends} alerts ended by debris");
    assert!(
        sheltered >= 3,
        "{sheltered} impacts under another threat's alert"
    );
    assert!(late_cues >= 10, "{late_cues} failures before their cue");
}

/// A siren decision comes `min_lead_s` before the arrival at the latest, and none at the
/// arrival itself: with `min_lead_s: 0` the policy waits for a prediction until the impact, and
/// no siren sounds.
#[test]
fn with_no_minimum_lead_the_policy_waits_until_the_impact_and_sounds_no_siren() {
    let p = prepared("no-lead", 0.0, "min_lead_s: 0, warn_debris: false");
    let mut rep = Replication::new();
    for run in 0..20 {
        let (o, events) = play(&mut rep, &p, run);
        let t = timeline(&events);
        assert!(t.first_track_s < t.impact_s, "run {run}: tracked");
        assert_eq!(
            o.warning.impacts.len(),
            1,
            "run {run}: one impact in the zones"
        );
        assert!(t.sirens.is_empty(), "run {run}: {:?}", t.sirens);
        assert_eq!(o.warning.impacts[0].lead_s, 0.0, "run {run}");
        assert_eq!(o.warning.too_late_people, ZONE_PEOPLE, "run {run}");
    }
}
