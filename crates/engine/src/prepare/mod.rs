//! Preparing a scenario: from a validated [`Scenario`] to a [`Prepared`] one, once per
//! scenario (flights in [`flights`], sensor coverage and engagement windows in [`reach`], warning
//! zones within reach in [`warning_zones`], abstract scenarios in [`abstract_kind`]).

mod abstract_kind;
mod cache;
mod error;
mod flights;
mod reach;
mod warning_zones;

use skyshield_core::SimTime;
use skyshield_physics::earth::{EnuFrame, Geodetic, geodesic_direct};
use skyshield_physics::earth_model::{EarthModel, Shape as EarthShape};
use skyshield_physics::flight::{TrajectoryShape, Vehicle};
use skyshield_scenario::threat_model::{self};
use skyshield_scenario::{
    Aim, LaunchSites, LayeredScenario, MAX_ASSETS, Scanning, Scenario, ScenarioKind, SensorParams,
    Shape, Uncertain,
};

use crate::prepared::{
    Battery, CLASSES, Coverage, KILL_ASSESSMENT_PROBABILITY, Opportunity, ParamId, Parameters,
    Prepared, Sensor, SensorKind, ThreatPlan, ThreatType, asset_bit,
};
pub use cache::{FlightCache, FlightCacheStats, GLOBAL_CACHE_SAMPLES};
pub use error::{ParameterSetError, PrepareError};
use flights::{FlightJob, bounding_sphere, fly_all, in_parallel, raid_centroid};
use reach::{DebrisFalls, Envelope, RadarGeometry, radar_intervals};

/// Sites of a raid group, in the order rounds are shared among them.
fn launch_sites(sites: &LaunchSites) -> Vec<Geodetic> {
    match sites {
        LaunchSites::Points(points) => points.clone(),
        LaunchSites::Area {
            center,
            radius_m,
            sites,
        } => {
            // A sunflower (Vogel) spiral spreads the sites evenly over the disc.
            let golden = std::f64::consts::PI * (3.0 - 5f64.sqrt());
            (0..*sites)
                .map(|j| {
                    let r = radius_m * ((j as f64 + 0.5) / *sites as f64).sqrt();
                    let azimuth = (j as f64 * golden).to_degrees();
                    geodesic_direct(center, azimuth, r)
                })
                .collect()
        }
    }
}

/// Prepares a scenario: trajectories, coverage, engagement windows (for an abstract scenario,
/// their geometry-free equivalents). Flights solved before in this process are taken from the
/// process-wide [`FlightCache::global`].
pub fn prepare(scenario: &Scenario) -> Result<Prepared, PrepareError> {
    prepare_with(scenario, FlightCache::global())
}

/// [`prepare`] with the flights of `cache`: those it holds are not solved again, those solved
/// are stored in it. The result is the same whatever the cache holds.
pub fn prepare_with(scenario: &Scenario, cache: &FlightCache) -> Result<Prepared, PrepareError> {
    Ok(prepare_timed(scenario, cache)?.0)
}

/// The time each stage of a preparation took, s.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PrepareStages {
    /// Threat types, rounds and their flights (solved, or found in the cache).
    pub flights_s: f64,
    /// Sensors and batteries, then sensor coverage and engagement windows of every trajectory.
    pub coverage_windows_s: f64,
    /// Warning zones within reach.
    pub warning_s: f64,
    /// The whole preparation (an abstract scenario's is all here).
    pub total_s: f64,
}

/// [`prepare_with`], and the time each of its stages took.
pub fn prepare_timed(
    scenario: &Scenario,
    cache: &FlightCache,
) -> Result<(Prepared, PrepareStages), PrepareError> {
    let start = std::time::Instant::now();
    let mut stages = PrepareStages::default();
    let mut prepared = match &scenario.kind {
        ScenarioKind::Layered(layered) => prepare_layered(scenario, layered, cache, &mut stages)?,
        ScenarioKind::Abstract(a) => abstract_kind::prepare(scenario, a),
    };
    prepared.prepare_s = start.elapsed().as_secs_f64();
    stages.total_s = prepared.prepare_s;
    Ok((prepared, stages))
}

