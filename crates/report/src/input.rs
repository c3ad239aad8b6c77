//! What `skyshield report` reads from a run's output folder: `summary.json`,
//! `events.parquet` and, when the summary has civil warning, `zones.geojson`. Each reader names the file, and the field or column, that it could not use.

use std::fs;
use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use skyshield_mc::{Summary, WarningSummary};

use crate::tables::column;

/// Why an input file could not be used.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Malformed { path: PathBuf, message: String },
    /// The copy of the scenario is not a valid scenario file: every problem, one a line.
    #[error("{diagnostics}\n{}: not a valid scenario file", path.display())]
    Scenario { path: PathBuf, diagnostics: String },
}

fn malformed(path: &Path, message: impl Into<String>) -> InputError {
    InputError::Malformed {
        path: path.to_path_buf(),
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, InputError> {
    fs::read(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Reads and checks `summary.json` (a [`Summary`] of this or an older version).
pub fn read_summary(path: &Path) -> Result<Summary, InputError> {
    let bytes = read(path)?;
    serde_json::from_slice(&bytes).map_err(|e| malformed(path, e.to_string()))
}

/// A warning zone's area, from `zones.geojson`.
#[derive(Debug, Clone, PartialEq)]
pub struct ZoneShape {
    /// The zone's `name` property.
    pub name: String,
    /// Fraction of runs in which its people were warned too late (from the summary's zone of
    /// that name).
    pub p_too_late: f64,
    /// Its polygons, each a list of rings (the outer ring first, then holes) of
    /// `(lon_deg, lat_deg)` positions.
    pub polygons: Vec<Vec<Vec<(f64, f64)>>>,
}

/// Reads `zones.geojson`: a FeatureCollection of zones, each a `Polygon` or `MultiPolygon` with
/// the `name` of a zone of `warning` (the summary's).
pub fn read_zones(path: &Path, warning: &WarningSummary) -> Result<Vec<ZoneShape>, InputError> {
    let bytes = read(path)?;
    let text = std::str::from_utf8(&bytes).map_err(|e| malformed(path, e.to_string()))?;
    let fc = text
        .parse::<geojson::FeatureCollection>()
        .map_err(|e| malformed(path, format!("not a GeoJSON FeatureCollection: {e}")))?;
    fc.features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let name = feature
                .property("name")
                .and_then(|v| v.as_str())
                .ok_or_else(|| malformed(path, format!("feature {i}: no string `name` property")))?
                .to_string();
            let p_too_late = warning
                .zones
                .get(&name)
                .ok_or_else(|| {
                    malformed(
                        path,
                        format!("feature {i}: zone `{name}` is not a warning zone of summary.json"),
                    )
                })?
                .p_too_late;
            let bad_position = || {
                malformed(
                    path,
                    format!(
                        "feature {i} (`{name}`): a position is not a finite longitude and latitude"
                    ),
                )
            };
            let ring = |ring: &Vec<geojson::Position>| {
                ring.iter()
                    .map(|p| match p.as_slice() {
                        &[lon, lat, ..] if lon.is_finite() && lat.is_finite() => Ok((lon, lat)),
                        _ => Err(bad_position()),
                    })
                    .collect::<Result<Vec<_>, _>>()
            };
            let polygon = |rings: &Vec<Vec<geojson::Position>>| {
                rings.iter().map(ring).collect::<Result<Vec<_>, _>>()
            };
            let polygons = match feature.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Polygon { coordinates }) => {
                    vec![polygon(coordinates)?]
                }
                Some(geojson::GeometryValue::MultiPolygon { coordinates }) => coordinates
                    .iter()
                    .map(polygon)
                    .collect::<Result<Vec<_>, _>>()?,
                _ => {
                    return Err(malformed(
                        path,
                        format!(
                            "feature {i} (`{name}`): the geometry is not a Polygon or MultiPolygon"
                        ),
                    ));
                }
            };
            Ok(ZoneShape {
                name,
                p_too_late,
                polygons,
            })
        })
        .collect()
}

