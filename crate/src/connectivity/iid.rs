//! iid Gaussian couplings, J_ij ~ N(0, g²/N) (Sompolinsky, Crisanti & Sommers 1988).

use crate::rng::{self, Rng};

/// Row-major N×N matrix with iid entries N(0, g²/N). With `zero_diagonal`, J_ii = 0 (the other
/// entries keep variance g²/N). Entries are drawn row by row, so a seed fixes the matrix.
pub fn iid_gaussian(n: usize, g: f64, zero_diagonal: bool, rng: &mut Rng) -> Vec<f64> {
    let mut j = vec![0.0; n * n];
    rng::fill_normal(rng, g / (n as f64).sqrt(), &mut j);
    if zero_diagonal {
        for i in 0..n {
            j[i * n + i] = 0.0;
        }
    }
    j
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_have_variance_g2_over_n() {
        let (n, g) = (400, 1.7);
        let j = iid_gaussian(n, g, false, &mut rng::seeded(11));
        let m = (n * n) as f64;
        let mean = j.iter().sum::<f64>() / m;
        let var = j.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / m;
        let target = g * g / n as f64;
        // Sample variance of 1.6e5 Gaussians: relative standard error sqrt(2/m) ≈ 0.35 %.
        assert!((var / target - 1.0).abs() < 5.0 * (2.0 / m).sqrt());
        assert!(mean.abs() < 5.0 * (target / m).sqrt());
    }

    #[test]
    fn zero_diagonal_and_seed_determinism() {
        let a = iid_gaussian(50, 2.0, true, &mut rng::seeded(5));
        let b = iid_gaussian(50, 2.0, true, &mut rng::seeded(5));
        assert_eq!(a, b);
        assert!((0..50).all(|i| a[i * 50 + i] == 0.0));
        let c = iid_gaussian(50, 2.0, true, &mut rng::seeded(6));
        assert_ne!(a, c);
    }
}
