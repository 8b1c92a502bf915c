//! rnnlab numerics: connectivity models, rate-network dynamics, activity statistics and the
//! small dense linear algebra and FFT they need. The WebAssembly boundary lives in [`ffi`].
#![cfg_attr(target_feature = "atomics", feature(stdarch_wasm_atomic_wait))]

pub mod connectivity;
pub mod dynamics;
pub mod ffi;
pub mod fft;
pub mod kernels;
pub mod large;
pub mod learning;
pub mod linalg;
pub mod parallel;
pub mod plasticity;
pub mod rng;
pub mod stats;
pub mod theory;
