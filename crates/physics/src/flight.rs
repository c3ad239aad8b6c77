//! The flight of any threat: a [`Vehicle`] of any class, and [`fly`], which dispatches to the
//! model of its class and yields the [`Flight`] from launch to impact.

use crate::ballistic::{Ballistic, BoostedMissile};
use crate::cruise::{self, AirBreather};
use crate::earth::Geodetic;
use crate::earth_model::EarthModel;
use crate::targeting;

pub use crate::trajectory::{
    Burnout, Flight, FlightError, REENTRY_INTERFACE_M, Sample, TrajectoryShape,
};

/// What flies.
#[derive(Debug, Clone, PartialEq)]
pub enum Vehicle {
    /// Ballistic and quasi-ballistic missiles, rockets.
    Boosted(BoostedMissile),
    /// A burnout state at the launch point, at height zero, with no boost: the textbook case.
    Impulsive,
    /// Cruise missiles and one-way attack drones.
    AirBreathing(AirBreather),
}

/// Flies `vehicle` from `launch` onto `aim`: rocket-powered vehicles on a trajectory of the given
/// `shape`, air-breathing ones along `route` (waypoints between launch and aim).
pub fn fly(
    vehicle: &Vehicle,
    earth: &EarthModel,
    launch: &Geodetic,
    route: &[Geodetic],
    aim: &Geodetic,
    shape: TrajectoryShape,
) -> Result<Flight, FlightError> {
    let ballistic = match vehicle {
        Vehicle::AirBreathing(v) => return cruise::fly_route(v, earth, launch, route, aim),
        Vehicle::Boosted(m) => Ballistic::Boosted(m),
        Vehicle::Impulsive => Ballistic::Impulsive,
    };
    if !route.is_empty() {
        return Err(FlightError::RouteNotFlown);
    }
    targeting::solve(ballistic, earth, launch, aim, shape)
}
