//! What every plot of the report shares: the embedded font, the colour palette, the sizes, and
//! the rendering of a [`Figure`] to SVG and PNG from the same drawing code.

use std::sync::OnceLock;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::RGBColor;
use plotters::style::register_font;

use crate::ReportError;

const FONT: &[u8] = include_bytes!("../../data/DejaVuSans.ttf");
const FAMILY: &str = "sans-serif";

// Okabe and Ito's colour-blind-safe palette (Okabe & Ito 2008, "Color Universal Design").
pub(super) const BLUE: RGBColor = RGBColor(0, 114, 178);
pub(super) const ORANGE: RGBColor = RGBColor(230, 159, 0);
pub(super) const VERMILLION: RGBColor = RGBColor(213, 94, 0);
pub(super) const SKY: RGBColor = RGBColor(86, 180, 233);
pub(super) const GREEN: RGBColor = RGBColor(0, 158, 115);
pub(super) const PURPLE: RGBColor = RGBColor(204, 121, 167);
/// Land borders, and the names of places.
pub(super) const BORDER: RGBColor = RGBColor(160, 82, 45);
pub(super) const PLACE: RGBColor = RGBColor(70, 70, 70);
pub(super) const GREY: RGBColor = RGBColor(140, 140, 140);
pub(super) const COAST: RGBColor = RGBColor(90, 90, 90);
pub(super) const MESH: RGBColor = RGBColor(225, 225, 225);

/// Size of every plot but the map, pixels.
const SIZE: (u32, u32) = (860, 460);
/// Width of the map, pixels; its height follows the frame's shape.
pub(super) const MAP_WIDTH: u32 = 860;

/// One plot of the report.
#[derive(Debug, Clone)]
pub struct Plot {
    /// Id of its `<figure>` and stem of its file names.
    pub id: &'static str,
    /// Short title.
    pub title: &'static str,
    /// What it shows, in words (plain text).
    pub caption: String,
    /// The plot as an SVG document.
    pub svg: String,
    /// The plot as a PNG image.
    pub png: Vec<u8>,
}

/// Registers the embedded font once.
pub(super) fn register() -> Result<(), ReportError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| register_font(FAMILY, FontStyle::Normal, FONT).is_ok());
    ok.then_some(()).ok_or_else(|| ReportError::Plot {
        plot: "all".into(),
        message: "the embedded font cannot be read".into(),
    })
}

pub(super) type DrawResult<DB> =
    Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A plot that can draw itself on any plotters backend.
pub(super) trait Figure {
    /// Size in pixels.
    fn size(&self) -> (u32, u32) {
        SIZE
    }
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB>;
}

pub(super) fn render(
    id: &'static str,
    title: &'static str,
    caption: String,
    figure: &impl Figure,
) -> Result<Plot, ReportError> {
    let error = |message: String| ReportError::Plot {
        plot: id.into(),
        message,
    };
    let (w, h) = figure.size();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(e.to_string()))?;
        figure.draw(&root).map_err(|e| error(e.to_string()))?;
        root.present().map_err(|e| error(e.to_string()))?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (w, h)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| error(e.to_string()))?;
        figure.draw(&root).map_err(|e| error(e.to_string()))?;
        root.present().map_err(|e| error(e.to_string()))?;
    }
    let png = encode_png(&rgb, w, h).map_err(|e| error(e.to_string()))?;
    Ok(Plot {
        id,
        title,
        caption,
        svg,
        png,
    })
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

pub(super) fn font(size: u32) -> TextStyle<'static> {
    (FAMILY, size).into_font().into()
}