fn prepare_layered(
    scenario: &Scenario,
    layered: &LayeredScenario,
    cache: &FlightCache,
    stages: &mut PrepareStages,
) -> Result<Prepared, PrepareError> {
    let start = std::time::Instant::now();
    if layered.assets.len() > MAX_ASSETS {
        return Err(PrepareError::TooManyAssets {
            count: layered.assets.len(),
            max: MAX_ASSETS,
        });
    }
    let earth = match layered.earth.model {
        skyshield_scenario::EarthModel::Sphere => EarthModel {
            shape: EarthShape::Sphere,
            rotation: layered.earth.rotation,
            j2: false,
            atmosphere: layered.earth.atmosphere,
        },
        skyshield_scenario::EarthModel::Wgs84 => EarthModel {
            shape: EarthShape::Wgs84,
            rotation: layered.earth.rotation,
            j2: true,
            atmosphere: layered.earth.atmosphere,
        },
    };

    // Threat types, trajectories and rounds.
    let mut params = Parameters::default();
    let mut types = Vec::new();
    let mut jobs = Vec::new();
    let mut threats = Vec::new();
    for (g, group) in layered.raid.iter().enumerate() {
        let t = &group.threat;
        let tp = &group.params;
        let vehicle =
            threat_model::vehicle(t, |u| u.nominal).map_err(|source| PrepareError::Model {
                group: group.id.clone(),
                source,
            })?;
        let manoeuvre_g = tp.terminal_manoeuvre_g.map_or(0.0, |m| m.nominal);
        types.push(ThreatType {
            group: group.id.clone(),
            type_id: t.id.clone(),
            class: t.class,
            reliability: params.add(format!("{} reliability", group.id), tp.reliability),
            cep_m: params.add(format!("{} cep_m", group.id), group.cep_m),
            rcs_m2: tp.rcs_m2.nominal,
            cost_usd: tp.cost_usd.nominal,
            manoeuvre_g,
            manoeuvre_body: match &vehicle {
                Vehicle::Boosted(m) if manoeuvre_g > 0.0 => Some(m.terminal_body()),
                _ => None,
            },
        });
        let aim = match &group.aim {
            Aim::Asset(i) => layered.assets[*i].area.aim_point(),
            Aim::Point(p) => *p,
        };
        let apogee_m = group.apogee_m.map(|u| u.nominal);
        let shape = match group.shape {
            Some(Shape::Lofted) => TrajectoryShape::Lofted { apogee_m },
            Some(Shape::Depressed) => TrajectoryShape::Depressed { apogee_m },
            _ => TrajectoryShape::MinEnergy,
        };
        let sites = launch_sites(&group.sites);
        let first = jobs.len();
        for site in sites.iter().copied() {
            jobs.push(FlightJob {
                group: g,
                vehicle: vehicle.clone(),
                site,
                aim,
                shape,
            });
        }
        // Each pulse spreads its rounds evenly over its window; rounds are numbered across
        // the pulses and shared among the sites in turn by that number.
        let mut round = 0usize;
        for pulse in &group.pulses {
            let (t0, t1) = pulse.window_s;
            for j in 0..pulse.count {
                let launch_s = t0 + (t1 - t0) * (j as f64 + 0.5) / pulse.count as f64;
                threats.push(ThreatPlan {
                    group: g,
                    key: ThreatPlan::key_of(&group.id, round),
                    trajectory: first + round % sites.len().max(1),
                    launch: SimTime::from_s(launch_s),
                });
                round += 1;
            }
        }
    }

    let (trajectories, flights) = fly_all(&jobs, layered, &earth, cache)?;
    stages.flights_s = start.elapsed().as_secs_f64();

    // Sensors.
    let mut sensors = Vec::new();
    let mut radar_geometry = Vec::new();
    let raid_centre = raid_centroid(&trajectories);
    for s in &layered.sensors {
        let kind = match &s.params {
            SensorParams::SpaceIr(t) => {
                radar_geometry.push(None);
                SensorKind::SpaceIr {
                    latency_s: params.add(format!("{} latency_s", s.id), t.latency_s),
                    detection_probability: params.add(
                        format!("{} detection_probability", s.id),
                        t.detection_probability,
                    ),
                    min_burn_time_s: t.min_burn_time_s.nominal,
                }
            }
            SensorParams::Radar(t) => {
                let site = s.position.unwrap_or(raid_centre);
                let site = site.with_height_m(site.height_m() + t.antenna_height_m.nominal);
                let sector = t.azimuth_sector_deg.nominal.to_radians();
                let facing = s.facing_rad.unwrap_or_else(|| {
                    skyshield_physics::earth::geodesic_inverse(&site, &raid_centre)
                        .azimuth1_deg
                        .to_radians()
                });
                radar_geometry.push(Some(RadarGeometry {
                    frame: EnuFrame::at(site),
                    antenna_m: site.height_m(),
                    half_sector_rad: 0.5 * sector,
                    facing_rad: facing,
                    min_el_rad: t.min_elevation_deg.nominal.to_radians(),
                    max_el_rad: t.max_elevation_deg.nominal.to_radians(),
                }));
                SensorKind::Radar {
                    position: site.to_ecef(),
                    range_1m2_m: t.detection_range_m.nominal
                        / t.reference_rcs_m2.nominal.powf(0.25),
                    scan_period_s: t.scan_period_s.nominal,
                    confirmation_dwell_s: match t.scanning {
                        Scanning::Electronic => Some(t.confirmation_dwell_s.nominal),
                        Scanning::Rotating => None,
                    },
                    track_revisit_s: match t.scanning {
                        Scanning::Electronic => t.track_revisit_s.nominal,
                        Scanning::Rotating => t.scan_period_s.nominal,
                    },
                    detection_probability: params.add(
                        format!("{} detection_probability", s.id),
                        t.detection_probability,
                    ),
                    detections_to_track: t.detections_to_track.nominal.round().max(1.0) as u32,
                    track_capacity: t.track_capacity.nominal.round().max(1.0) as u32,
                }
            }
        };
        sensors.push(Sensor {
            id: s.id.clone(),
            type_id: s.sensor_type.id.clone(),
            kind,
        });
    }

    // Batteries.
    let asset_values: Vec<f64> = layered
        .assets
        .iter()
        .map(|a| a.value * (1.0 - a.hardness))
        .collect();
    let mut batteries = Vec::new();
    for b in &layered.batteries {
        let t = &b.params;
        let mut kill_probability = [ParamId(0); 5];
        for (k, class) in CLASSES.iter().enumerate() {
            kill_probability[k] = params.add(
                format!("{} kill_probability_{}", b.id, class.name()),
                t.kill_probability(*class),
            );
        }
        batteries.push(BatteryBuild {
            battery: Battery {
                id: b.id.clone(),
                type_id: b.interceptor.id.clone(),
                tier: t.tier.rank(),
                position: b.position,
                rounds: b.rounds,
                fire_channels: b.fire_channels,
                salvo: layered.command.doctrine.shots_per_engagement,
                reaction_s: params.add(format!("{} reaction_time_s", b.id), t.reaction_time_s),
                cost_usd: t.cost_usd.nominal,
                kill_probability,
                manoeuvre_kill_factor: params.add(
                    format!("{} manoeuvre_kill_factor", b.id),
                    t.manoeuvre_kill_factor,
                ),
                radar: b.radar,
                remote_tracks: b.remote_tracks,
                network_delay_s: params.add(format!("{} network_delay_s", b.id), b.network_delay_s),
                defends: b.defends.iter().fold(0, |m, &a| m | asset_bit(a)),
                defended_value: if b.defends.is_empty() {
                    asset_values.iter().copied().fold(0.0, f64::max)
                } else {
                    b.defends
                        .iter()
                        .map(|&a| asset_values[a])
                        .fold(0.0, f64::max)
                },
                launchers: b.launchers,
                depot_rounds: b.depot_rounds,
                reload_s: params.add(format!("{} reload_time_s", b.id), t.reload_time_s),
                reserve_fraction: params
                    .add(format!("{} reserve_fraction", b.id), b.reserve_fraction),
            },
            envelope: Envelope {
                frame: EnuFrame::at(b.position),
                min_alt_m: t.min_altitude_m.nominal,
                max_alt_m: t.max_altitude_m.nominal,
                min_range_m: t.min_range_m.nominal,
                max_range_m: t.max_range_m.nominal,
                speed_m_s: t.speed_m_s.nominal,
                min_flight_s: t.min_flight_time_s.nominal,
            },
        });
    }

    // Coverage and engagement windows, for the pairs within reach (bounding-sphere test first),
    // one trajectory at a time on every core.
    let per_trajectory = in_parallel(&(0..trajectories.len()).collect::<Vec<_>>(), |&k| {
        let traj = &trajectories[k];
        let class = types[traj.group].class;
        let rcs = types[traj.group].rcs_m2;
        let (centre, radius) = bounding_sphere(traj);
        let mut cov = Vec::new();
        for (s, sensor) in sensors.iter().enumerate() {
            let intervals = match (&sensor.kind, &radar_geometry[s]) {
                (
                    SensorKind::SpaceIr {
                        min_burn_time_s, ..
                    },
                    _,
                ) => match traj.burnout_s {
                    Some(burn) if burn >= *min_burn_time_s => {
                        vec![(SimTime::ZERO, SimTime::from_s(burn))]
                    }
                    _ => Vec::new(),
                },
                (
                    SensorKind::Radar {
                        position,
                        range_1m2_m,
                        ..
                    },
                    Some(geo),
                ) => {
                    let range = range_1m2_m * rcs.powf(0.25);
                    if (*position - centre).norm() > range + radius {
                        continue;
                    }
                    flights[k].coverage(cache, geo.key(range), || radar_intervals(traj, geo, range))
                }
                _ => Vec::new(),
            };
            if !intervals.is_empty() {
                cov.push(Coverage {
                    sensor: s,
                    intervals,
                });
            }
        }
        let mut opp = Vec::new();
        let group = &layered.raid[traj.group].id;
        let mut falls = DebrisFalls::known(&earth, group, flights[k].falls());
        for (b, build) in batteries.iter().enumerate() {
            if params.range(build.battery.kill_probability(class)).high <= 0.0 {
                continue;
            }
            let reach = build.envelope.max_range_m.hypot(build.envelope.max_alt_m);
            if (build.envelope.frame.origin_ecef() - centre).norm() > reach + radius {
                continue;
            }
            let windows =
                build
                    .envelope
                    .windows(traj, types[traj.group].manoeuvre_body, &mut falls)?;
            if !windows.is_empty() {
                opp.push(Opportunity::new(b, windows));
            }
        }
        flights[k].keep_falls(cache, &falls.into_falls());
        Ok((cov, opp))
    });
    let (coverage, opportunities): (Vec<_>, Vec<_>) = per_trajectory
        .into_iter()
        .collect::<Result<Vec<_>, PrepareError>>()?
        .into_iter()
        .unzip();

    stages.coverage_windows_s = start.elapsed().as_secs_f64() - stages.flights_s;

    let doctrine = &layered.command.doctrine;
    let decision_latency = params.add(
        "decision_latency_s".into(),
        layered.command.decision_latency_s,
    );
    let kill_assessment_probability = params.add(
        "kill_assessment_probability".into(),
        Uncertain::exact(KILL_ASSESSMENT_PROBABILITY),
    );
    let warning = layered
        .warning
        .as_ref()
        .map(|w| warning_zones::plan(w, layered, &trajectories, &types, &opportunities, &params));
    stages.warning_s = start.elapsed().as_secs_f64() - stages.flights_s - stages.coverage_windows_s;
    Ok(Prepared {
        name: scenario.name.clone(),
        seed: scenario.seed,
        runs: scenario.runs,
        start: scenario.start,
        earth,
        types,
        trajectories,
        threats,
        asset_ids: layered.assets.iter().map(|a| a.id.clone()).collect(),
        asset_values,
        sensors,
        batteries: batteries.into_iter().map(|b| b.battery).collect(),
        coverage,
        opportunities,
        decision_latency_s: layered.command.decision_latency_s.nominal,
        decision_latency,
        policy: layered.command.policy,
        shoot_look_shoot: doctrine.shoot_look_shoot,
        engage_only_defended: doctrine.engage_only_defended,
        double_engagement: doctrine.double_engagement,
        required_kill_probability: doctrine.required_kill_probability,
        kill_assessment_probability,
        parameters: params,
        warning,
        prepare_s: 0.0,
        abstract_plan: None,
    })
}

