//! Nominal flights: every distinct (threat type, launch site, aim, shape, route) flown once and
//! sampled every second.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{self, TrajectoryShape, Vehicle};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_scenario::LayeredScenario;

use super::cache::{CachedFlight, FlightCache, flight_key};
use super::error::PrepareError;
use crate::geometry::{GroundPoint, PlaneArea};
use crate::prepared::Trajectory;

/// One nominal trajectory of a raid group.
pub(super) struct FlightJob {
    pub(super) group: usize,
    pub(super) vehicle: Vehicle,
    pub(super) site: Geodetic,
    pub(super) aim: Geodetic,
    pub(super) shape: TrajectoryShape,
}

impl FlightJob {
    /// Whether `other` flies the same flight: the same vehicle from the same site onto the same
    /// aim, with the same shape and route.
    fn same_flight(&self, other: &FlightJob, layered: &LayeredScenario) -> bool {
        self.vehicle == other.vehicle
            && self.site == other.site
            && self.aim == other.aim
            && self.shape == other.shape
            && layered.raid[self.group].route == layered.raid[other.group].route
    }
}

/// Solves every distinct flight of `jobs` once (jobs of several raid groups may share one) that
/// `cache` does not hold, in parallel on the machine's cores, stores them in `cache`, and gives
/// each job its trajectory table and its flight in the cache. Each solve is independent and
/// deterministic, so the result depends neither on the number of threads nor on what the cache
/// held.
pub(super) fn fly_all(
    jobs: &[FlightJob],
    layered: &LayeredScenario,
    earth: &EarthModel,
    cache: &FlightCache,
) -> Result<(Vec<Trajectory>, Vec<Arc<CachedFlight>>), PrepareError> {
    // The first job of each distinct flight, and which distinct flight each job flies.
    let mut distinct: Vec<&FlightJob> = Vec::new();
    let flight_of: Vec<usize> = jobs
        .iter()
        .map(|job| {
            distinct
                .iter()
                .position(|d| d.same_flight(job, layered))
                .unwrap_or_else(|| {
                    distinct.push(job);
                    distinct.len() - 1
                })
        })
        .collect();
    let keys: Vec<String> = distinct
        .iter()
        .map(|job| {
            let route = &layered.raid[job.group].route;
            flight_key(&job.vehicle, earth, &job.site, route, &job.aim, job.shape)
        })
        .collect();
    let found = cache.look_up(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    // The flights not in the cache, solved in parallel.
    let missing: Vec<usize> = (0..distinct.len())
        .filter(|&k| found[k].is_none())
        .collect();
    let solved = in_parallel(&missing, |&k| {
        let job = distinct[k];
        let group = &layered.raid[job.group];
        flight::fly(
            &job.vehicle,
            earth,
            &job.site,
            &group.route,
            &job.aim,
            job.shape,
        )
        .map(|f| Arc::new(CachedFlight::new(f)))
        .map_err(|source| PrepareError::Flight {
            group: group.id.clone(),
            site_lat: job.site.lat_deg(),
            site_lon: job.site.lon_deg(),
            source,
        })
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()?;
    // Each flight not found is the next solved.
    let mut solved_in_turn = solved.iter().cloned();
    let flights: Vec<Arc<CachedFlight>> = found
        .into_iter()
        .filter_map(|f| f.or_else(|| solved_in_turn.next()))
        .collect();
    cache.store(
        missing
            .iter()
            .zip(solved)
            .map(|(&k, flight)| (keys[k].clone(), flight))
            .collect(),
    );
    Ok(jobs
        .iter()
        .zip(flight_of)
        .map(|(job, k)| {
            let f = &flights[k].flight;
            let mut traj = sampled(job.group, &job.site, &job.aim, f);
            let frame = EnuFrame::at(f.impact.with_height_m(0.0));
            traj.assets = layered
                .assets
                .iter()
                .map(|a| PlaneArea::new(&a.area, &frame))
                .collect();
            (traj, Arc::clone(&flights[k]))
        })
        .unzip())
}

/// `work` done on every item, on as many threads as the machine has cores (at most one per
/// item), each thread taking the next item left as it finishes one; the results in the order
/// of the items.
pub(super) fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len());
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, work(item)));
        }
    };
    let mut results: Vec<(usize, R)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(worker)).collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// A flight sampled every second, as a trajectory table.
///
/// The engine's geometry (radars, batteries, assets, these positions) is on the WGS84 ellipsoid
/// whatever Earth model the flight was solved with: a flight over the sphere keeps its
/// latitudes, longitudes and heights, placed on the ellipsoid.
fn sampled(group: usize, launch: &Geodetic, aim: &Geodetic, f: &flight::Flight) -> Trajectory {
    let mut positions = Vec::with_capacity(f.samples.len());
    let mut heights_m = Vec::with_capacity(f.samples.len());
    let mut times_s = Vec::with_capacity(f.samples.len());
    for s in &f.samples {
        let g = Geodetic::from_radians_unchecked(
            s.lat_deg.to_radians(),
            s.lon_deg.to_radians(),
            s.alt_m,
        );
        positions.push(g.to_ecef());
        heights_m.push(s.alt_m);
        times_s.push(s.t_s);
    }
    Trajectory {
        group,
        launch: *launch,
        aim: *aim,
        impact: GroundPoint::new(f.impact),
        assets: Vec::new(),
        flight_time_s: f.flight_time_s,
        apogee_m: f.apogee_m,
        burnout_s: f.burnout.map(|b| b.time_s),
        positions,
        heights_m,
        times_s,
    }
}

