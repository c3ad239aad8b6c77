//! The Earth's coastline, land and land borders: Natural Earth's 1:50m layers (public domain),
//! embedded in the binary and packed by `data/natural_earth.py` (see `data/README.md` for the
//! sources and the format).
//!
//! [`is_land`] tells whether a point is on land, by the even-odd rule over the land rings: a
//! ray cast east from the point crosses the rings' edges an odd number of times when the point
//! is inside. Edges are indexed by bands of latitude, so a test reads only the edges of its
//! band. At 1:50m the coast is resolved to about a kilometre; lakes are land.

use std::sync::OnceLock;

const COASTLINE_BIN: &[u8] = include_bytes!("../data/ne_50m_coastline.bin");
const BORDERS_BIN: &[u8] = include_bytes!("../data/ne_50m_borders.bin");
const LAND_BIN: &[u8] = include_bytes!("../data/ne_50m_land.bin");
const MAGIC: &[u8] = b"NELINES1";
/// Units of the packed coordinates per degree.
const SCALE: f64 = 1e5;
/// Height of the latitude bands of the land index, degrees.
const BAND_DEG: f64 = 0.25;

/// A polyline of `(lon_deg, lat_deg)` points.
pub type Line = Vec<(f64, f64)>;

/// The coastline: every line of the embedded file, in `(lon_deg, lat_deg)`.
pub fn coastline() -> &'static [Line] {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| decode(COASTLINE_BIN).expect("the embedded coastline is well formed"))
}

/// The land borders between countries (Natural Earth's admin-0 boundary lines, land), in
/// `(lon_deg, lat_deg)`.
pub fn borders() -> &'static [Line] {
    static LINES: OnceLock<Vec<Line>> = OnceLock::new();
    LINES.get_or_init(|| decode(BORDERS_BIN).expect("the embedded borders are well formed"))
}

/// The land: closed rings (outer boundaries and holes) in `(lon_deg, lat_deg)`, each ending on
/// its first point.
pub fn land() -> &'static [Line] {
    static RINGS: OnceLock<Vec<Line>> = OnceLock::new();
    RINGS.get_or_init(|| decode(LAND_BIN).expect("the embedded land is well formed"))
}

/// Whether the point at latitude `lat_deg` and longitude `lon_deg` (degrees) is on land.
pub fn is_land(lat_deg: f64, lon_deg: f64) -> bool {
    let index = land_index();
    let Some(band) = band_of(lat_deg).and_then(|b| index.get(b)) else {
        return false;
    };
    let mut inside = false;
    for &((lon_a, lat_a), (lon_b, lat_b)) in band {
        if (lat_a > lat_deg) != (lat_b > lat_deg) {
            let lon = lon_a + (lat_deg - lat_a) * (lon_b - lon_a) / (lat_b - lat_a);
            if lon > lon_deg {
                inside = !inside;
            }
        }
    }
    inside
}

/// An edge of a land ring, from one `(lon_deg, lat_deg)` point to the next.
type Edge = ((f64, f64), (f64, f64));

/// The band holding latitude `lat_deg`; `None` outside [-90, 90] or for NaN.
fn band_of(lat_deg: f64) -> Option<usize> {
    (-90.0..=90.0)
        .contains(&lat_deg)
        .then(|| ((lat_deg + 90.0) / BAND_DEG) as usize)
}

/// The edges of the land rings, by band of latitude: each edge is listed in every band its
/// latitudes span.
fn land_index() -> &'static [Vec<Edge>] {
    static INDEX: OnceLock<Vec<Vec<Edge>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let bands = (180.0 / BAND_DEG) as usize + 1;
        let mut index = vec![Vec::new(); bands];
        for ring in land() {
            for pair in ring.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let lo = band_of(a.1.min(b.1)).expect("land latitudes lie in [-90, 90]");
                let hi = band_of(a.1.max(b.1)).expect("land latitudes lie in [-90, 90]");
                for band in &mut index[lo..=hi] {
                    band.push((a, b));
                }
            }
        }
        index
    })
}