struct BatteryBuild {
    battery: Battery,
    envelope: Envelope,
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use skyshield_core::SimTime;
    use skyshield_physics::earth::{Geodetic, geodesic_direct, geodesic_inverse};
    use skyshield_scenario::{LaunchSites, MAX_ASSETS, ScenarioKind};

    use super::{FlightCache, GLOBAL_CACHE_SAMPLES, PrepareError};
    use crate::prepared::SensorKind;

    /// The asset the tests' Emads are aimed at.
    const BASE: &str = "  - {id: base, circle: {center: [31.2, 35.0], radius_km: 2}}\n";

    /// A raid group `id` of one Emad launched from western Iran at `target`, with `more` of
    /// the group's fields.
    fn emad(id: &str, target: &str, more: &str) -> String {
        format!(
            "  - {{id: {id}, threat: emad, count: 1, launch: {{sites: [[34.3, 47.1]], window_s: [0, 0]}}, target: {target}{more}}}\n"
        )
    }

    /// The scenario of `body` (all but its name).
    fn scenario(body: &str) -> skyshield_scenario::Scenario {
        skyshield_scenario::from_str(&format!("name: t\n{body}"), Path::new("test.yaml"))
            .expect("valid")
    }

    /// The scenario of `body`, prepared.
    fn prepared(body: &str) -> crate::Prepared {
        super::prepare(&scenario(body)).expect("prepared")
    }

