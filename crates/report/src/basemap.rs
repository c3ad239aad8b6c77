//! The basemap under the maps (coastlines, borders, populated places), and the maps' projection.
//!
//! The layers are Natural Earth's (public domain): the 1:50m coastline and land borders of
//! [`skyshield_physics::geography`] and the 1:10m populated places, packed by
//! `crates/physics/data/natural_earth.py` (see `crates/physics/data/README.md` for the sources
//! and the formats). The map is drawn in
//! an equirectangular projection centred on the frame: `x = (lon - lon0) cos(lat0)`, `y = lat`,
//! both in degrees of latitude, with `lat0` the frame's mean latitude, so that distances east and
//! north have the same scale at the frame's centre. Frames do not cross the antimeridian.

use std::sync::OnceLock;

const PLACES_TSV: &str = include_str!("../data/ne_10m_places.tsv");

use skyshield_physics::geography::Line;

/// A populated place of Natural Earth.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub name: String,
    pub lon_deg: f64,
    pub lat_deg: f64,
    /// Population of the place's metropolitan area (`pop_max`).
    pub population: u64,
    /// Natural Earth's `scalerank`: 0 for the places shown at the smallest scales, up to 10.
    pub rank: u8,
}

/// The populated places, most prominent first (by rank, then population).
pub fn places() -> &'static [Place] {
    static PLACES: OnceLock<Vec<Place>> = OnceLock::new();
    PLACES.get_or_init(|| {
        decode_places(PLACES_TSV).expect("the embedded populated places are well formed")
    })
}

/// The places inside `frame`, most prominent first.
pub fn places_in(frame: &Frame) -> impl Iterator<Item = &'static Place> + '_ {
    places().iter().filter(|p| {
        (frame.lon_min..=frame.lon_max).contains(&p.lon_deg)
            && (frame.lat_min..=frame.lat_max).contains(&p.lat_deg)
    })
}

/// Reads the places format of `crates/physics/data/natural_earth.py`; `None` when it is not well formed.
fn decode_places(text: &str) -> Option<Vec<Place>> {
    text.lines()
        .map(|line| {
            let mut field = line.split('\t');
            let place = Place {
                name: field.next()?.to_string(),
                lon_deg: field.next()?.parse().ok()?,
                lat_deg: field.next()?.parse().ok()?,
                population: field.next()?.parse().ok()?,
                rank: field.next()?.parse().ok()?,
            };
            field.next().is_none().then_some(place)
        })
        .collect()
}

/// A rectangle in longitude and latitude, degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub lon_min: f64,
    pub lon_max: f64,
    pub lat_min: f64,
    pub lat_max: f64,
}

impl Frame {
    /// The smallest frame holding every point, widened by `margin` of its size on each side and
    /// to at least `min_span_deg` of latitude and of longitude; `None` without points.
    pub fn around(
        points: impl IntoIterator<Item = (f64, f64)>,
        margin: f64,
        min_span_deg: f64,
    ) -> Option<Frame> {
        let mut frame: Option<Frame> = None;
        for (lon, lat) in points {
            let f = frame.get_or_insert(Frame {
                lon_min: lon,
                lon_max: lon,
                lat_min: lat,
                lat_max: lat,
            });
            f.lon_min = f.lon_min.min(lon);
            f.lon_max = f.lon_max.max(lon);
            f.lat_min = f.lat_min.min(lat);
            f.lat_max = f.lat_max.max(lat);
        }
        let f = frame?;
        let widen = |lo: f64, hi: f64| {
            let pad = ((hi - lo) * margin)
                .max((min_span_deg - (hi - lo)) / 2.0)
                .max(0.0);
            (lo - pad, hi + pad)
        };
        let (lon_min, lon_max) = widen(f.lon_min, f.lon_max);
        let (lat_min, lat_max) = widen(f.lat_min, f.lat_max);
        Some(Frame {
            lon_min: lon_min.max(-180.0),
            lon_max: lon_max.min(180.0),
            lat_min: lat_min.max(-90.0),
            lat_max: lat_max.min(90.0),
        })
    }

    /// The projection of this frame: equirectangular about its centre.
    pub fn projection(&self) -> Projection {
        let lat0 = 0.5 * (self.lat_min + self.lat_max);
        Projection {
            lon0: 0.5 * (self.lon_min + self.lon_max),
            cos_lat0: lat0.to_radians().cos(),
        }
    }
}

/// Equirectangular projection about `lon0`, scaled by the cosine of the mean latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Projection {
    pub lon0: f64,
    pub cos_lat0: f64,
}

impl Projection {
    /// `(lon, lat)` in degrees to map coordinates `(x, y)` in degrees of latitude.
    pub fn project(&self, (lon, lat): (f64, f64)) -> (f64, f64) {
        ((lon - self.lon0) * self.cos_lat0, lat)
    }
}

