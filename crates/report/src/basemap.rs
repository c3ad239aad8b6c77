//! The coastline under the map plot, and the map's projection.
//!
//! The coastline is Natural Earth's 1:50m coastline (public domain), packed by
//! `data/coastline.py` (see `data/README.md` for the source and the format). The map is drawn in
//! an equirectangular projection centred on the frame: `x = (lon - lon0) cos(lat0)`, `y = lat`,
//! both in degrees of latitude, with `lat0` the frame's mean latitude, so that distances east and
//! north have the same scale at the frame's centre. Frames do not cross the antimeridian.

use std::sync::OnceLock;

const COASTLINE_BIN: &[u8] = include_bytes!("../data/ne_50m_coastline.bin");
const MAGIC: &[u8] = b"NECOAST1";
/// Units of the packed coordinates per degree.
const SCALE: f64 = 1e5;

/// A polyline of `(lon_deg, lat_deg)` points.
pub type Line = Vec<(f64, f64)>;

/// The coastline: every line of the embedded file, in `(lon_deg, lat_deg)`.
pub fn coastline() -> &'static [Line] {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| decode(COASTLINE_BIN).expect("the embedded coastline is well formed"))
}

/// Reads the packed format of `data/coastline.py`; `None` when it is not well formed.
fn decode(bytes: &[u8]) -> Option<Vec<Line>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut u32_le = || -> Option<u32> {
        let (head, tail) = rest.split_first_chunk::<4>()?;
        rest = tail;
        Some(u32::from_le_bytes(*head))
    };
    let n_lines = u32_le()?;
    let mut lines = Vec::with_capacity(n_lines as usize);
    for _ in 0..n_lines {
        let n = u32_le()?;
        let mut line = Vec::with_capacity(n as usize);
        for _ in 0..n {
            let lon = u32_le()? as i32 as f64 / SCALE;
            let lat = u32_le()? as i32 as f64 / SCALE;
            line.push((lon, lat));
        }
        lines.push(line);
    }
    rest.is_empty().then_some(lines)
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
    fn the_embedded_coastline_decodes_and_holds_known_coasts() {
        let lines = coastline();
        assert_eq!(lines.len(), 1429);
        let points: usize = lines.iter().map(Vec::len).sum();
        assert_eq!(points, 60416);
        // The shore at Tel Aviv (34.77 E, 32.08 N) is within 0.03 degree of a coastline segment.
        let distance = |(ax, ay): (f64, f64), (bx, by): (f64, f64)| {
            let (px, py) = (34.77, 32.08);
            let (dx, dy) = (bx - ax, by - ay);
            let t = (((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)).clamp(0.0, 1.0);
            (ax + t * dx - px).hypot(ay + t * dy - py)
        };
        let near = lines
            .iter()
            .flat_map(|l| l.windows(2))
            .any(|w| distance(w[0], w[1]) < 0.03);
        assert!(near, "no coastline near Tel Aviv");
    }

    #[test]
    fn truncated_or_foreign_bytes_do_not_decode() {
        assert!(decode(&COASTLINE_BIN[..COASTLINE_BIN.len() - 3]).is_none());
        assert!(decode(b"NOTCOAST\0\0\0\0").is_none());
        let mut extra = COASTLINE_BIN.to_vec();
        extra.push(0);
        assert!(decode(&extra).is_none());
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