/// Reads the lines format of `data/natural_earth.py`; `None` when it is not well formed.
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_embedded_borders_decode_and_hold_a_known_one() {
        let lines = borders();
        assert_eq!(lines.len(), 363);
        assert_eq!(lines.iter().map(Vec::len).sum::<usize>(), 19802);
        // The border between Israel and Jordan crosses the Dead Sea's latitude (31.5 N) between
        // 35.4 and 35.6 E.
        let crosses = lines.iter().flat_map(|l| l.windows(2)).any(|w| {
            let (a, b) = (w[0], w[1]);
            (a.1 - 31.5) * (b.1 - 31.5) <= 0.0 && (35.4..35.6).contains(&a.0)
        });
        assert!(crosses, "no border at the Dead Sea");
    }

    #[test]
    fn the_embedded_land_decodes_into_closed_rings() {
        let rings = land();
        assert_eq!(rings.len(), 1422);
        assert_eq!(rings.iter().map(Vec::len).sum::<usize>(), 60669);
        assert!(rings.iter().all(|r| r.len() >= 4 && r.first() == r.last()));
    }

    #[test]
    fn known_places_are_on_land_and_known_waters_are_not() {
        // Tel Aviv, Nevatim air base, Nicosia, Tehran, the Negev near Ramon, Al Udeid.
        for (lat, lon) in [
            (32.08, 34.78),
            (31.21, 35.01),
            (35.17, 33.36),
            (35.69, 51.39),
            (30.61, 34.80),
            (25.12, 51.32),
        ] {
            assert!(is_land(lat, lon), "({lat}, {lon}) should be on land");
        }
        // Off Tel Aviv, the Mediterranean with Tel Aviv's latitude and longitude swapped, the
        // Gulf between Qatar and Iran, the mid-Atlantic, and outside the Earth's latitudes.
        for (lat, lon) in [
            (32.08, 34.50),
            (34.78, 32.08),
            (26.50, 52.00),
            (30.0, -40.0),
            (91.0, 0.0),
            (f64::NAN, 0.0),
        ] {
            assert!(!is_land(lat, lon), "({lat}, {lon}) should be at sea");
        }
    }

    #[test]
    fn land_changes_across_each_edge_of_the_coast_off_tel_aviv() {
        // Every edge of the land rings that crosses these latitudes between 34 and 35.5 E (the
        // coast from Haifa to Gaza): some 500 m west of where it crosses is sea, as far east land.
        let mut crossings = 0;
        for lat in [31.6, 31.9, 32.08, 32.3, 32.6, 32.9] {
            for ring in land() {
                for w in ring.windows(2) {
                    let ((lon_a, lat_a), (lon_b, lat_b)) = (w[0], w[1]);
                    if (lat_a > lat) == (lat_b > lat) || lon_a.min(lon_b) < 34.0 {
                        continue;
                    }
                    if lon_a.max(lon_b) > 35.5 {
                        continue;
                    }
                    let lon = lon_a + (lat - lat_a) / (lat_b - lat_a) * (lon_b - lon_a);
                    assert!(!is_land(lat, lon - 0.005), "sea west of ({lat}, {lon})");
                    assert!(is_land(lat, lon + 0.005), "land east of ({lat}, {lon})");
                    crossings += 1;
                }
            }
        }
        assert_eq!(crossings, 6, "one coast crossing at each latitude");
    }

    #[test]
    fn truncated_or_foreign_bytes_do_not_decode() {
        assert!(decode(&COASTLINE_BIN[..COASTLINE_BIN.len() - 3]).is_none());
        assert!(decode(b"NOTLINES\0\0\0\0").is_none());
        let mut extra = COASTLINE_BIN.to_vec();
        extra.push(0);
        assert!(decode(&extra).is_none());
    }
}
