//! Counter-based Gaussian numbers: the draw for (seed, stream, trajectory, step, unit) is a pure
//! function of those integers, so it does not depend on how units are split over workers or in
//! which order they are visited.
//!
//! Two rounds of the SplitMix64 finaliser (Steele, Lea & Flood 2014) hash the key into 64 bits;
//! the top 53 bits of two such hashes give uniforms u1 ∈ (0, 1], u2 ∈ [0, 1), and Box–Muller
//! gives z = √(−2 ln u1) cos(2π u2). `libm` evaluates ln and cos in software, so the bits are the
//! same on every platform.

/// What a draw is for: initial states or noise increments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stream {
    Initial = 1,
    Noise = 2,
}

#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[inline]
fn hash(seed: u64, stream: Stream, trajectory: u64, step: u64, unit: u64, half: u64) -> u64 {
    let mut h = mix(seed ^ ((stream as u64) << 56));
    h = mix(h ^ trajectory);
    h = mix(h ^ step);
    mix(h ^ (unit << 1 | half))
}

/// One standard normal draw for the key (seed, stream, trajectory, step, unit).
#[inline]
pub fn normal(seed: u64, stream: Stream, trajectory: u64, step: u64, unit: u64) -> f64 {
    const SCALE: f64 = 1.0 / (1u64 << 53) as f64;
    let u1 = ((hash(seed, stream, trajectory, step, unit, 0) >> 11) + 1) as f64 * SCALE;
    let u2 = (hash(seed, stream, trajectory, step, unit, 1) >> 11) as f64 * SCALE;
    libm::sqrt(-2.0 * libm::log(u1)) * libm::cos(2.0 * core::f64::consts::PI * u2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_and_independence_of_nearby_keys() {
        let m = 200_000u64;
        let (mut s1, mut s2, mut s4, mut lag) = (0.0, 0.0, 0.0, 0.0);
        let mut prev = 0.0;
        for i in 0..m {
            let z = normal(7, Stream::Noise, i % 3, i / 3 % 50, i / 150);
            s1 += z;
            s2 += z * z;
            s4 += z.powi(4);
            lag += z * prev;
            prev = z;
        }
        let mf = m as f64;
        // Standard errors: mean 1/√m ≈ 0.0022, variance √(2/m) ≈ 0.0032, kurtosis ≈ 0.022.
        assert!((s1 / mf).abs() < 0.012);
        assert!((s2 / mf - 1.0).abs() < 0.016);
        assert!((s4 / mf - 3.0).abs() < 0.11);
        assert!((lag / mf).abs() < 0.012);
        assert_eq!(
            normal(1, Stream::Initial, 2, 3, 4),
            normal(1, Stream::Initial, 2, 3, 4)
        );
        assert_ne!(
            normal(1, Stream::Initial, 2, 3, 4),
            normal(1, Stream::Noise, 2, 3, 4)
        );
    }
}
