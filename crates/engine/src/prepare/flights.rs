//! Nominal flights: every distinct (threat type, launch site, aim, shape) flown once and
//! sampled every second.

use skyshield_physics::earth::{EnuFrame, Geodetic};
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{self, TrajectoryShape, Vehicle};
use skyshield_physics::frame::{Ecef, Vector};
use skyshield_scenario::LayeredScenario;

use super::error::PrepareError;
use crate::geometry::{GroundPoint, PlaneArea};
use crate::prepared::Trajectory;

/// One nominal trajectory to solve.
pub(super) struct FlightJob {
    pub(super) group: usize,
    pub(super) vehicle: Vehicle,
    pub(super) site: Geodetic,
    pub(super) aim: Geodetic,
    pub(super) shape: TrajectoryShape,
}

/// Solves every nominal trajectory, in parallel on the machine's cores (each solve is
/// independent and deterministic, so the result does not depend on the number of threads).
pub(super) fn fly_all(
    jobs: &[FlightJob],
    layered: &LayeredScenario,
    earth: &EarthModel,
) -> Result<Vec<Trajectory>, PrepareError> {
    let solve = |job: &FlightJob| -> Result<Trajectory, PrepareError> {
        let group = &layered.raid[job.group];
        let f = flight::fly(
            &job.vehicle,
            earth,
            &job.site,
            &group.route,
            &job.aim,
            job.shape,
        )
        .map_err(|source| PrepareError::Flight {
            group: group.id.clone(),
            site_lat: job.site.lat_deg(),
            site_lon: job.site.lon_deg(),
            source,
        })?;
        let mut traj = sampled(job.group, &job.site, &job.aim, &f);
        let frame = EnuFrame::at(f.impact.with_height_m(0.0));
        traj.assets = layered
            .assets
            .iter()
            .map(|a| PlaneArea::new(&a.area, &frame))
            .collect();
        Ok(traj)
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let per_thread = jobs.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Vec<Result<Trajectory, PrepareError>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .chunks(per_thread)
            .map(|chunk| scope.spawn(move || chunk.iter().map(solve).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    parts.into_iter().flatten().collect()
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
