//! Vectors whose reference frame is part of their type.
//!
//! A [`Vector<Ecef>`] and a [`Vector<Enu>`] are different types: adding them, or passing one
//! where the other is expected, does not compile. Changing frame goes through an explicit
//! transform ([`crate::earth::EnuFrame`]), which knows the origin and orientation of the local
//! frame.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{Add, AddAssign, Div, Mul, Sub};

/// Earth-centred, Earth-fixed Cartesian frame (WGS84): x through (0° N, 0° E), z through the
/// North Pole, y completing a right-handed set. Metres, rotating with the Earth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ecef;

/// Local east-north-up frame tangent to the ellipsoid at some origin. Which origin is a property
/// of the [`crate::earth::EnuFrame`] that produced the vector, not of the type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Enu;

/// A three-component vector (position, velocity, acceleration, direction) in frame `F`.
pub struct Vector<F> {
    pub x: f64,
    pub y: f64,
    pub z: f64,
    frame: PhantomData<F>,
}

impl<F> Vector<F> {
    /// A vector from its three components in frame `F`.
    pub const fn new(x: f64, y: f64, z: f64) -> Self {
        Self {
            x,
            y,
            z,
            frame: PhantomData,
        }
    }

    /// The zero vector.
    pub const fn zero() -> Self {
        Self::new(0.0, 0.0, 0.0)
    }

    /// Scalar product.
    pub fn dot(self, other: Self) -> f64 {
        self.x * other.x + self.y * other.y + self.z * other.z
    }

    /// Vector product (right-handed).
    pub fn cross(self, other: Self) -> Self {
        Self::new(
            self.y * other.z - self.z * other.y,
            self.z * other.x - self.x * other.z,
            self.x * other.y - self.y * other.x,
        )
    }

    /// Euclidean length.
    pub fn norm(self) -> f64 {
        self.dot(self).sqrt()
    }

    /// The vector scaled to unit length; the zero vector stays zero.
    pub fn unit(self) -> Self {
        let n = self.norm();
        if n > 0.0 { self / n } else { self }
    }

    /// The components as an array `[x, y, z]`.
    pub const fn to_array(self) -> [f64; 3] {
        [self.x, self.y, self.z]
    }
}

impl<F> Clone for Vector<F> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<F> Copy for Vector<F> {}

impl<F> PartialEq for Vector<F> {
    fn eq(&self, other: &Self) -> bool {
        self.x == other.x && self.y == other.y && self.z == other.z
    }
}

impl<F> fmt::Debug for Vector<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frame = std::any::type_name::<F>()
            .rsplit("::")
            .next()
            .unwrap_or("?");
        write!(f, "Vector<{frame}>({}, {}, {})", self.x, self.y, self.z)
    }
}

impl<F> Add for Vector<F> {
    type Output = Self;
    fn add(self, o: Self) -> Self {
        Self::new(self.x + o.x, self.y + o.y, self.z + o.z)
    }
}
impl<F> AddAssign for Vector<F> {
    fn add_assign(&mut self, o: Self) {
        *self = *self + o;
    }
}
impl<F> Sub for Vector<F> {
    type Output = Self;
    fn sub(self, o: Self) -> Self {
        Self::new(self.x - o.x, self.y - o.y, self.z - o.z)
    }
}
impl<F> Mul<f64> for Vector<F> {
    type Output = Self;
    fn mul(self, k: f64) -> Self {
        Self::new(self.x * k, self.y * k, self.z * k)
    }
}
impl<F> Div<f64> for Vector<F> {
    type Output = Self;
    fn div(self, k: f64) -> Self {
        Self::new(self.x / k, self.y / k, self.z / k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cross_product_is_right_handed() {
        let x = Vector::<Ecef>::new(1.0, 0.0, 0.0);
        let y = Vector::<Ecef>::new(0.0, 1.0, 0.0);
        assert_eq!(x.cross(y), Vector::new(0.0, 0.0, 1.0));
        assert_eq!((x * 3.0 + y * 4.0).norm(), 5.0);
    }

    #[test]
    fn vectors_are_equal_only_in_every_component_and_print_their_frame() {
        let v = Vector::<Ecef>::new(1.0, 2.0, 3.0);
        assert_eq!(v, Vector::new(1.0, 2.0, 3.0));
        for other in [(0.0, 2.0, 3.0), (1.0, 0.0, 3.0), (1.0, 2.0, 0.0)] {
            assert_ne!(v, Vector::new(other.0, other.1, other.2));
        }
        assert_eq!(format!("{v:?}"), "Vector<Ecef>(1, 2, 3)");
        assert_eq!(v.to_array(), [1.0, 2.0, 3.0]);
        // A unit vector of the zero vector is the zero vector, not NaN.
        assert_eq!(Vector::<Ecef>::zero().unit(), Vector::zero());
        assert_eq!((v * 2.0).unit(), v / 14.0_f64.sqrt());
    }
}
