//! What a solved flight is, whatever the vehicle's class: the [`Flight`] from launch to impact
//! with its samples, the shape asked of a rocket-powered trajectory, and why no flight was found.

use crate::earth::Geodetic;

/// Height of the reentry interface, m: the reentry speed is the speed when descending through it.
pub const REENTRY_INTERFACE_M: f64 = 100_000.0;

/// The shape of the trajectory to an aim point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TrajectoryShape {
    /// The type's nominal trajectory: the least burnout energy for a ballistic missile or an
    /// impulsive vehicle; the full burn of a quasi-ballistic missile (its motor burns to
    /// depletion, the least energy only at a range too short for it); the low path of a rocket.
    MinEnergy,
    /// Above the minimum-energy trajectory, with this apogee (default 1.5 times it).
    Lofted { apogee_m: Option<f64> },
    /// Below the minimum-energy trajectory, with this apogee (default 0.6 times it).
    Depressed { apogee_m: Option<f64> },
}

impl TrajectoryShape {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            TrajectoryShape::MinEnergy => "minimum-energy",
            TrajectoryShape::Lofted { .. } => "lofted",
            TrajectoryShape::Depressed { .. } => "depressed",
        }
    }
}

/// Why no trajectory was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FlightError {
    #[error("the aim point is {range_km:.0} km away, beyond the maximum range of {max_km:.0} km")]
    BeyondMaxRange { range_km: f64, max_km: f64 },
    #[error(
        "the aim point is {range_km:.1} km away, closer than the minimum range of {min_km:.1} km"
    )]
    BelowMinRange { range_km: f64, min_km: f64 },
    #[error(
        "the aim point is {range_km:.0} km away, beyond the longest flight of {reach_km:.0} km that the type's model flies from this launch point"
    )]
    OutOfReach { range_km: f64, reach_km: f64 },
    #[error(
        "the aim point is {range_km:.1} km away, closer than the shortest {shape} flight of {shortest_km:.1} km that the type's model flies from this launch point"
    )]
    TooClose {
        shape: &'static str,
        range_km: f64,
        shortest_km: f64,
    },
    #[error(
        "a {shape} trajectory to {range_km:.0} km would rise to {apogee_km:.1} km, above the type's apogee ceiling of {ceiling_km:.1} km"
    )]
    AboveCeiling {
        shape: &'static str,
        range_km: f64,
        apogee_km: f64,
        ceiling_km: f64,
    },
    #[error(
        "no {shape} trajectory to {range_km:.0} km has an apogee of {apogee_km:.1} km: the {} apogee at this range is {limit_km:.1} km", if *lowest { "lowest" } else { "highest" }
    )]
    ApogeeOutOfReach {
        shape: &'static str,
        range_km: f64,
        apogee_km: f64,
        limit_km: f64,
        /// The limit is the lowest apogee (else the highest).
        lowest: bool,
    },
    #[error("an unguided rocket's apogee follows from its elevation; give the shape alone")]
    ApogeeNotControlled,
    /// A numerical failure of the solver.
    #[error("no {shape} trajectory reaches the aim point {range_km:.0} km away: {reason}")]
    NoSolution {
        shape: &'static str,
        range_km: f64,
        reason: String,
    },
    #[error("the route is {length_km:.0} km long, beyond the maximum range of {max_km:.0} km")]
    RouteTooLong { length_km: f64, max_km: f64 },
    #[error("a ballistic flight follows no route: waypoints are for cruise missiles and drones")]
    RouteNotFlown,
}

/// One sample of a trajectory.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub t_s: f64,
    pub lat_deg: f64,
    pub lon_deg: f64,
    pub alt_m: f64,
    pub speed_m_s: f64,
}

/// A solved trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    /// Launch to impact, s.
    pub flight_time_s: f64,
    /// Highest height above the surface, m.
    pub apogee_m: f64,
    /// Surface distance from the launch point to the impact point, m.
    pub range_m: f64,
    /// The state at thrust end, for rocket-powered and impulsive vehicles.
    pub burnout: Option<Burnout>,
    pub impact: Geodetic,
    /// Distance from the impact point to the aim point, m.
    pub miss_m: f64,
    /// Highest Earth-relative speed over the flight, m/s.
    pub max_speed_m_s: f64,
    /// Speed when descending through [`REENTRY_INTERFACE_M`], if the flight
    /// rose above it, m/s.
    pub reentry_speed_m_s: Option<f64>,
    pub impact_speed_m_s: f64,
    /// Launch azimuth, degrees clockwise from north.
    pub launch_azimuth_deg: f64,
    /// Samples every whole second from launch, and at impact.
    pub samples: Vec<Sample>,
}

impl Flight {
    /// Speed when descending through `height_m` after the apogee, m/s, interpolated linearly
    /// between the two samples about the crossing; `None` when the flight never rose above it.
    pub fn descending_speed_at(&self, height_m: f64) -> Option<f64> {
        let top = self
            .samples
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.alt_m.total_cmp(&b.1.alt_m))?
            .0;
        self.samples[top..].windows(2).find_map(|w| {
            let (a, b) = (w[0], w[1]);
            (a.alt_m >= height_m && b.alt_m < height_m).then(|| {
                let f = (a.alt_m - height_m) / (a.alt_m - b.alt_m);
                a.speed_m_s + f * (b.speed_m_s - a.speed_m_s)
            })
        })
    }
}

/// The state of a rocket-powered vehicle at thrust end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Burnout {
    /// Time of thrust end (0 for an impulsive vehicle), s.
    pub time_s: f64,
    /// Earth-relative speed, m/s.
    pub speed_m_s: f64,
    /// Flight-path angle above the local horizontal, degrees.
    pub angle_deg: f64,
}