/// The parts of `line` inside `frame`: each segment is clipped to the frame (Liang and Barsky
/// 1984), and consecutive visible segments are joined into one polyline.
pub fn clip(line: &[(f64, f64)], frame: &Frame) -> Vec<Line> {
    let mut parts: Vec<Line> = Vec::new();
    let mut open = false;
    for pair in line.windows(2) {
        match clip_segment(pair[0], pair[1], frame) {
            Some((a, b)) => {
                let continues = open && parts.last().and_then(|p| p.last()) == Some(&a);
                if !continues {
                    parts.push(vec![a]);
                }
                parts.last_mut().expect("a part was pushed").push(b);
                // The polyline goes on only if the segment ended inside, unclipped.
                open = b == pair[1];
            }
            None => open = false,
        }
    }
    parts
}

/// The part of segment `a`-`b` inside `frame`, if any.
fn clip_segment(a: (f64, f64), b: (f64, f64), f: &Frame) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    for (p, q) in [
        (-dx, a.0 - f.lon_min),
        (dx, f.lon_max - a.0),
        (-dy, a.1 - f.lat_min),
        (dy, f.lat_max - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: Frame = Frame {
        lon_min: 0.0,
        lon_max: 1.0,
        lat_min: 0.0,
        lat_max: 1.0,
    };

    #[test]
    fn the_embedded_places_decode_and_hold_known_ones() {
        let all = places();
        assert_eq!(all.len(), 7343);
        assert!(all.windows(2).all(|w| w[0].rank <= w[1].rank));
        let frame = Frame {
            lon_min: 34.0,
            lon_max: 36.0,
            lat_min: 31.0,
            lat_max: 33.0,
        };
        let near: Vec<&str> = places_in(&frame).map(|p| p.name.as_str()).collect();
        assert_eq!(near[0], "Tel Aviv-Yafo");
        assert!(
            near.contains(&"Jerusalem") && near.contains(&"Haifa"),
            "{near:?}"
        );
        assert!(
            decode_places("Nowhere\t1.0\t2.0\t3\n").is_none(),
            "a field is missing"
        );
        assert!(decode_places("Nowhere\t1.0\tnorth\t3\t4\n").is_none());
    }

    #[test]
    fn projection_scales_longitude_by_the_cosine_of_the_mean_latitude() {
        let frame = Frame {
            lon_min: 30.0,
            lon_max: 40.0,
            lat_min: 50.0,
            lat_max: 70.0,
        };
        let p = frame.projection();
        assert_eq!(p.lon0, 35.0);
        assert!((p.cos_lat0 - 0.5).abs() < 1e-12, "cos 60 degrees");
        assert_eq!(p.project((35.0, 55.0)), (0.0, 55.0));
        let (x, y) = p.project((39.0, 60.0));
        assert!((x - 2.0).abs() < 1e-12);
        assert_eq!(y, 60.0);
    }

    #[test]
    fn frame_holds_the_points_with_a_margin_and_a_minimum_span() {
        let f = Frame::around([(34.0, 31.0), (36.0, 33.0)], 0.1, 0.5).unwrap();
        assert_eq!(
            (f.lon_min, f.lon_max, f.lat_min, f.lat_max),
            (33.8, 36.2, 30.8, 33.2)
        );
        let single = Frame::around([(10.0, 20.0)], 0.1, 1.0).unwrap();
        assert_eq!(
            (
                single.lon_min,
                single.lon_max,
                single.lat_min,
                single.lat_max
            ),
            (9.5, 10.5, 19.5, 20.5)
        );
        assert!(Frame::around(std::iter::empty(), 0.1, 1.0).is_none());
    }

    #[test]
    fn clipping_keeps_inside_parts_and_splits_at_the_edges() {
        // Inside throughout: unchanged.
        let inside = vec![(0.1, 0.1), (0.5, 0.5), (0.9, 0.2)];
        assert_eq!(clip(&inside, &UNIT), vec![inside.clone()]);
        // Outside throughout: nothing.
        assert!(clip(&[(2.0, 2.0), (3.0, 2.0)], &UNIT).is_empty());
        // Crossing: cut at x = 1.
        assert_eq!(
            clip(&[(0.5, 0.5), (1.5, 0.5)], &UNIT),
            vec![vec![(0.5, 0.5), (1.0, 0.5)]]
        );
        // Out and back in: two parts.
        let parts = clip(&[(0.5, 0.5), (1.5, 0.5), (1.5, 0.7), (0.5, 0.7)], &UNIT);
        assert_eq!(
            parts,
            vec![vec![(0.5, 0.5), (1.0, 0.5)], vec![(1.0, 0.7), (0.5, 0.7)]]
        );
        // Passing through from outside to outside: the chord.
        assert_eq!(
            clip(&[(-1.0, 0.5), (2.0, 0.5)], &UNIT),
            vec![vec![(0.0, 0.5), (1.0, 0.5)]]
        );
    }
}
