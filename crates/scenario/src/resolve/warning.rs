//! Civil warning: the siren policy and its zones (a generated grid, or a GeoJSON file read
//! through the scenario's file resolver).

use crate::file::{self};
use crate::limits::Limit;
use crate::located::Located;
use crate::scenario::{Area, Asset, Warning, WarningZones};
use crate::source::FileError;

use super::checker::{Bounds, Checker, Index};

/// Default probability that a siren region holds the impact point: the 95 % of common
/// planning practice for prediction ellipses.
pub const DEFAULT_WARNING_CONFIDENCE: f64 = 0.95;
/// Default lead time a siren policy aims for, s: 90 s, the time to shelter that Israel's Home
/// Front Command gives the Tel Aviv (Dan) region (oref.org.il, "Time to enter a protected
/// space").
pub const DEFAULT_MIN_LEAD_S: f64 = 90.0;
/// Default time people stay sheltered after the last impact, s: the Home Front Command asks
/// people to stay in the protected space for 10 minutes after a siren (oref.org.il, "How to
/// act when an alert is sounded").
pub const DEFAULT_ALL_CLEAR_S: f64 = 600.0;

impl Checker<'_> {
    pub(super) fn warning(
        &mut self,
        w: &file::Warning,
        assets: &Index,
        areas: &[Option<Asset>],
    ) -> Option<Warning> {
        let confidence = match &w.confidence {
            Some(c) if c.value > 0.0 && c.value < 1.0 => Some(c.value),
            Some(c) => {
                self.err(
                    c.pos,
                    format!(
                        "expected a probability above 0 and below 1 for `confidence`, found {}",
                        c.value
                    ),
                );
                None
            }
            None => Some(DEFAULT_WARNING_CONFIDENCE),
        };
        let min_lead_s = match &w.min_lead_s {
            Some(v) => self.number(v, "min_lead_s", Bounds::NonNegative),
            None => Some(DEFAULT_MIN_LEAD_S),
        };
        let all_clear_s = match &w.all_clear_s {
            Some(v) => self.number(v, "all_clear_s", Bounds::NonNegative),
            None => Some(DEFAULT_ALL_CLEAR_S),
        };
        let zones = self.warning_zones(&w.zones, assets, areas);
        Some(Warning {
            zones: zones?,
            confidence: confidence?,
            min_lead_s: min_lead_s?,
            warn_debris: w.warn_debris.as_ref().is_none_or(|b| b.value),
            all_clear_s: all_clear_s?,
        })
    }

    pub(super) fn warning_zones(
        &mut self,
        z: &Located<file::Zones>,
        assets: &Index,
        areas: &[Option<Asset>],
    ) -> Option<WarningZones> {
        let n_assets = areas.len();
        let zones = &z.value;
        match (&zones.grid_km, &zones.geojson) {
            (Some(_), Some(g)) => {
                self.err(
                    g.pos,
                    "give `grid_km` or `geojson` for the warning zones, not both",
                );
                None
            }
            (None, None) => {
                if !self.damaged {
                    self.err(
                        z.pos,
                        "warning `zones` need `grid_km` (a grid over assets) or `geojson` (a file of zone polygons)",
                    );
                }
                None
            }
            (Some(grid_km), None) => {
                let cell_km = self.number(grid_km, "grid_km", Bounds::Positive);
                let over = match zones.over.as_ref().map(|o| &o.value) {
                    None | Some(file::Over::AllAssets) => {
                        if n_assets == 0 && !self.damaged {
                            self.err(
                                grid_km.pos,
                                "the warning grid covers the assets, but the scenario has none",
                            );
                            None
                        } else {
                            Some((0..n_assets).collect())
                        }
                    }
                    Some(file::Over::Assets(ids)) => {
                        let refs: Vec<Option<usize>> = ids
                            .iter()
                            .map(|id| self.reference(id, assets, "asset"))
                            .collect();
                        refs.into_iter().collect::<Option<Vec<usize>>>()
                    }
                };
                let shelter = match &zones.shelter_time_s {
                    Some(q) => self.quantity(q, "shelter_time_s", Bounds::NonNegative),
                    None => {
                        if !self.damaged {
                            self.err(
                                z.pos,
                                "missing field `shelter_time_s`: a warning grid needs the time people take to reach shelter",
                            );
                        }
                        None
                    }
                };
                let cell_m = cell_km? * 1000.0;
                let shape = zones
                    .shape
                    .as_ref()
                    .map_or(file::GridShape::Hex, |s| s.value);
                let over: Vec<usize> = over?;
                let covered: Option<Vec<&Area>> = over
                    .iter()
                    .map(|&i| areas.get(i)?.as_ref().map(|a| &a.area))
                    .collect();
                let cells = grid_cells(&covered?, cell_m, shape);
                if !self.within(
                    Limit::Zones,
                    cells,
                    grid_km.pos,
                    "the warning grid of `grid_km` over the assets has up to",
                ) {
                    return None;
                }
                Some(WarningZones::Grid {
                    cell_m,
                    shape,
                    over,
                    shelter_time_s: shelter?,
                })
            }
            (None, Some(g)) => {
                if let Some(o) = &zones.over {
                    self.err(
                        o.pos,
                        "`over` applies to a generated grid (`grid_km`), not to `geojson` zones",
                    );
                }
                if let Some(s) = &zones.shape {
                    self.err(
                        s.pos,
                        "`shape` applies to a generated grid (`grid_km`), not to `geojson` zones",
                    );
                }
                let shelter = match &zones.shelter_time_s {
                    Some(q) => self
                        .quantity(q, "shelter_time_s", Bounds::NonNegative)
                        .map(Some),
                    None => Some(None),
                };
                if g.value.trim().is_empty() {
                    self.err(
                        g.pos,
                        "expected the path of a GeoJSON file, found an empty string",
                    );
                    return None;
                }
                let file = match self.files.read(&g.value) {
                    Ok(file) => file,
                    Err(e) => {
                        let field = match e {
                            FileError::Absolute | FileError::OutsideFolder => {
                                " (`warning.zones.geojson`)"
                            }
                            _ => "",
                        };
                        self.err(g.pos, format!("GeoJSON file `{}`{field} {e}", g.value));
                        return None;
                    }
                };
                let shelter = shelter?;
                match crate::zones::read(&file.text, &g.value, shelter.map(|u| u.nominal)) {
                    Ok(zones)
                        if !self.within(
                            Limit::Zones,
                            zones.len() as u64,
                            g.pos,
                            &format!("GeoJSON file `{}` has", g.value),
                        ) =>
                    {
                        None
                    }
                    Ok(zones) => Some(WarningZones::GeoJson {
                        path: file.location,
                        zones,
                    }),
                    Err(problems) => {
                        for problem in problems {
                            self.err(g.pos, problem);
                        }
                        None
                    }
                }
            }
        }
    }
}