    /// A raid group's trajectory shape is the shape its flights take: lofted above the
    /// minimum-energy apogee, depressed below it, and a given apogee met.
    #[test]
    fn a_groups_shape_shapes_its_flights() {
        let p = prepared(&format!(
            "assets:\n{BASE}raid:\n{}{}{}{}",
            emad("me", "base", ""),
            emad("lofted", "base", ", shape: lofted"),
            emad("depressed", "base", ", shape: depressed"),
            emad("given", "base", ", shape: lofted, apogee_km: 600"),
        ));
        let apogee_km = |g: usize| {
            let t = p
                .trajectories
                .iter()
                .find(|t| t.group == g)
                .expect("a flight");
            t.apogee_m / 1e3
        };
        let (me, lofted, depressed, given) =
            (apogee_km(0), apogee_km(1), apogee_km(2), apogee_km(3));
        assert!(
            depressed < 0.9 * me && lofted > 1.1 * me,
            "apogees: {depressed:.0} km depressed, {me:.0} minimum-energy, {lofted:.0} lofted"
        );
        assert!((given - 600.0).abs() < 6.0, "{given:.1} km for 600 km");
    }

    /// A radar is prepared from its type and site: its antenna above the site, its range
    /// against 1 m² from the range against its type's reference RCS (the fourth-root law), and
    /// its azimuth sector about its facing. The radar stands 200 km past the target on the
    /// line of fire, so that it sees the threats at about the azimuth of their launch site:
    /// faced 50° off it, they are inside the Green Pine's 120° sector; 70° off, outside.
    #[test]
    fn a_radar_is_prepared_from_its_type_and_site() {
        let site = Geodetic::from_degrees(34.3, 47.1, 0.0).expect("a place");
        let target = Geodetic::from_degrees(31.2, 35.0, 0.0).expect("a place");
        let line = geodesic_inverse(&site, &target);
        let radar = geodesic_direct(&target, line.azimuth2_deg, 200e3);
        let bearing = geodesic_inverse(&radar, &site).azimuth1_deg;
        let seen = |off_deg: f64| {
            let p = prepared(&format!(
                "assets:\n{BASE}sensors:\n  - {{id: r, type: green-pine, at: [{}, {}, 60], facing_deg: {}}}\nraid:\n{}",
                radar.lat_deg(),
                radar.lon_deg(),
                (bearing + off_deg).rem_euclid(360.0),
                emad("g", "base", ""),
            ));
            let SensorKind::Radar {
                position,
                range_1m2_m,
                ..
            } = p.sensors[0].kind
            else {
                panic!("a radar")
            };
            // The Green Pine's antenna (5 m) and range (500 km against 0.1 m²).
            let height = Geodetic::from_ecef(position).height_m();
            assert!((height - 65.0).abs() < 1e-6, "antenna at {height} m");
            assert!((range_1m2_m / (500e3 / 0.1f64.powf(0.25)) - 1.0).abs() < 1e-12);
            !p.coverage[0].is_empty()
        };
        assert!(seen(-50.0) && seen(50.0), "inside the sector");
        assert!(!seen(-70.0) && !seen(70.0), "outside the sector");
    }

