//! Air-breathing threats: cruise missiles and one-way attack drones.
//!
//! They fly a route of waypoints along surface geodesics at a constant speed, climbing after
//! launch at [`AirBreather::climb_angle_deg`] to a constant height above the ellipsoid, holding it,
//! and diving onto the aim at [`AirBreather::dive_angle_deg`]. The path is kinematic: what matters
//! for the defense is where such a threat is and when, which its speed and route fix; its
//! aerodynamics do not change that at the level of public parameters. Turns at waypoints are
//! instantaneous, and the speed is the speed along the ground track. Height is above the
//! ellipsoid (there is no terrain model), so over high ground a low cruise height is notional.

use crate::earth::Geodetic;
use crate::earth_model::EarthModel;
use crate::trajectory::{Flight, FlightError, Sample};

/// A cruise missile or a one-way attack drone. SI units.
#[derive(Debug, Clone, PartialEq)]
pub struct AirBreather {
    pub speed_m_s: f64,
    /// Cruise height above the ellipsoid, m.
    pub cruise_altitude_m: f64,
    /// Longest route it can fly, m.
    pub max_range_m: f64,
    /// Climb angle after launch, degrees.
    pub climb_angle_deg: f64,
    /// Dive angle onto the aim, degrees.
    pub dive_angle_deg: f64,
}

/// One leg of a route.
struct Leg {
    from: Geodetic,
    azimuth_deg: f64,
    length_m: f64,
}

/// Flies `vehicle` from `launch` through `route` onto `aim`.
pub fn fly_route(
    vehicle: &AirBreather,
    earth: &EarthModel,
    launch: &Geodetic,
    route: &[Geodetic],
    aim: &Geodetic,
) -> Result<Flight, FlightError> {
    let points: Vec<Geodetic> = std::iter::once(*launch)
        .chain(route.iter().copied())
        .chain(std::iter::once(*aim))
        .collect();
    let legs: Vec<Leg> = points
        .windows(2)
        .map(|w| {
            let path = earth.surface_path(&w[0], &w[1]);
            Leg {
                from: w[0],
                azimuth_deg: path.azimuth1_deg,
                length_m: path.distance_m,
            }
        })
        .collect();
    let length_m: f64 = legs.iter().map(|l| l.length_m).sum();
    if length_m > vehicle.max_range_m {
        return Err(FlightError::RouteTooLong {
            length_km: length_m / 1e3,
            max_km: vehicle.max_range_m / 1e3,
        });
    }
    let profile = HeightProfile::new(vehicle, launch.height_m(), aim.height_m(), length_m);
    let flight_time_s = length_m / vehicle.speed_m_s;
    let position = |t_s: f64| {
        let mut s = (t_s * vehicle.speed_m_s).min(length_m);
        let height = profile.at(s);
        for leg in &legs {
            if s <= leg.length_m {
                return earth
                    .surface_direct(&leg.from, leg.azimuth_deg, s)
                    .with_height_m(height);
            }
            s -= leg.length_m;
        }
        aim.with_height_m(height)
    };
    let whole_seconds = flight_time_s.floor() as usize;
    let samples = (0..=whole_seconds)
        .map(|k| k as f64)
        .chain((flight_time_s.fract() > 0.0).then_some(flight_time_s))
        .map(|t_s| {
            let p = position(t_s);
            Sample {
                t_s,
                lat_deg: p.lat_deg(),
                lon_deg: p.lon_deg(),
                alt_m: p.height_m(),
                speed_m_s: vehicle.speed_m_s,
            }
        })
        .collect();
    let impact = position(flight_time_s);
    Ok(Flight {
        flight_time_s,
        apogee_m: profile.peak_m,
        range_m: earth.surface_path(launch, &impact).distance_m,
        burnout: None,
        impact,
        miss_m: earth.surface_path(aim, &impact).distance_m,
        max_speed_m_s: vehicle.speed_m_s,
        reentry_speed_m_s: None,
        impact_speed_m_s: vehicle.speed_m_s,
        launch_azimuth_deg: legs[0].azimuth_deg.rem_euclid(360.0),
        samples,
    })
}

/// Height against distance flown: climb, cruise, dive.
struct HeightProfile {
    launch_m: f64,
    aim_m: f64,
    peak_m: f64,
    climb_end_m: f64,
    dive_start_m: f64,
    length_m: f64,
}

impl HeightProfile {
    fn new(v: &AirBreather, launch_m: f64, aim_m: f64, length_m: f64) -> Self {
        let climb = v.climb_angle_deg.to_radians().tan();
        let dive = v.dive_angle_deg.to_radians().tan();
        let mut peak_m = v.cruise_altitude_m.max(launch_m).max(aim_m);
        let (mut climb_len, mut dive_len) = ((peak_m - launch_m) / climb, (peak_m - aim_m) / dive);
        if climb_len + dive_len > length_m {
            // Too short a route to reach the cruise height: climb and dive meet at a lower peak.
            peak_m = (length_m + launch_m / climb + aim_m / dive) / (1.0 / climb + 1.0 / dive);
            climb_len = (peak_m - launch_m) / climb;
            dive_len = (peak_m - aim_m) / dive;
        }
        Self {
            launch_m,
            aim_m,
            peak_m,
            climb_end_m: climb_len,
            dive_start_m: length_m - dive_len,
            length_m,
        }
    }

    fn at(&self, s_m: f64) -> f64 {
        if s_m < self.climb_end_m {
            self.launch_m + (self.peak_m - self.launch_m) * s_m / self.climb_end_m
        } else if s_m > self.dive_start_m {
            let left = self.length_m - s_m;
            self.aim_m + (self.peak_m - self.aim_m) * left / (self.length_m - self.dive_start_m)
        } else {
            self.peak_m
        }
    }
}
