//! Gauss–Hermite quadrature for the standard normal weight by the Golub–Welsch algorithm: the
//! nodes are the eigenvalues of the Jacobi matrix of the probabilists' Hermite polynomials
//! (zero diagonal, off-diagonal √k) and the weights the squared first components of its
//! eigenvectors. Exact for polynomials of degree < 2m.

use crate::linalg::symeig::sym_eig;

/// (nodes, weights) of the m-point rule for E[f(z)], z ~ N(0, 1).
pub fn gauss_hermite(m: usize) -> (Vec<f64>, Vec<f64>) {
    let mut jacobi = vec![0.0; m * m];
    for k in 1..m {
        let b = (k as f64).sqrt();
        jacobi[k * m + k - 1] = b;
        jacobi[(k - 1) * m + k] = b;
    }
    let (nodes, vecs) = sym_eig(&jacobi, m);
    let weights = (0..m).map(|j| vecs[j].powi(2)).collect();
    (nodes, weights)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integrates_gaussian_moments_exactly() {
        let (z, w) = gauss_hermite(16);
        let total: f64 = w.iter().sum();
        assert!((total - 1.0).abs() < 1e-13);
        let mut double_factorial = 1.0;
        for k in 1..=15 {
            double_factorial *= (2 * k - 1) as f64;
            let m: f64 = z
                .iter()
                .zip(&w)
                .map(|(x, w)| w * x.powi(2 * k as i32))
                .sum();
            assert!((m / double_factorial - 1.0).abs() < 1e-11, "E z^{}", 2 * k);
        }
        // E e^{sz} = e^{s²/2}.
        let e: f64 = z.iter().zip(&w).map(|(x, w)| w * (0.7 * x).exp()).sum();
        assert!((e - (0.245f64).exp()).abs() < 1e-14);
    }
}
