//! Largest Lyapunov exponent of the stationary chaotic state (SCS; theory note §2.4).
//!
//! Perturbations δx of the single site obey (1 + ∂_t)δx = η_δ with
//! ⟨η_δ η_δ⟩ = g² C_d · ⟨δx δx⟩, C_d(τ) = E[φ'(x(t))φ'(x(t+τ))]. The growth rate λ of their
//! two-time covariance is set by the ground state E0 of the Schrödinger operator
//!
//! ```text
//! H = −∂_τ² − g² C_d(τ),   λ_max = −1 + √(−E0).
//! ```
//!
//! Time-translation invariance makes Δ'(τ) an exact eigenfunction with E = −1 (λ = 0), which
//! tests the discretisation. H is discretised by second differences on the lag grid mirrored
//! to [−T, T] (Dirichlet ends); its lowest eigenvalue comes from Sturm-sequence bisection of the
//! tridiagonal matrix, and Richardson extrapolation of the O(h²) error from steps h and h/2.

use super::dmft::Stationary;

/// λ_max and the two eigenvalue estimates (E0, E1) of H (ground and first excited).
pub struct LyapunovResult {
    pub exponent: f64,
    pub ground: f64,
    pub first_excited: f64,
}

/// Largest Lyapunov exponent of the solution `s` (uses its half-step lag grid).
pub fn largest_exponent(s: &Stationary) -> LyapunovResult {
    let g2 = s.g * s.g;
    let potential: Vec<f64> = s
        .delta_half
        .iter()
        .map(|&d| -g2 * s.kernel.c_slope(d))
        .collect();
    let fine = 0.5 * s.dt;
    let coarse: Vec<f64> = potential.iter().step_by(2).copied().collect();
    let e_fine = lowest_two(&potential, fine);
    let e_coarse = lowest_two(&coarse, s.dt);
    let ground = (4.0 * e_fine.0 - e_coarse.0) / 3.0;
    let first_excited = (4.0 * e_fine.1 - e_coarse.1) / 3.0;
    LyapunovResult {
        exponent: -1.0 + (-ground).max(0.0).sqrt(),
        ground,
        first_excited,
    }
}

/// The two lowest eigenvalues of −∂² + V on the symmetric grid τ = −(n−1)h..(n−1)h.
fn lowest_two(v_half: &[f64], h: f64) -> (f64, f64) {
    let n = v_half.len();
    let m = 2 * n - 1;
    let off = -1.0 / (h * h);
    let diag: Vec<f64> = (0..m)
        .map(|i| {
            let j = if i + 1 >= n { i + 1 - n } else { n - 1 - i };
            2.0 / (h * h) + v_half[j]
        })
        .collect();
    let lo = diag.iter().fold(f64::INFINITY, |a, &d| a.min(d)) - 4.0 / (h * h);
    let hi = diag.iter().fold(f64::NEG_INFINITY, |a, &d| a.max(d)) + 4.0 / (h * h);
    (kth(&diag, off, 0, lo, hi), kth(&diag, off, 1, lo, hi))
}

/// The k-th smallest eigenvalue of a symmetric tridiagonal matrix with constant off-diagonal.
fn kth(diag: &[f64], off: f64, k: usize, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if count_below(diag, off, mid) > k {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    0.5 * (lo + hi)
}

/// Number of eigenvalues below x (Sturm sequence of the LDLᵀ pivots).
fn count_below(diag: &[f64], off: f64, x: f64) -> usize {
    let mut count = 0;
    let mut q = 1.0;
    for (i, &d) in diag.iter().enumerate() {
        q = d - x - if i == 0 { 0.0 } else { off * off / q };
        if q == 0.0 {
            q = -1e-300;
        }
        if q < 0.0 {
            count += 1;
        }
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};
    use crate::theory::dmft::{solve, DmftSpec};
    use crate::theory::nonlinearity::Nonlinearity;

    fn tanh(g: f64) -> Stationary {
        solve(&DmftSpec {
            nl: Nonlinearity {
                phi: Phi {
                    kind: PhiKind::Tanh,
                    gain: 1.0,
                },
                bias: 0.0,
            },
            g,
            noise: 0.0,
            dt: 0.05,
            tau_max: None,
            gains: None,
        })
        .unwrap()
    }

    /// λ_max of the note's §2.4 table (4 digits) and the zero mode E1 = −1 (Δ' is odd, so it is
    /// the first excited state).
    #[test]
    fn reproduces_reference_exponents_and_the_zero_mode() {
        for (g, want) in [(1.5, 0.0467), (2.0, 0.1125), (3.0, 0.2355), (5.0, 0.4337)] {
            let r = largest_exponent(&tanh(g));
            assert!(
                (r.exponent - want).abs() < 6e-5,
                "g {g}: {} vs {want}",
                r.exponent
            );
            assert!(
                (r.first_excited + 1.0).abs() < 1e-4,
                "g {g}: E1 {}",
                r.first_excited
            );
        }
    }

    #[test]
    fn sturm_count_finds_the_laplacian_spectrum() {
        // −∂² on n interior points of (0, L) with Dirichlet ends: 4/h² sin²(kπ/(2(n+1))).
        let (n, h) = (50, 0.1);
        let diag = vec![2.0 / (h * h); n];
        let e0 = kth(&diag, -1.0 / (h * h), 0, -1.0, 1e4);
        let exact = 4.0 / (h * h)
            * (std::f64::consts::PI / (2.0 * (n + 1) as f64))
                .sin()
                .powi(2);
        assert!((e0 - exact).abs() < 1e-10);
    }
}