    /// Space-based early warning sees a boost at least its `min_burn_time_s` long (10 s), from
    /// launch to burnout: the Emad's, not the Qassam's (2 s).
    #[test]
    fn space_early_warning_sees_only_boosts_long_enough() {
        let p = prepared(&format!(
            "assets:\n  - {{id: town, circle: {{center: [31.52, 34.60], radius_km: 2}}}}\n{BASE}sensors:\n  - {{id: ew, type: space-ir}}\nraid:\n{}  - {{id: qassam, threat: qassam, count: 1, launch: {{sites: [[31.545, 34.535]], window_s: [0, 0]}}, target: town}}\n",
            emad("emad", "base", ""),
        ));
        for (k, t) in p.trajectories.iter().enumerate() {
            let burn_s = t.burnout_s.expect("a boost");
            let seen: Vec<_> = p.coverage[k].iter().map(|c| c.intervals.clone()).collect();
            if t.group == 0 {
                assert!(burn_s >= 10.0);
                assert_eq!(seen, [vec![(SimTime::ZERO, SimTime::from_s(burn_s))]]);
            } else {
                assert!(burn_s < 10.0);
                assert!(seen.is_empty(), "{seen:?}");
            }
        }
    }

    /// An asset's value for the battle manager is its value less the share its hardness
    /// absorbs; a battery defends the set of its `defends` (an asset named twice counts once),
    /// worth the most valuable of them.
    #[test]
    fn assets_are_worth_their_value_less_their_hardness_to_the_batteries_defending_them() {
        let p = prepared(&format!(
            "assets:\n  - {{id: a, circle: {{center: [31.2, 35.0], radius_km: 2}}, value: 10, hardness: 0.3}}\n  - {{id: b, circle: {{center: [31.3, 35.0], radius_km: 2}}, value: 4}}\n  - {{id: c, circle: {{center: [31.4, 35.0], radius_km: 2}}, value: 8}}\nbatteries:\n  - {{id: d, type: iron-dome, at: [31.3, 35.0], defends: [a, c, a]}}\nraid:\n{}",
            emad("g", "b", ""),
        ));
        assert_eq!(p.asset_values, [7.0, 4.0, 8.0]);
        assert_eq!(p.batteries[0].defends, 0b101);
        assert_eq!(p.batteries[0].defended_value, 8.0);
    }