/// Centre and radius of a sphere holding every sample of a trajectory.
pub(super) fn bounding_sphere(t: &Trajectory) -> (Vector<Ecef>, f64) {
    let n = t.positions.len().max(1) as f64;
    let centre = t.positions.iter().fold(Vector::zero(), |acc, p| acc + *p) / n;
    let radius = t
        .positions
        .iter()
        .map(|p| (*p - centre).norm())
        .fold(0.0, f64::max);
    (centre, radius)
}

/// The point the radars without a position of their own, and the facing of radars without a
/// boresight, refer to: the mean launch site of the raid.
pub(super) fn raid_centroid(trajectories: &[Trajectory]) -> Geodetic {
    if trajectories.is_empty() {
        return Geodetic::from_radians_unchecked(0.0, 0.0, 0.0);
    }
    let n = trajectories.len() as f64;
    let sum = trajectories
        .iter()
        .fold(Vector::<Ecef>::zero(), |acc, t| acc + t.launch.to_ecef());
    let g = Geodetic::from_ecef(sum / n);
    g.with_height_m(0.0)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::prepare::{FlightCache, GLOBAL_CACHE_SAMPLES, prepare_with};

    /// A raid group that flies the flights of another (same threat, sites and target) gets the
    /// same trajectory tables, each its own, under its own group, and each flight is solved once.
    #[test]
    fn groups_that_share_a_flight_share_its_table() {
        let library = include_str!("../../../../scenarios/rocket-barrage.yaml");
        let again = "raid:
  - id: qassam-sderot-again
    threat: qassam
    count: 4
    launch: {sites: [[31.545, 34.535], [31.535, 34.525]], window_s: [100, 200]}
    target: sderot
";
        let text = library.replacen("raid:\n", again, 1);
        assert_ne!(text, library, "the library scenario has a raid");
        let scenario = skyshield_scenario::from_str(&text, Path::new("test.yaml")).expect("valid");
        let solves = |scenario| {
            let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
            let p = prepare_with(scenario, &cache).expect("prepared");
            (p, cache.stats().solves)
        };
        let library = skyshield_scenario::from_str(library, Path::new("lib.yaml")).expect("valid");
        let (_, alone) = solves(&library);
        let (p, with_again) = solves(&scenario);
        assert_eq!(with_again, alone, "the group's flights solved once");
        let (again, sderot) = (&p.trajectories[..2], &p.trajectories[2..4]);
        for (a, b) in again.iter().zip(sderot) {
            assert_eq!((a.group, b.group), (0, 1));
            assert_eq!((a.launch, a.aim), (b.launch, b.aim));
            assert_eq!(a.positions, b.positions);
            assert_eq!(a.times_s, b.times_s);
        }
        assert_ne!(
            again[0].positions, again[1].positions,
            "two sites, two flights"
        );
        let threats = |g: usize| p.threats.iter().filter(move |t| t.group == g);
        assert!(threats(0).all(|t| t.trajectory < 2) && threats(1).all(|t| t.trajectory >= 2));
    }

    /// The bounding sphere of a trajectory holds every sample, and is no larger than the
    /// samples' spread: its radius lies between half the largest distance between two samples
    /// and that distance.
    #[test]
    fn a_bounding_sphere_holds_every_sample_tightly() {
        let text = include_str!("../../../../scenarios/default.yaml");
        let scenario =
            skyshield_scenario::from_str(text, Path::new("default.yaml")).expect("valid");
        let p = super::super::prepare(&scenario).expect("prepared");
        for t in &p.trajectories {
            let (centre, radius) = super::bounding_sphere(t);
            let spread = t
                .positions
                .iter()
                .flat_map(|a| t.positions.iter().map(move |b| (*a - *b).norm()))
                .fold(0.0, f64::max);
            assert!(t.positions.iter().all(|x| (*x - centre).norm() <= radius));
            assert!(
                0.5 * spread <= radius && radius <= spread,
                "radius {radius} m, spread {spread} m"
            );
        }
    }

    /// A sector radar without a facing points at the raid (the mean of its launch sites): the
    /// default scenario's Green Pine, whose library facing (75°) looks at the raid, sees the
    /// same flights with its facing left out, and none turned away (255°).
    #[test]
    fn a_sector_radar_without_a_facing_points_at_the_raid() {
        let text = include_str!("../../../../scenarios/default.yaml");
        let radar = "{id: bmd-radar, type: green-pine, at: [31.90, 34.90, 60], facing_deg: 75}";
        assert!(text.contains(radar));
        let seen = |facing: &str| -> Vec<usize> {
            let variant = text.replacen(radar, &radar.replace(", facing_deg: 75", facing), 1);
            let scenario =
                skyshield_scenario::from_str(&variant, Path::new("default.yaml")).expect("valid");
            let p = super::super::prepare(&scenario).expect("prepared");
            let s = p
                .sensors
                .iter()
                .position(|s| s.id == "bmd-radar")
                .expect("the radar");
            (0..p.trajectories.len())
                .filter(|&k| p.coverage[k].iter().any(|c| c.sensor == s))
                .collect()
        };
        let toward = seen(", facing_deg: 75");
        assert!(!toward.is_empty());
        assert_eq!(seen(""), toward);
        assert_eq!(seen(", facing_deg: 255"), Vec::<usize>::new());
    }
}
