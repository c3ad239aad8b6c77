//! The debris of a kill: where it falls from the threat's state at the intercept, how runs
//! scatter it about that fall point, and which zones its warning sounds in.
//!
//! One Iskander-M flies 200 km from the east at a city, tracked by a Green Pine radar; one
//! battery that always kills meets it: an Arrow-2 under its apogee, where it flies nearly
//! horizontally, or a PAC-3 MSE 40 km west of the city, on its way down. The checks redo the geometry
//! with their own code: the fall against closed-form bounds, the scatter against the normal
//! distribution's standard error, the sirens against zones drawn about the fall point and
//! about the intercept's ground point.

mod common;

use common::{Log, mean_se};

use std::path::{Path, PathBuf};

use skyshield_engine::zones::REACH_SIGMAS;
use skyshield_engine::{
    DEBRIS_SIGMA_M, DefaultPolicy, EngineEvent, Fate, GroundPoint, Outcome, Prepared, Replication,
    Window, confidence_sigmas, prediction_sigma_m, prepare,
};
use skyshield_physics::atmosphere::us1976;
use skyshield_physics::debris::DEBRIS_BALLISTIC_COEFFICIENT_KG_M2;
use skyshield_physics::earth::{EnuFrame, Geodetic, MEAN_EARTH_RADIUS_M, WGS84_OMEGA_RAD_S};

const CITY: (f64, f64) = (31.50, 34.60);
const KM_PER_DEG: f64 = 111.32;
/// Gravity for the closed-form bounds, m/s²: WGS84 normal gravity at the poles (NIMA TR8350.2,
/// Table 3.4), the strongest on the ellipsoid.
const G_MAX_M_S2: f64 = 9.832_185;

fn offset(north_km: f64, east_km: f64) -> (f64, f64) {
    (
        CITY.0 + north_km / KM_PER_DEG,
        CITY.1 + east_km / (KM_PER_DEG * CITY.0.to_radians().cos()),
    )
}

/// A warning zone: a square of half-side `half_m` about `centre`, as a GeoJSON feature.
fn square(name: &str, centre: &GroundPoint, half_m: f64) -> String {
    let ring: Vec<String> = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ]
    .iter()
    .map(|&(e, n)| {
        let g = centre.offset(e * half_m, n * half_m);
        format!("[{:.8}, {:.8}]", g.lon_deg(), g.lat_deg())
    })
    .collect();
    format!(
        "{{\"type\": \"Feature\", \"properties\": {{\"name\": \"{name}\", \"population\": 1000, \"shelter_time_s\": 60}}, \
         \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[{}]]}}}}",
        ring.join(", ")
    )
}

/// One threat fired from `launch_east_km` east of the city at it, tracked by a Green Pine
/// `radar_east_km` east of the city, and met by a battery of `interceptor` `battery_east_km` east
/// of it that always kills.
struct Case {
    threat: &'static str,
    overrides: &'static str,
    launch_east_km: f64,
    radar_east_km: f64,
    interceptor: &'static str,
    battery_east_km: f64,
}

/// An Iskander-M from 200 km, met near its apogee by an Arrow-2.
const ISKANDER_ARROW: Case = Case {
    threat: "iskander-m",
    overrides: "reliability: 1.0, terminal_manoeuvre_g: 0",
    launch_east_km: 200.0,
    radar_east_km: -5.0,
    interceptor: "arrow-2",
    battery_east_km: 100.0,
};

/// The same Iskander-M, met on its way down by a PAC-3 MSE 40 km west of the city.
const ISKANDER_PAC3: Case = Case {
    interceptor: "pac-3-mse",
    battery_east_km: -40.0,
    ..ISKANDER_ARROW
};

/// A medium-range missile from 1,000 km, met on its climb by an Arrow-2 next to its launch
/// site.
const MRBM_CLIMB: Case = Case {
    threat: "generic-mrbm",
    overrides: "reliability: 1.0",
    launch_east_km: 1_000.0,
    radar_east_km: 980.0,
    interceptor: "arrow-2",
    battery_east_km: 990.0,
};