pub use skyshield_engine::Fate;

/// One threat of one sampled run: the columns of `events.parquet` that the plots use.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub run: u64,
    pub launch_s: f64,
    pub fate: Fate,
    /// Time of impact, intercept or failure, s.
    pub end_s: f64,
    /// Impact point, or the ground point under the intercept, degrees (absent when null or not
    /// finite).
    pub lat_lon_deg: Option<(f64, f64)>,
}

/// Reads `events.parquet`.
pub fn read_events(path: &Path) -> Result<Vec<Event>, InputError> {
    let file = fs::File::open(path).map_err(|source| InputError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| malformed(path, format!("not a readable Parquet file: {e}")))?;
    let mut events = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| malformed(path, e.to_string()))?;
        let columns = Columns {
            path,
            batch: &batch,
        };
        let run = columns.u64s(column::RUN)?;
        let launch_s = columns.f64s(column::LAUNCH_S)?;
        let fate = columns.strings(column::FATE)?;
        let end_s = columns.f64s(column::END_S)?;
        let lat = columns.f64s(column::LAT_DEG)?;
        let lon = columns.f64s(column::LON_DEG)?;
        for i in 0..batch.num_rows() {
            let required = |v: Option<f64>, name: &str| {
                v.ok_or_else(|| malformed(path, format!("column `{name}`: null in row {i}")))
            };
            let fate_text = fate[i].as_deref().unwrap_or("null");
            let fate = Fate::ALL
                .into_iter()
                .find(|f| f.name() == fate_text)
                .ok_or_else(|| {
                    malformed(
                        path,
                        format!(
                            "column `fate`: `{fate_text}` in row {i} is not one of intercepted, \
                         leaked, ignored_open_area, failed_in_flight"
                        ),
                    )
                })?;
            events.push(Event {
                run: run[i]
                    .ok_or_else(|| malformed(path, format!("column `run`: null in row {i}")))?,
                launch_s: required(launch_s[i], column::LAUNCH_S)?,
                fate,
                end_s: required(end_s[i], column::END_S)?,
                lat_lon_deg: lat[i]
                    .zip(lon[i])
                    .filter(|(lat, lon)| lat.is_finite() && lon.is_finite()),
            });
        }
    }
    Ok(events)
}

/// The columns of one record batch, looked up by name.
struct Columns<'a> {
    path: &'a Path,
    batch: &'a RecordBatch,
}

