//! Seeded random numbers. Every random object in rnnlab draws from a `Xoshiro256PlusPlus`
//! seeded from one 64-bit integer, so the same seed gives the same bits on every platform.

use rand::{Rng as _, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used throughout the crate.
pub type Rng = Xoshiro256PlusPlus;

/// A generator seeded from a 64-bit seed (SplitMix64 expansion of the seed).
pub fn seeded(seed: u64) -> Rng {
    Xoshiro256PlusPlus::seed_from_u64(seed)
}

/// One draw from N(0, 1).
pub fn normal(rng: &mut Rng) -> f64 {
    StandardNormal.sample(rng)
}

/// Fills `out` with iid N(0, std²) draws.
pub fn fill_normal(rng: &mut Rng, std: f64, out: &mut [f64]) {
    for v in out.iter_mut() {
        *v = std * normal(rng);
    }
}

/// Fills `out` with iid random signs ±1 (Rademacher), one fair bit each.
pub fn fill_signs(rng: &mut Rng, out: &mut [f64]) {
    for v in out.iter_mut() {
        *v = if rng.gen::<bool>() { 1.0 } else { -1.0 };
    }
}