/// The scenario of `c`, with `zones` (GeoJSON features) and debris warned for.
fn prepared(name: &str, c: &Case, zones: &[String]) -> Prepared {
    let dir: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("debris")
        .join(name);
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(
        dir.join("zones.geojson"),
        format!(
            "{{\"type\": \"FeatureCollection\", \"features\": [{}]}}",
            zones.join(",\n")
        ),
    )
    .expect("write");
    let site = offset(0.0, c.launch_east_km);
    let radar = offset(-5.0, c.radar_east_km);
    let battery = offset(0.0, c.battery_east_km);
    let text = format!(
        "name: {name}\nassets:\n  - {{id: city, circle: {{center: [{}, {}], radius_km: 8}}, population: 100000}}\n\
         sensors:\n  - {{id: r-bmd, type: green-pine, at: [{}, {}], facing_deg: 90}}\n\
         batteries:\n  - {{id: b, type: {}, at: [{}, {}], overrides: {{kill_probability: 1.0}}}}\n\
         command: {{decision_latency_s: 2}}\n\
         raid:\n  - {{id: r, threat: {}, count: 1, launch: {{sites: [[{}, {}]], window_s: [0, 0]}}, target: city, \
         overrides: {{{}}}}}\n\
         warning: {{zones: {{geojson: zones.geojson}}, min_lead_s: 60, warn_debris: true}}\n",
        CITY.0,
        CITY.1,
        radar.0,
        radar.1,
        c.interceptor,
        battery.0,
        battery.1,
        c.threat,
        site.0,
        site.1,
        c.overrides,
    );
    let sc = skyshield_scenario::from_str(&text, &dir.join("scenario.yaml"))
        .unwrap_or_else(|d| panic!("invalid test scenario:\n{d}\n---\n{text}"));
    prepare(&sc).unwrap_or_else(|e| panic!("cannot prepare: {e}"))
}

/// A scenario whose one zone lies far from the flight: the windows do not depend on zones.
fn without_zones(name: &str, c: &Case) -> Prepared {
    let far = GroundPoint::new(Geodetic::from_degrees(CITY.0 + 3.0, CITY.1, 0.0).unwrap());
    prepared(name, c, &[square("far", &far, 1_000.0)])
}

/// Every engagement window of the scenario's one trajectory, with its sample index.
fn windows(p: &Prepared) -> Vec<(usize, Window)> {
    let t = &p.trajectories[0];
    p.opportunities[0]
        .iter()
        .flat_map(|o| &o.windows)
        .map(|w| {
            let i = t
                .times_s
                .iter()
                .position(|&s| (s - w.intercept.as_s()).abs() < 1e-6)
                .expect("a window is at a sample");
            (i, *w)
        })
        .collect()
}

/// `b` in the east-north plane at `a`, m.
fn plane(a: &Geodetic, b: &Geodetic) -> (f64, f64) {
    let v = EnuFrame::at(*a).position_to_enu(b.to_ecef());
    (v.x, v.y)
}

fn play(rep: &mut Replication, p: &Prepared, run: u64) -> (Outcome, Vec<EngineEvent>) {
    let mut log = Log::default();
    let o = rep.run_with(p, 7, run, &DefaultPolicy, &mut log).clone();
    (o, log.0)
}

/// The window in which a run's threat was killed, if it was: the one under its intercept.
fn kill_window(p: &Prepared, o: &Outcome) -> Option<Window> {
    let t = &o.threats[0];
    if t.fate != Fate::Intercepted {
        return None;
    }
    let w = windows(p).into_iter().map(|(_, w)| w).find(|w| {
        let g = w.ground.point();
        (g.lat_deg(), g.lon_deg()) == (t.lat_deg, t.lon_deg)
    });
    Some(w.expect("the window of the kill"))
}

