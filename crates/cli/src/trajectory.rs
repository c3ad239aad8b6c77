//! `skyshield trajectory`: one threat from a launch point to an aim point.

use std::process::ExitCode;

use anyhow::Result;
use skyshield_physics::earth::Geodetic;
use skyshield_physics::earth_model::EarthModel;
use skyshield_physics::flight::{self, TrajectoryShape, Vehicle};
use skyshield_report::trajectory::{FlightRequest, trajectory_json};
use skyshield_scenario::{Kind, catalog, threat_model};

use crate::{Format, InputError};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Threat type id from the catalog (`skyshield catalog list`); may be omitted with
    /// `--earth sphere-vacuum`, which then flies an impulsive burnout from the launch point.
    #[arg(long, value_name = "ID")]
    threat: Option<String>,
    /// Launch point: latitude and longitude in degrees, optionally a height in metres.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_position, allow_hyphen_values = true)]
    from: Geodetic,
    /// Aim point: latitude and longitude in degrees, optionally a height in metres.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_position, allow_hyphen_values = true)]
    to: Geodetic,
    /// Waypoint of a cruise missile's or drone's route, in order (repeat the option).
    #[arg(long, value_name = "LAT,LON", value_parser = parse_position, allow_hyphen_values = true)]
    via: Vec<Geodetic>,
    /// Trajectory shape of a rocket-powered threat.
    #[arg(long, value_enum, default_value_t = ShapeArg::MinEnergy)]
    shape: ShapeArg,
    /// Apogee of a lofted or depressed trajectory, km (default: 1.5 or 0.6 times the
    /// minimum-energy apogee).
    #[arg(long, value_name = "KM", value_parser = parse_positive, allow_hyphen_values = true)]
    apogee_km: Option<f64>,
    /// Physics: the full WGS84 Earth (rotation, J2 gravity, atmosphere), or a non-rotating
    /// airless sphere for comparison with closed forms.
    #[arg(long, value_enum, default_value_t = EarthArg::Wgs84)]
    earth: EarthArg,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ShapeArg {
    MinEnergy,
    Lofted,
    Depressed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum EarthArg {
    Wgs84,
    SphereVacuum,
}

/// Parses `LAT,LON` or `LAT,LON,HEIGHT_M`.
fn parse_position(text: &str) -> Result<Geodetic, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        return Err("expected LAT,LON or LAT,LON,HEIGHT_M in degrees and metres".to_string());
    }
    let number = |s: &str, what: &str| {
        s.parse::<f64>()
            .map_err(|_| format!("{what} `{s}` is not a number"))
    };
    let lat = number(parts[0], "latitude")?;
    let lon = number(parts[1], "longitude")?;
    let height = parts.get(2).map_or(Ok(0.0), |h| number(h, "height"))?;
    if !(-180.0..=180.0).contains(&lon) {
        return Err(format!("longitude {lon} is outside [-180, 180]"));
    }
    Geodetic::from_degrees(lat, lon, height).map_err(|e| e.to_string())
}

fn parse_positive(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!("`{text}` is not a positive number")),
    }
}

/// The flight model of a catalog threat type, with nominal parameters.
fn threat_vehicle(id: &str) -> Result<Vehicle, String> {
    let Some(entry) = catalog().threats().find(|e| e.id == id) else {
        let hint = catalog()
            .closest_id(id, Some(Kind::Threat))
            .map_or(String::new(), |c| format!("; did you mean `{c}`?"));
        return Err(format!(
            "unknown threat type `{id}`{hint} (see `skyshield catalog list`)"
        ));
    };
    threat_model::vehicle(&entry.resolved(), |u| u.nominal).map_err(|e| e.to_string())
}

pub fn run(args: &Args) -> Result<ExitCode> {
    let earth = match args.earth {
        EarthArg::Wgs84 => EarthModel::FULL,
        EarthArg::SphereVacuum => EarthModel::SPHERE_VACUUM,
    };
    let vehicle = match (&args.threat, args.earth) {
        (Some(id), _) => threat_vehicle(id).map_err(|e| InputError(format!("--threat: {e}")))?,
        (None, EarthArg::SphereVacuum) => Vehicle::Impulsive,
        (None, EarthArg::Wgs84) => {
            return Err(
                InputError("--threat: a threat type is needed with --earth wgs84".into()).into(),
            );
        }
    };
    let apogee_m = args.apogee_km.map(|km| km * 1e3);
    let shape = match args.shape {
        ShapeArg::MinEnergy if apogee_m.is_some() => {
            return Err(
                InputError("--apogee-km: only with --shape lofted or depressed".into()).into(),
            );
        }
        ShapeArg::MinEnergy => TrajectoryShape::MinEnergy,
        ShapeArg::Lofted => TrajectoryShape::Lofted { apogee_m },
        ShapeArg::Depressed => TrajectoryShape::Depressed { apogee_m },
    };
    let flight = flight::fly(&vehicle, &earth, &args.from, &args.via, &args.to, shape)
        .map_err(|e| InputError(format!("--to: {e}")))?;
    match args.format {
        Format::Json => {
            let request = FlightRequest {
                threat: args.threat.as_deref(),
                earth: match args.earth {
                    EarthArg::Wgs84 => "wgs84",
                    EarthArg::SphereVacuum => "sphere-vacuum",
                },
                shape: match args.shape {
                    ShapeArg::MinEnergy => "min-energy",
                    ShapeArg::Lofted => "lofted",
                    ShapeArg::Depressed => "depressed",
                },
                launch: &args.from,
                aim: &args.to,
            };
            let doc = trajectory_json(&request, &flight);
            println!("{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Table => {
            let rows = [
                (
                    "flight time",
                    format!(
                        "{:.1} s ({:.1} min)",
                        flight.flight_time_s,
                        flight.flight_time_s / 60.0
                    ),
                ),
                ("range", format!("{:.1} km", flight.range_m / 1e3)),
                ("apogee", format!("{:.1} km", flight.apogee_m / 1e3)),
                (
                    "launch azimuth",
                    format!("{:.2}°", flight.launch_azimuth_deg),
                ),
                (
                    "burnout",
                    flight.burnout.map_or("-".into(), |b| {
                        format!(
                            "t = {:.1} s, {:.0} m/s at {:.2}°",
                            b.time_s, b.speed_m_s, b.angle_deg
                        )
                    }),
                ),
                ("max speed", format!("{:.0} m/s", flight.max_speed_m_s)),
                (
                    "reentry speed (100 km)",
                    flight
                        .reentry_speed_m_s
                        .map_or("-".into(), |v| format!("{v:.0} m/s")),
                ),
                (
                    "impact speed",
                    format!("{:.0} m/s", flight.impact_speed_m_s),
                ),
                (
                    "impact",
                    format!(
                        "{:.5}, {:.5}",
                        flight.impact.lat_deg(),
                        flight.impact.lon_deg()
                    ),
                ),
                ("miss", format!("{:.2} m", flight.miss_m)),
            ];
            for (k, v) in rows {
                println!("{k:<24}{v}");
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