impl Columns<'_> {
    fn column(&self, name: &str) -> Result<&dyn Array, InputError> {
        self.batch
            .column_by_name(name)
            .map(|c| c.as_ref())
            .ok_or_else(|| malformed(self.path, format!("no column `{name}`")))
    }

    fn wrong_type(&self, name: &str, expected: &str, array: &dyn Array) -> InputError {
        malformed(
            self.path,
            format!(
                "column `{name}` has type {}, expected {expected}",
                array.data_type()
            ),
        )
    }

    fn u64s(&self, name: &str) -> Result<Vec<Option<u64>>, InputError> {
        let array = self.column(name)?;
        let values = array
            .as_primitive_opt::<UInt64Type>()
            .ok_or_else(|| self.wrong_type(name, "UInt64", array))?;
        Ok(values.iter().collect())
    }

    fn f64s(&self, name: &str) -> Result<Vec<Option<f64>>, InputError> {
        let array = self.column(name)?;
        let values = array
            .as_primitive_opt::<Float64Type>()
            .ok_or_else(|| self.wrong_type(name, "Float64", array))?;
        Ok(values.iter().collect())
    }

    fn strings(&self, name: &str) -> Result<Vec<Option<String>>, InputError> {
        let array = self.column(name)?;
        let owned = |v: Option<&str>| v.map(str::to_string);
        if let Some(values) = array.as_string_opt::<i32>() {
            Ok(values.iter().map(owned).collect())
        } else if let Some(values) = array.as_string_opt::<i64>() {
            Ok(values.iter().map(owned).collect())
        } else {
            Err(self.wrong_type(name, "Utf8", array))
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, StringArray, UInt32Array, UInt64Array};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowWriter;

    use super::*;

    /// A summary in the shape `skyshield run --out` writes.
    pub(crate) const SUMMARY: &str = r#"{
      "scenario": "Test raid", "runs": 40, "seed": 7, "threats": 12,
      "version": "0.1.0-test", "representative_run": 3,
      "leakers": {"mean": 2.5, "sd": 1.1, "ci95": [2.16, 2.84], "p_zero": 0.05,
                  "p_zero_ci95": [0.014, 0.165], "quantiles": {"p5": 1.0, "p50": 2.0, "p95": 4.0},
                  "histogram": [2, 6, 12, 10, 8, 2]},
      "fates": {"intercepted": 8.0, "leaked": 2.5, "ignored_open_area": 1.0, "failed_in_flight": 0.5},
      "leak_causes": {"out_of_reach": 0.25, "never_detected": 0.0, "judged_killed_wrongly": 0.0,
                      "all_shots_missed": 0.75, "judged_harmless_wrongly": 0.0, "no_window": 0.0,
                      "tracked_too_late": 0.0, "no_rounds": 1.5, "no_free_channel": 0.0},
      "by_layer": {
        "arrow-3": {"shots": 4.0, "kills": 3.1, "shots_ci95": [3.8, 4.2], "kills_ci95": [2.9, 3.3],
                    "shots_stats": {"mean": 4.0, "sd": 0.6, "ci95": [3.8, 4.2],
                                    "quantiles": {"p5": 3.0, "p50": 4.0, "p95": 5.0},
                                    "histogram": [0, 0, 0, 8, 24, 8]},
                    "kills_stats": {"mean": 3.1, "sd": 0.6, "ci95": [2.9, 3.3],
                                    "quantiles": {"p5": 2.0, "p50": 3.0, "p95": 4.0},
                                    "histogram": [0, 0, 6, 24, 10]},
                    "rounds": 8, "rounds_left": 4.0, "reloaded": 2.25, "cost_usd": 12000000.0},
        "iron-dome": {"shots": 6.0, "kills": 4.9, "shots_ci95": [5.5, 6.5], "kills_ci95": [4.5, 5.3],
                      "shots_stats": {"mean": 6.0, "sd": 1.5, "ci95": [5.5, 6.5],
                                      "quantiles": {"p5": 4.0, "p50": 6.0, "p95": 8.0},
                                      "histogram": [0, 0, 0, 0, 5, 8, 14, 8, 5]},
                      "kills_stats": {"mean": 4.9, "sd": 1.2, "ci95": [4.5, 5.3],
                                      "quantiles": {"p5": 3.0, "p50": 5.0, "p95": 7.0},
                                      "histogram": [0, 0, 0, 4, 8, 16, 8, 4]},
                      "rounds": null, "rounds_left": null, "cost_usd": 300000.0}
      },
      "cost_usd": {"defense": 12300000.0, "defense_sd": 1.0, "defense_ci95": [12000000.0, 12600000.0],
                   "defense_quantiles": {"p5": 11000000.0, "p50": 12300000.0, "p95": 13600000.0},
                   "offense": 5000000.0, "exchange_ratio": 2.46},
      "assets": {"port": {"hits_mean": 1.5, "p_hit": 0.8, "p_hit_ci95": [0.65, 0.9],
                          "hits": {"mean": 1.5, "sd": 1.0, "ci95": [1.19, 1.81],
                                   "quantiles": {"p5": 0.0, "p50": 1.0, "p95": 3.0},
                                   "histogram": [8, 12, 12, 8]}}},
      "timing": {"wall_s": 0.1, "runs_per_s": 400.0, "threads": 2, "prepare_s": 0.2}
    }"#;

    /// The `warning` of a summary in the shape `skyshield run --out` writes, with two zones.
    pub(crate) const WARNING: &str = r#"{
      "zone_count": 2, "population": 30000.0, "confidence": 0.95, "region_sigmas": 2.45,
      "min_lead_s": 90.0, "warn_debris": true, "all_clear_s": 600.0,
      "siren_lead_s": {"count": 6, "mean": 95.0, "sd": 40.0, "p5": 10.0, "p50": 100.0,
                       "p95": 3700.0, "histogram_bin_s": 10.0, "histogram_cap_s": 100.0,
                       "histogram": [2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]},
      "early_warning_lead_s": {"count": 0, "mean": null, "sd": null, "p5": null, "p50": null,
                               "p95": null, "histogram_bin_s": 10.0,
                               "histogram_cap_s": 3600.0, "histogram": []},
      "sirens_mean": 3.0, "impacts_in_zones_mean": 1.5,
      "false_alarm_zones_mean": 0.5, "false_alarm_zones_ci95": [0.3, 0.7],
      "false_alarm_people_mean": 5000.0, "false_alarm_people_ci95": [3000.0, 7000.0],
      "too_late_people_mean": 1200.0, "too_late_people_ci95": [800.0, 1600.0],
      "people_minutes_under_alert_mean": 90000.0,
      "people_minutes_under_alert_ci95": [80000.0, 100000.0],
      "zones": {
        "north": {"population": 10000.0, "shelter_time_s": 90.0, "alerts_mean": 2.0,
                  "impacts_mean": 1.0, "p_alert": 0.9, "p_impact": 0.5, "p_too_late": 0.1,
                  "alert_minutes_mean": 9.0},
        "south": {"population": 20000.0, "shelter_time_s": 60.0, "alerts_mean": 0.0,
                  "impacts_mean": 0.0, "p_alert": 0.0, "p_impact": 0.0, "p_too_late": 0.0,
                  "alert_minutes_mean": 0.0}
      }
    }"#;

    /// The zones of [`WARNING`] as `zones.geojson` has them: a Polygon with a hole and a
    /// MultiPolygon.
    pub(crate) const ZONES: &str = r#"{"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"name": "north", "alerts_mean": 2.0},
       "geometry": {"type": "Polygon", "coordinates": [
         [[34.8, 32.0], [34.9, 32.0], [34.9, 32.1], [34.8, 32.1], [34.8, 32.0]],
         [[34.84, 32.04], [34.86, 32.04], [34.86, 32.06], [34.84, 32.04]]]}},
      {"type": "Feature", "properties": {"name": "south"},
       "geometry": {"type": "MultiPolygon", "coordinates": [
         [[[34.8, 31.8], [34.9, 31.8], [34.9, 31.9], [34.8, 31.8]]],
         [[[35.0, 31.8], [35.1, 31.8], [35.1, 31.9], [35.0, 31.8]]]]}}
    ]}"#;

    /// [`SUMMARY`] with [`WARNING`].
    pub(crate) fn summary_with_warning() -> Summary {
        let mut doc: serde_json::Value = serde_json::from_str(SUMMARY).unwrap();
        doc["warning"] = serde_json::from_str(WARNING).unwrap();
        serde_json::from_value(doc).unwrap()
    }

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "skyshield-report-input-{}-{name}",
            std::process::id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn write_parquet(path: &Path, fields: Vec<Field>, columns: Vec<ArrayRef>) {
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap();
        let mut writer =
            ArrowWriter::try_new(fs::File::create(path).unwrap(), batch.schema(), None).unwrap();
        writer.write(&batch).unwrap();
        writer.close().unwrap();
    }

    /// Events with the columns of the `events.parquet` contract that the report reads, plus
    /// one it does not.
    fn events_columns(fates: Vec<&str>) -> (Vec<Field>, Vec<ArrayRef>) {
        let n = fates.len();
        let f64s = |base: f64| {
            Arc::new(Float64Array::from_iter_values(
                (0..n).map(|i| base + i as f64),
            )) as ArrayRef
        };
        (
            vec![
                Field::new("run", DataType::UInt64, false),
                Field::new("threat", DataType::UInt32, false),
                Field::new("launch_s", DataType::Float64, false),
                Field::new("fate", DataType::Utf8, false),
                Field::new("end_s", DataType::Float64, false),
                Field::new("lat_deg", DataType::Float64, true),
                Field::new("lon_deg", DataType::Float64, true),
            ],
            vec![
                Arc::new(UInt64Array::from_iter_values((0..n as u64).map(|i| i / 2))),
                Arc::new(UInt32Array::from_iter_values(0..n as u32)),
                f64s(0.0),
                Arc::new(StringArray::from(fates)),
                f64s(100.0),
                Arc::new(Float64Array::from(
                    (0..n).map(|i| (i != 1).then_some(32.0)).collect::<Vec<_>>(),
                )),
                f64s(34.0),
            ],
        )
    }

    #[test]
    fn a_summary_is_read_with_its_optional_fields() {
        let dir = scratch("summary");
        let path = dir.join("summary.json");
        fs::write(&path, SUMMARY).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!((s.runs, s.seed, s.threats), (40, 7, 12));
        assert_eq!(s.version, "0.1.0-test");
        assert_eq!(s.representative_run, Some(3));
        assert_eq!(s.by_layer["iron-dome"].rounds, None);
        assert_eq!(s.leakers.histogram.len(), 6);
        // Older summaries have neither version nor representative run.
        let mut doc: serde_json::Value = serde_json::from_str(SUMMARY).unwrap();
        doc.as_object_mut().unwrap().remove("version");
        doc.as_object_mut().unwrap().remove("representative_run");
        fs::write(&path, doc.to_string()).unwrap();
        let s = read_summary(&path).unwrap();
        assert_eq!((s.version.as_str(), s.representative_run), ("", None));
    }

    #[test]
    fn a_missing_or_malformed_summary_names_the_file_and_the_field() {
        let dir = scratch("bad-summary");
        let path = dir.join("summary.json");
        let err = read_summary(&path).unwrap_err().to_string();
        assert!(
            err.starts_with(&format!("{}: cannot read the file", path.display())),
            "{err}"
        );
        let mut doc: serde_json::Value = serde_json::from_str(SUMMARY).unwrap();
        doc.as_object_mut().unwrap().remove("leakers");
        fs::write(&path, doc.to_string()).unwrap();
        let err = read_summary(&path).unwrap_err().to_string();
        assert!(
            err.contains("summary.json: missing field `leakers`"),
            "{err}"
        );
        fs::write(&path, "{\"runs\": \"many\"").unwrap();
        let err = read_summary(&path).unwrap_err().to_string();
        assert!(
            err.contains("summary.json: invalid type") && err.contains("line 1"),
            "{err}"
        );
    }

    #[test]
    fn warning_and_zones_are_read() {
        let plain: Summary = serde_json::from_str(SUMMARY).unwrap();
        assert!(plain.warning.is_none(), "a summary without warning zones");
        let summary = summary_with_warning();
        let w = summary.warning.as_ref().expect("a warning");
        assert_eq!(w.siren_lead_s.histogram.iter().sum::<u64>(), 6);
        assert_eq!(w.early_warning_lead_s.p50, None);
        let dir = scratch("zones");
        let path = dir.join("zones.geojson");
        fs::write(&path, ZONES).unwrap();
        let zones = read_zones(&path, w).unwrap();
        assert_eq!(zones.len(), 2);
        assert_eq!(
            (zones[0].name.as_str(), zones[0].p_too_late),
            ("north", 0.1)
        );
        assert_eq!(zones[0].polygons.len(), 1);
        assert_eq!(zones[0].polygons[0].len(), 2, "outer ring and hole");
        assert_eq!(zones[0].polygons[0][0][1], (34.9, 32.0));
        assert_eq!(zones[1].polygons.len(), 2, "a MultiPolygon of two parts");
    }

    #[test]
    fn bad_zones_name_the_file_and_the_feature() {
        let summary = summary_with_warning();
        let w = summary.warning.as_ref().unwrap();
        let dir = scratch("bad-zones");
        let path = dir.join("zones.geojson");
        let err = read_zones(&path, w).unwrap_err().to_string();
        assert!(err.contains("zones.geojson: cannot read the file"), "{err}");
        for (text, expected) in [
            (
                "{\"type\": \"Feature",
                "zones.geojson: not a GeoJSON FeatureCollection",
            ),
            (
                &ZONES.replace("\"south\"", "\"west\""),
                "zones.geojson: feature 1: zone `west` is not a warning zone of summary.json",
            ),
            (
                &ZONES.replace("\"name\": \"north\", ", ""),
                "zones.geojson: feature 0: no string `name` property",
            ),
            (
                r#"{"type": "FeatureCollection", "features": [{"type": "Feature",
                   "properties": {"name": "south"},
                   "geometry": {"type": "Point", "coordinates": [34.8, 31.8]}}]}"#,
                "zones.geojson: feature 0 (`south`): the geometry is not a Polygon or MultiPolygon",
            ),
            (
                &ZONES.replace("[34.8, 32.0], [34.9, 32.0]", "[34.8, 32.0], [34.9]"),
                "zones.geojson: feature 0 (`north`): a position is not a finite longitude and \
                 latitude",
            ),
        ] {
            fs::write(&path, text).unwrap();
            let err = read_zones(&path, w).unwrap_err().to_string();
            assert!(err.contains(expected), "{err}");
        }
    }

    #[test]
    fn events_are_read_by_column_name() {
        let dir = scratch("events");
        let path = dir.join("events.parquet");
        let (fields, columns) = events_columns(vec![
            "intercepted",
            "leaked",
            "ignored_open_area",
            "failed_in_flight",
        ]);
        write_parquet(&path, fields, columns);
        let events = read_events(&path).unwrap();
        assert_eq!(events.len(), 4);
        assert_eq!(
            events[0],
            Event {
                run: 0,
                launch_s: 0.0,
                fate: Fate::Intercepted,
                end_s: 100.0,
                lat_lon_deg: Some((32.0, 34.0)),
            }
        );
        assert_eq!(
            events[1].lat_lon_deg, None,
            "a null latitude leaves the point unknown"
        );
        assert_eq!(events[3].fate, Fate::FailedInFlight);
        assert_eq!(events[3].run, 1);
    }

    #[test]
    fn bad_events_name_the_file_and_the_column() {
        let dir = scratch("bad-events");
        let path = dir.join("events.parquet");
        let err = read_events(&path).unwrap_err().to_string();
        assert!(
            err.contains("events.parquet: cannot read the file"),
            "{err}"
        );

        fs::write(&path, "not parquet").unwrap();
        let err = read_events(&path).unwrap_err().to_string();
        assert!(
            err.contains("events.parquet: not a readable Parquet file"),
            "{err}"
        );

        let (fields, columns) = events_columns(vec!["intercepted", "vanished"]);
        write_parquet(&path, fields.clone(), columns.clone());
        let err = read_events(&path).unwrap_err().to_string();
        assert!(err.contains("column `fate`: `vanished` in row 1"), "{err}");

        let (mut fields, mut columns) = events_columns(vec!["leaked"]);
        fields.remove(4);
        columns.remove(4);
        write_parquet(&path, fields, columns);
        let err = read_events(&path).unwrap_err().to_string();
        assert!(err.ends_with("events.parquet: no column `end_s`"), "{err}");

        let (mut fields, mut columns) = events_columns(vec!["leaked"]);
        fields[2] = Field::new("launch_s", DataType::Utf8, false);
        columns[2] = Arc::new(StringArray::from(vec!["soon"]));
        write_parquet(&path, fields, columns);
        let err = read_events(&path).unwrap_err().to_string();
        assert!(
            err.contains("column `launch_s` has type Utf8, expected Float64"),
            "{err}"
        );
    }
}