/// Debris of a threat killed in flight flies on along its track: it lands downrange of
/// the intercept's ground point, within the drag bound of `physics/tests/debris.rs` (the
/// horizontal speed decays at least as `v_h/(1 + k·v_h·t)`, `k = ρ(h)/(2β)`), widened by what
/// the Coriolis acceleration `2ω·v` can add over the fall `T` (`ω·(v + g·T)·T²` at most), and
/// off the track by no more than that Coriolis displacement (the bounds for a descent, through
/// ever denser air). It falls no faster than in a
/// vacuum on a flat Earth (height `h`, vertical speed `v_z`: `h + v_z·t − ½·g·t² = 0`), whose
/// distance `v_h·t` the drag cuts short.
#[test]
fn debris_of_a_threat_killed_at_speed_lands_downrange_short_of_a_vacuum_fall() {
    let p = without_zones("downrange", &ISKANDER_ARROW);
    let t = &p.trajectories[0];
    let (mut fast, mut shorter) = (0, false);
    for (i, w) in windows(&p) {
        let at = Geodetic::from_ecef(t.positions[i]);
        let v = EnuFrame::at(at).vector_to_enu(t.velocity(i));
        let (v_h, v_z, h) = (v.x.hypot(v.y), v.z, at.height_m());
        let (e, n) = plane(&w.ground.point(), &w.debris.point());
        let along = (e * v.x + n * v.y) / v_h;
        assert!(
            along > 0.0,
            "sample {i}: debris {along:.0} m along the track"
        );
        // The bounds hold for a descent, through ever denser air.
        if v_z >= 0.0 {
            continue;
        }
        fast += usize::from(v_h > 1_000.0 && -v_z < 0.2 * v_h);
        let fall_s = w.debris_fall.as_s();
        // The largest speed over the fall, and the Coriolis acceleration it gives.
        let coriolis_m_s2 = 2.0 * WGS84_OMEGA_RAD_S * (v.norm() + G_MAX_M_S2 * fall_s);
        let coriolis = 0.5 * coriolis_m_s2 * fall_s * fall_s;
        // The vacuum fall under the strongest downward pull: gravity and all of the Coriolis
        // acceleration.
        let g = G_MAX_M_S2 + coriolis_m_s2;
        let t_vacuum = (v_z + (v_z * v_z + 2.0 * g * h).sqrt()) / g;
        let x_vacuum = v_h * t_vacuum;
        let k = us1976(h).density_kg_m3 / (2.0 * DEBRIS_BALLISTIC_COEFFICIENT_KG_M2);
        let x_drag = (1.0 + h / MEAN_EARTH_RADIUS_M) * (1.0 + k * v_h * fall_s).ln() / k + coriolis;
        let across = (n * v.x - e * v.y) / v_h;
        let sample = format!(
            "sample {i} at {h:.0} m, {v_h:.0} m/s horizontal, {v_z:.0} m/s vertical: debris \
             {along:.0} m along, {across:.0} m across in {fall_s:.1} s; vacuum {x_vacuum:.0} m in \
             {t_vacuum:.1} s, drag bound {x_drag:.0} m"
        );
        assert!(fall_s >= t_vacuum, "{sample}");
        assert!(along <= x_drag, "{sample}");
        assert!(across.abs() <= coriolis, "{sample}");
        shorter |= along < x_vacuum;
    }
    assert!(
        fast > 0,
        "no window of a threat descending nearly horizontally at over 1 km/s"
    );
    assert!(
        shorter,
        "the drag never cut the fall short of the vacuum's distance"
    );
}

/// Over many runs, the debris lands about the window's fall point: its mean offset from it is
/// zero within four standard errors, `DEBRIS_SIGMA_M/√n` per axis, and the fall point is far
/// from the intercept's ground point, about which the old scatter was centred.
#[test]
fn debris_scatters_about_the_computed_fall_point() {
    let p = without_zones("scatter", &ISKANDER_PAC3);
    let mut rep = Replication::new();
    let (mut east, mut north) = (Vec::new(), Vec::new());
    let mut apart_m = f64::INFINITY;
    for run in 0..400 {
        let (o, _) = play(&mut rep, &p, run);
        let Some(w) = kill_window(&p, &o) else {
            continue;
        };
        let (lat, lon) = o.threats[0].debris.expect("debris of a kill");
        let (e, n) = plane(
            &w.debris.point(),
            &Geodetic::from_degrees(lat, lon, 0.0).unwrap(),
        );
        east.push(e);
        north.push(n);
        let (ge, gn) = plane(&w.debris.point(), &w.ground.point());
        apart_m = apart_m.min(ge.hypot(gn));
    }
    assert!(east.len() >= 300, "only {} kills in 400 runs", east.len());
    let se = DEBRIS_SIGMA_M / (east.len() as f64).sqrt();
    for (axis, xs) in [("east", &east), ("north", &north)] {
        let (mean, _) = mean_se(xs);
        assert!(
            mean.abs() <= 4.0 * se,
            "{axis}: mean offset {mean:.0} m from the fall point, standard error {se:.0} m"
        );
    }
    assert!(
        apart_m > 10.0 * se,
        "the fall points lie {apart_m:.0} m from the intercepts' ground points"
    );
}

/// The first run of `c` (without zones, in folder `name`) with a kill, and the window of that
/// kill.
fn first_kill(name: &str, c: &Case) -> (u64, Window) {
    let scout = without_zones(name, c);
    let mut rep = Replication::new();
    (0..50)
        .find_map(|run| kill_window(&scout, &play(&mut rep, &scout, run).0).map(|w| (run, w)))
        .expect("a kill in 50 runs")
}

