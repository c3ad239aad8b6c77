//! The JSON of one flight (`skyshield trajectory --format json`).

use serde_json::{Value, json};
use skyshield_physics::earth::Geodetic;
use skyshield_physics::flight::Flight;

/// What was asked of a flight: the threat type (none for an impulsive burnout), the Earth
/// model and shape by name, the launch and aim points.
#[derive(Debug, Clone, Copy)]
pub struct FlightRequest<'a> {
    pub threat: Option<&'a str>,
    pub earth: &'a str,
    pub shape: &'a str,
    pub launch: &'a Geodetic,
    pub aim: &'a Geodetic,
}

/// The flight as JSON: the request, the figures of the flight (`flight_time_s`, `apogee_m`,
/// `range_m`, `launch_azimuth_deg`, burnout time, speed and angle, `impact` `[lat, lon]`,
/// `miss_m`, `max_speed_m_s`, `reentry_speed_m_s`, `impact_speed_m_s`) and its samples every
/// second (`t_s`, `lat`, `lon`, `alt_m`, `speed_m_s`).
pub fn trajectory_json(request: &FlightRequest, flight: &Flight) -> Value {
    let samples: Vec<_> = flight
        .samples
        .iter()
        .map(|s| json!({"t_s": s.t_s, "lat": s.lat_deg, "lon": s.lon_deg, "alt_m": s.alt_m, "speed_m_s": s.speed_m_s}))
        .collect();
    json!({
        "threat": request.threat,
        "earth": request.earth,
        "shape": request.shape,
        "launch": [request.launch.lat_deg(), request.launch.lon_deg()],
        "aim": [request.aim.lat_deg(), request.aim.lon_deg()],
        "flight_time_s": flight.flight_time_s,
        "apogee_m": flight.apogee_m,
        "range_m": flight.range_m,
        "launch_azimuth_deg": flight.launch_azimuth_deg,
        "burnout_time_s": flight.burnout.map(|b| b.time_s),
        "burnout_speed_m_s": flight.burnout.map(|b| b.speed_m_s),
        "burnout_angle_deg": flight.burnout.map(|b| b.angle_deg),
        "impact": [flight.impact.lat_deg(), flight.impact.lon_deg()],
        "miss_m": flight.miss_m,
        "max_speed_m_s": flight.max_speed_m_s,
        "reentry_speed_m_s": flight.reentry_speed_m_s,
        "impact_speed_m_s": flight.impact_speed_m_s,
        "samples": samples,
    })
}
