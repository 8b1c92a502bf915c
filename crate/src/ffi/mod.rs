//! The C ABI that the TypeScript facade calls (wasm32 exports, all prefixed `rnl_`).
//!
//! Conventions:
//! - Bulk data is `f64`, row-major, in buffers the caller allocates with [`memory::rnl_alloc`] and
//!   frees with [`memory::rnl_free`]; a function never keeps a pointer it was given. A null
//!   pointer marks an optional argument as absent.
//! - Functions return a status ([`error::Status`], 0 = ok); on failure the message is read with
//!   `rnl_error_ptr`/`rnl_error_len`. Constructors return a handle (> 0) or 0 on failure.
//! - Objects living in WASM (simulations) are handles into a slab; `*_free` releases them.
//! - Seeds cross as `f64` holding an integer in [0, 2^53).
//! - A panic stores its message (readable the same way) and traps; the caller re-instantiates.
//!
//! Exports take flat scalar and pointer arguments by design (no structs cross the boundary),
//! hence the allowance for long argument lists.
#![allow(clippy::too_many_arguments)]

pub mod connectivity;
pub mod dimension;
pub mod dmft;
pub mod error;
pub mod estimators;
pub mod force;
pub mod handles;
pub mod large;
pub mod learning;
pub mod linalg;
pub mod map;
pub mod memory;
pub mod overlap_dimension;
pub mod overlap_dmft;
pub mod plasticity;
pub mod quenched;
pub mod simulation;
pub mod stats;

use error::Status;

/// A read-only view of `len` f64 at `ptr` (None for a null pointer).
///
/// # Safety
/// `ptr` must be null or point to `len` initialised f64 that stay valid and unaliased by
/// mutable views for the duration of the call.
pub(crate) unsafe fn view<'a>(ptr: *const f64, len: usize) -> Option<&'a [f64]> {
    if ptr.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts(ptr, len))
    }
}

/// A writable view of `len` f64 at `ptr` (None for a null pointer).
///
/// # Safety
/// As [`view`], and no other view of the same memory may be alive during the call.
pub(crate) unsafe fn view_mut<'a>(ptr: *mut f64, len: usize) -> Option<&'a mut [f64]> {
    if ptr.is_null() {
        None
    } else {
        Some(std::slice::from_raw_parts_mut(ptr, len))
    }
}

/// A required output buffer of `len` f64, or an `InvalidArgument` status.
///
/// # Safety
/// As [`view_mut`].
pub(crate) unsafe fn output<'a>(ptr: *mut f64, len: usize) -> Result<&'a mut [f64], i32> {
    view_mut(ptr, len).ok_or_else(|| error::fail(Status::InvalidArgument, "out: null pointer"))
}

/// A required input buffer, or an `InvalidArgument` status naming it.
pub(crate) fn required<'a>(v: Option<&'a [f64]>, name: &str) -> Result<&'a [f64], i32> {
    v.ok_or_else(|| error::fail(Status::InvalidArgument, &format!("{name}: null pointer")))
}

/// Converts a seed carried as f64 (an integer in [0, 2^53)) to u64.
pub(crate) fn seed_from(seed: f64) -> Result<u64, i32> {
    if seed.is_finite() && seed >= 0.0 && seed.fract() == 0.0 && seed < 9_007_199_254_740_992.0 {
        Ok(seed as u64)
    } else {
        Err(error::fail(
            Status::InvalidArgument,
            "seed: must be an integer in [0, 2^53)",
        ))
    }
}

/// Runs a fallible body and turns its result into a status.
pub(crate) fn status(body: impl FnOnce() -> Result<(), i32>) -> i32 {
    match body() {
        Ok(()) => Status::Ok as i32,
        Err(code) => code,
    }
}