    /// A radar out of reach of a flight (its range past the flight's bounding sphere) computes
    /// no coverage of it; and the stages of a preparation take no negative time, and no more in
    /// all than the preparation.
    #[test]
    fn a_radar_out_of_reach_computes_no_coverage_and_the_stages_add_up() {
        for (at, computed) in [("[31.9, 34.9]", 1), ("[10.0, 10.0]", 0)] {
            let scenario = scenario(&format!(
                "assets:\n{BASE}sensors:\n  - {{id: r, type: green-pine, at: {at}}}\nraid:\n{}",
                emad("g", "base", ""),
            ));
            let cache = FlightCache::new(GLOBAL_CACHE_SAMPLES);
            let (_, stages) = super::prepare_timed(&scenario, &cache).expect("prepared");
            assert_eq!(cache.stats().coverages, computed, "a radar at {at}");
            let parts = [
                stages.flights_s,
                stages.coverage_windows_s,
                stages.warning_s,
            ];
            assert!(parts.iter().all(|&s| s >= 0.0), "{stages:?}");
            assert!(parts.iter().sum::<f64>() <= stages.total_s, "{stages:?}");
        }
    }

    /// A scenario of as many assets as the battle manager's sets hold is prepared; one more
    /// (added in code: a file with it is refused) is refused with the count named.
    #[test]
    fn a_scenario_of_at_most_64_assets_is_prepared() {
        let assets: String = (0..MAX_ASSETS)
            .map(|k| {
                format!("  - {{id: a{k}, circle: {{center: [32, 34.{k:02}], radius_km: 1}}}}\n")
            })
            .collect();
        let mut scenario = scenario(&format!("assets:\n{assets}raid:\n{}", emad("g", "a0", "")));
        assert!(super::prepare(&scenario).is_ok());
        let ScenarioKind::Layered(layered) = &mut scenario.kind else {
            panic!("a layered scenario")
        };
        layered.assets.push(layered.assets[0].clone());
        let refused = super::prepare(&scenario);
        assert!(
            matches!(
                refused,
                Err(PrepareError::TooManyAssets { count: 65, max: 64 })
            ),
            "{refused:?}"
        );
    }