/// Plays run `run` of `c` with two zones of 4σ half-side, one about the fall point of the kill
/// in `w` and one about its ground point: only the first sounds at the kill, and the debris
/// lands in it the fall time after the kill.
fn debris_warned_about_the_fall_point(name: &str, c: &Case, run: u64, w: &Window) {
    let half_m = 4.0 * DEBRIS_SIGMA_M;
    let p = prepared(
        name,
        c,
        &[
            square("fall", &w.debris, half_m),
            square("ground", &w.ground, half_m),
        ],
    );
    let (o, events) = play(&mut Replication::new(), &p, run);
    let t_kill = o.threats[0].time_s;
    assert_eq!(
        kill_window(&p, &o).map(|k| k.intercept),
        Some(w.intercept),
        "the zones changed the battle"
    );
    let at_kill: Vec<usize> = events
        .iter()
        .filter_map(|e| match *e {
            EngineEvent::Siren { time_s, zone, .. } if time_s == t_kill => Some(zone),
            _ => None,
        })
        .collect();
    assert_eq!(at_kill, vec![0], "zones sounding at the kill");
    let debris: Vec<_> = o.warning.impacts.iter().filter(|i| i.debris).collect();
    assert_eq!(debris.len(), 1, "debris impacts in zones: {debris:?}");
    assert_eq!(debris[0].zone, 0);
    let lands_s = t_kill + w.debris_fall.as_s();
    assert!(
        (debris[0].time_s - lands_s).abs() < 1e-6,
        "debris lands at {} s, the kill at {t_kill} s plus the fall: {lands_s} s",
        debris[0].time_s
    );
}

/// The debris warning sounds in the zone about the fall point, not in the zone about the
/// intercept's ground point, and the debris lands in its zone the fall time after the kill.
#[test]
fn the_debris_warning_sounds_about_the_fall_point_not_the_intercepts_ground_point() {
    let (run, w) = first_kill("iskander-scout", &ISKANDER_ARROW);
    // The circle of k·σ about the fall point must not reach the zone about the ground point.
    let k = confidence_sigmas(0.95);
    let (ge, gn) = plane(&w.debris.point(), &w.ground.point());
    assert!(
        ge.hypot(gn) > k * DEBRIS_SIGMA_M + 4.0 * DEBRIS_SIGMA_M * 2f64.sqrt(),
        "the fall point is only {:.0} m from the intercept's ground point",
        ge.hypot(gn)
    );
    debris_warned_about_the_fall_point("iskander", &ISKANDER_ARROW, run, &w);
}

/// A zone that the debris' fall alone brings within a trajectory's reach is kept for it and
/// warned: the debris of a medium-range missile killed on its climb falls over a hundred
/// kilometres downrange of every intercept's ground point, and hundreds of kilometres short of
/// the impact, beyond the reach of the impact prediction.
#[test]
fn a_zone_that_only_the_debris_fall_brings_within_reach_is_warned() {
    let (run, w) = first_kill("mrbm-scout", &MRBM_CLIMB);
    let p = without_zones("reach", &MRBM_CLIMB);
    let t = &p.trajectories[0];
    let k = confidence_sigmas(0.95);
    let zone_m = 4.0 * DEBRIS_SIGMA_M * 2f64.sqrt();
    let debris_reach_m = (k + REACH_SIGMAS) * DEBRIS_SIGMA_M + zone_m;
    for (i, other) in windows(&p) {
        let (e, n) = plane(&w.debris.point(), &other.ground.point());
        assert!(
            e.hypot(n) > debris_reach_m,
            "the fall point is {:.0} m from the ground point of sample {i}",
            e.hypot(n)
        );
    }
    // CEP = 1.1774 σ for a circular normal error.
    let cep_sigma = p.parameters.range(p.types[0].cep_m).high / 1.177_410_022_515_474_6;
    let prediction_reach_m = (k + REACH_SIGMAS) * prediction_sigma_m(0.0, t.flight_time_s, 0.0)
        + REACH_SIGMAS * cep_sigma
        + zone_m;
    let (e, n) = plane(&t.impact.point(), &w.debris.point());
    assert!(
        e.hypot(n) > prediction_reach_m,
        "the fall point is {:.0} m from the impact",
        e.hypot(n)
    );
    debris_warned_about_the_fall_point("mrbm", &MRBM_CLIMB, run, &w);
}
