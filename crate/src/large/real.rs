//! The two precisions of the large-N engine: `f32` (4 lanes per SIMD128 vector) and `f64`
//! (2 lanes). Arithmetic is plain IEEE multiply then add (no fused multiply–add), so the SIMD
//! and scalar paths round identically.

use core::ops::{Add, Mul, Sub};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

/// A floating-point element type of the engine.
pub trait Real:
    Copy + Default + PartialEq + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + 'static
{
    /// SIMD128 vectors per four consecutive elements (1 for f32, 2 for f64).
    const VECS: usize;
    /// Elements per SIMD128 vector.
    const WIDTH: usize;
    /// Bytes per element.
    const BYTES: usize;
    /// Rounds an f64 to this type (round to nearest even).
    fn from_f64(v: f64) -> Self;
    /// The exact f64 value.
    fn to_f64(self) -> f64;
    /// Zero.
    fn zero() -> Self {
        Self::default()
    }
    /// A vector with every lane equal to `*p`.
    ///
    /// # Safety
    /// `p` must point to a readable element.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    unsafe fn splat_load(p: *const Self) -> v128;
    /// Lane-wise a + b.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn vadd(a: v128, b: v128) -> v128;
    /// Lane-wise a · b.
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    fn vmul(a: v128, b: v128) -> v128;
}

impl Real for f32 {
    const VECS: usize = 1;
    const WIDTH: usize = 4;
    const BYTES: usize = 4;
    #[inline(always)]
    fn from_f64(v: f64) -> f32 {
        v as f32
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self as f64
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    unsafe fn splat_load(p: *const f32) -> v128 {
        v128_load32_splat(p as *const u32)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn vadd(a: v128, b: v128) -> v128 {
        f32x4_add(a, b)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn vmul(a: v128, b: v128) -> v128 {
        f32x4_mul(a, b)
    }
}

impl Real for f64 {
    const VECS: usize = 2;
    const WIDTH: usize = 2;
    const BYTES: usize = 8;
    #[inline(always)]
    fn from_f64(v: f64) -> f64 {
        v
    }
    #[inline(always)]
    fn to_f64(self) -> f64 {
        self
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    unsafe fn splat_load(p: *const f64) -> v128 {
        v128_load64_splat(p as *const u64)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn vadd(a: v128, b: v128) -> v128 {
        f64x2_add(a, b)
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    #[inline(always)]
    fn vmul(a: v128, b: v128) -> v128 {
        f64x2_mul(a, b)
    }
}
