//! The WGS84 Earth.