/// Mean radius of the Earth, m (IUGG mean radius R1 of WGS84, Moritz 1980, "Geodetic Reference
/// System 1980"): enough for counting grid cells.
const MEAN_EARTH_RADIUS_M: f64 = 6_371_008.8;

/// An upper bound on the cells of a warning grid of `cell_m` cells over `areas`: the cells of
/// their bounding box, with the margin of a cell on each side that the engine's grid takes.
fn grid_cells(areas: &[&Area], cell_m: f64, shape: file::GridShape) -> u64 {
    let (mut lat, mut lon) = (
        (f64::INFINITY, f64::NEG_INFINITY),
        (f64::INFINITY, f64::NEG_INFINITY),
    );
    let mut extend = |lat_deg: f64, lon_deg: f64, radius_m: f64| {
        let dlat = (radius_m / MEAN_EARTH_RADIUS_M).to_degrees();
        let dlon = dlat / lat_deg.to_radians().cos().max(1e-6);
        lat = (lat.0.min(lat_deg - dlat), lat.1.max(lat_deg + dlat));
        lon = (lon.0.min(lon_deg - dlon), lon.1.max(lon_deg + dlon));
    };
    for area in areas {
        match area {
            Area::Circle { center, radius_m } => {
                extend(center.lat_deg(), center.lon_deg(), *radius_m)
            }
            Area::Polygon { vertices, .. } => {
                for v in vertices {
                    extend(v.lat_deg(), v.lon_deg(), 0.0);
                }
            }
        }
    }
    if areas.is_empty() {
        return 0;
    }
    let lon_span = (lon.1 - lon.0).min(360.0);
    // The parallel nearest the equator is the longest.
    let nearest = if lat.0 <= 0.0 && lat.1 >= 0.0 {
        0.0
    } else {
        lat.0.abs().min(lat.1.abs()).min(90.0)
    };
    let widest = nearest.to_radians().cos();
    let height_m = (lat.1 - lat.0).to_radians() * MEAN_EARTH_RADIUS_M;
    let width_m = lon_span.to_radians() * MEAN_EARTH_RADIUS_M * widest;
    let row_m = match shape {
        file::GridShape::Square => cell_m,
        file::GridShape::Hex => 1.5 * cell_m / 3f64.sqrt(),
    };
    let cells = (width_m / cell_m + 4.0) * (height_m / row_m + 4.0);
    // A float beyond u64 saturates.
    cells as u64
}
