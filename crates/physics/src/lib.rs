//! The physical world of skyshield: the WGS84 Earth and its frames, gravity, the US Standard
//! Atmosphere 1976, numerical integrators, and the flight of threats.
//!
//! # Primer
//! Positions at the edges of the program (scenario files, outputs) are geodetic: latitude and
//! longitude in degrees on the WGS84 ellipsoid and a height in metres above it. Inside, motion
//! is integrated in the Earth-centred, Earth-fixed frame ([`frame::Ecef`]), which rotates with the
//! Earth, so the equations of motion carry the Coriolis and centrifugal terms. Local geometry
//! (a radar's view of a target, a launcher's pitch program) uses east-north-up frames
//! ([`frame::Enu`]) tangent to the ellipsoid at an origin. The frame of a vector is part of its
//! type, so mixing frames does not compile.
//!
//! All quantities are SI; names carry their unit (`range_m`, `speed_m_s`).
//!
//! # What this crate owns
//! The physics every other crate reads and none re-implements: the Earth and its frames
//! ([`earth`], [`frame`], [`earth_model`]), the atmosphere ([`atmosphere`]), the conventional
//! constants of the units ([`units`]), integrators ([`integrate`]), and the flight of threats:
//! [`flight`] flies a [`flight::Vehicle`] of any class, through [`cruise`] (air-breathing
//! threats) or [`targeting`] (the solver that brings a rocket-powered flight of [`ballistic`]
//! onto its aim, with the air's forces of [`aerodynamics`]); the fall of a destroyed
//! threat's debris ([`debris`]); and the Earth's coastline, land and borders ([`geography`],
//! Natural Earth's, embedded in the binary).
//!
//! Modules depend on each other in one direction only: `flight` → `targeting` → `ballistic` →
//! `aerodynamics` → `earth_model` → `earth` → `frame`.
//!
//! It depends on no other skyshield crate, reads no file, and does not depend on serde_json,
//! rayon, tokio or pyo3 (`../shared/DESIGN.md` §2): it is pure computation, single-threaded,
//! callable from any thread.

pub mod aerodynamics;
pub mod atmosphere;
pub mod ballistic;
pub mod cruise;
pub mod debris;
pub mod earth;
pub mod earth_model;
pub mod flight;
pub mod frame;
pub mod geography;
pub mod integrate;
mod numeric;
pub mod targeting;
mod trajectory;
pub mod units;
