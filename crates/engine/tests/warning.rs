//! Civil warning in runs, checked by hand geometry: which zones sound their sirens and when,
//! false alarms, warnings too late, and the cost of a manoeuvring threat's wider prediction.
//!
//! The zones are 5 km squares (in degrees of a flat-Earth offset) written to a GeoJSON file
//! around a city; one Iskander-M flies 200 km at the city, tracked by a Green Pine radar, with
//! no interceptor in the way. The checks read the event log and the [`Outcome`], and redo the
//! geometry with their own code in the plane of the threat's nominal impact point.

mod common;

use common::mean_se;

use std::path::{Path, PathBuf};

use skyshield_engine::{
    DefaultPolicy, EngineEvent, Observer, Outcome, Prepared, Replication, confidence_sigmas,
    prediction_sigma_m, prepare,
};
use skyshield_physics::earth::{EnuFrame, Geodetic};

/// Keeps every event of a run.
#[derive(Debug, Default)]
struct Log(Vec<EngineEvent>);

impl Observer for Log {
    fn event(&mut self, event: &EngineEvent) {
        self.0.push(*event);
    }
}

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
    let dir = zones_folder(case);
    let site = offset(0.0, 200.0);
    let text = format!(
        "name: {case}\nassets:\n  - {{id: city, circle: {{center: [{}, {}], radius_km: 8}}, population: 100000}}\n\
         sensors:\n  - {{id: r-bmd, type: green-pine, at: [31.45, 34.55], facing_deg: 90}}\n\
         command: {{decision_latency_s: 2}}\n\
         raid:\n  - {{id: isk, threat: iskander-m, count: 1, launch: {{sites: [[{}, {}]], window_s: [0, 0]}}, target: city, \
         overrides: {{reliability: 1.0, terminal_manoeuvre_g: {manoeuvre_g}}}}}\n\
         warning: {{zones: {{geojson: zones.geojson}}, {warning}}}\n",
        CITY.0, CITY.1, site.0, site.1
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
    let sirens = events
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
        .collect();
    Timeline {
        first_track_s,
        impact_s,
        sirens,
    }
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
        // The region: k σ of a track of this age, about the predicted point.
        let sigma = prediction_sigma_m(decide_s - t.first_track_s, t.impact_s - decide_s, 0.0);
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

#[test]
fn alerted_zones_without_an_impact_are_false_alarms() {
    let p = prepared("false-alarm", 0.0, "min_lead_s: 60, warn_debris: false");
    let mut rep = Replication::new();
    for run in 0..20 {
        let (o, events) = play(&mut rep, &p, run);
        let t = timeline(&events);
        let w = &o.warning;
        assert_eq!(w.impacts.len(), 1, "run {run}: one impact in the zones");
        let hit = w.impacts[0].zone as usize;
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
            .filter(|s| s.1 == impact.zone as usize)
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
        assert!(o.warning.zones[impact.zone as usize].too_late);

        // With 90 s aimed for, an impact in a zone sounded at the first decision is in time.
        let (o, events) = play(&mut rep, &early, run);
        let t = timeline(&events);
        let impact = o.warning.impacts[0];
        let decide_s = t.first_track_s.max(t.impact_s - 90.0);
        let warned_first = t
            .sirens
            .iter()
            .any(|s| s.1 == impact.zone as usize && (s.0 - decide_s).abs() < 1e-6);
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
