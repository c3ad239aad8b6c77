//! The warning plan of a layered scenario: its zones (from the scenario's GeoJSON, or a grid
//! generated over the covered assets), and for each trajectory the zones within its reach
//! (see [`crate::zones`]).

use skyshield_physics::earth::EnuFrame;
use skyshield_scenario::{LayeredScenario, Warning, WarningZones};

use crate::prepared::{
    CEP_TO_SIGMA, DEBRIS_SIGMA_M, Opportunity, Parameters, ThreatType, Trajectory,
    prediction_sigma_m,
};
use crate::zones::{
    Covered, PlaneZone, REACH_SIGMAS, WarningPlan, confidence_sigmas, grid, plane_point,
};

/// Builds the warning plan of a layered scenario with the trajectories already flown.
pub(super) fn plan(
    warning: &Warning,
    layered: &LayeredScenario,
    trajectories: &[Trajectory],
    types: &[ThreatType],
    opportunities: &[Vec<Opportunity>],
    params: &Parameters,
) -> WarningPlan {
    let zones = match &warning.zones {
        WarningZones::GeoJson { zones, .. } => zones.clone(),
        WarningZones::Grid {
            cell_m,
            shape,
            over,
            shelter_time_s,
        } => {
            let covered: Vec<Covered> = over
                .iter()
                .map(|&a| {
                    let asset = &layered.assets[a];
                    Covered {
                        id: &asset.id,
                        area: &asset.area,
                        population: asset.population,
                    }
                })
                .collect();
            grid(&covered, *cell_m, *shape, shelter_time_s.nominal)
        }
    };
    let sigmas = confidence_sigmas(warning.confidence);
    let near = trajectories
        .iter()
        .enumerate()
        .map(|(tr, traj)| {
            let frame = EnuFrame::at(traj.impact.point().with_height_m(0.0));
            let kind = &types[traj.group];
            let cep_sigma = params.range(kind.cep_m).high * CEP_TO_SIGMA;
            let reach_m = (sigmas + REACH_SIGMAS)
                * prediction_sigma_m(0.0, traj.flight_time_s, kind.manoeuvre_g)
                + REACH_SIGMAS * cep_sigma;
            let debris_reach_m = (sigmas + REACH_SIGMAS) * DEBRIS_SIGMA_M;
            let falls: Vec<(f64, f64)> = if warning.warn_debris {
                opportunities[tr]
                    .iter()
                    .flat_map(|o| &o.windows)
                    .map(|w| plane_point(&w.debris.point(), &frame))
                    .collect()
            } else {
                Vec::new()
            };
            zones
                .iter()
                .enumerate()
                .map(|(z, zone)| PlaneZone::new(z, zone, &frame))
                .filter(|pz| {
                    pz.distance_m(0.0, 0.0) <= reach_m
                        || falls.iter().any(|&(e, n)| {
                            (e - pz.centre.0).hypot(n - pz.centre.1) - pz.radius_m <= debris_reach_m
                        })
                })
                .collect()
        })
        .collect();
    WarningPlan {
        zones,
        confidence: warning.confidence,
        sigmas,
        min_lead_s: warning.min_lead_s,
        warn_debris: warning.warn_debris,
        all_clear_s: warning.all_clear_s,
        near,
    }
}