    /// Sites over an area lie inside its circle, spread evenly: a quarter of them (the share of
    /// the area) within half its radius, and no two closer than 0.7 of the spacing of as many
    /// points packed hexagonally over the disc (the sunflower spiral keeps about 0.8).
    #[test]
    fn sites_over_an_area_spread_evenly_over_its_disc() {
        let center = Geodetic::from_degrees(34.3, 47.1, 0.0).expect("a place");
        let radius_m = 60e3;
        for sites in [20, 40, 100] {
            let placed = super::launch_sites(&LaunchSites::Area {
                center,
                radius_m,
                sites,
            });
            assert_eq!(placed.len(), sites as usize);
            let from_centre: Vec<f64> = placed
                .iter()
                .map(|s| geodesic_inverse(&center, s).distance_m)
                .collect();
            assert!(from_centre.iter().all(|&d| d <= radius_m * (1.0 + 1e-9)));
            let inner = from_centre.iter().filter(|&&d| d <= 0.5 * radius_m).count();
            assert!(
                inner.abs_diff(sites as usize / 4) <= 1,
                "{inner} of {sites} inner"
            );
            let n = f64::from(sites);
            let packed = (2.0 * std::f64::consts::PI / (3f64.sqrt() * n)).sqrt() * radius_m;
            let closest = placed
                .iter()
                .enumerate()
                .flat_map(|(i, a)| placed[i + 1..].iter().map(|b| geodesic_inverse(a, b)))
                .map(|g| g.distance_m)
                .fold(f64::INFINITY, f64::min);
            assert!(
                closest >= 0.7 * packed,
                "{sites} sites: the closest two {closest:.0} m apart, packed {packed:.0} m"
            );
        }
    }
}
