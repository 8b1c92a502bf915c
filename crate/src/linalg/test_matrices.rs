//! Test matrices shared by the linear-algebra tests.

use crate::rng;

/// Real and complex-conjugate roots of a test polynomial, for companion matrices.
pub(crate) const COMPANION_ROOTS: [(f64, f64); 8] = [
    (3.0, 0.0),
    (2.0, 0.0),
    (-1.5, 0.0),
    (0.5, 2.0),
    (0.5, -2.0),
    (-0.25, 0.75),
    (-0.25, -0.75),
    (0.1, 0.0),
];

/// Rotation–scaling blocks r [cos θ −sin θ; sin θ cos θ] (eigenvalues r e^{±iθ}) and real
/// diagonal entries.
pub(crate) const ROTATION_BLOCKS: [(f64, f64); 4] = [
    (2.0, 0.3),
    (0.5, 2.0),
    (1.2, std::f64::consts::FRAC_PI_2),
    (3.0, 2.9),
];
pub(crate) const BLOCK_REALS: [f64; 2] = [-1.0, 0.25];

/// The block-diagonal matrix of [`ROTATION_BLOCKS`] followed by [`BLOCK_REALS`], and its size.
pub(crate) fn rotation_block_matrix() -> (Vec<f64>, usize) {
    let n = 2 * ROTATION_BLOCKS.len() + BLOCK_REALS.len();
    let mut b = vec![0.0; n * n];
    for (k, &(r, t)) in ROTATION_BLOCKS.iter().enumerate() {
        let i = 2 * k;
        b[i * n + i] = r * t.cos();
        b[i * n + i + 1] = -r * t.sin();
        b[(i + 1) * n + i] = r * t.sin();
        b[(i + 1) * n + i + 1] = r * t.cos();
    }
    for (k, &x) in BLOCK_REALS.iter().enumerate() {
        let i = 2 * ROTATION_BLOCKS.len() + k;
        b[i * n + i] = x;
    }
    (b, n)
}

/// An n × n matrix of independent N(0, std²) entries.
pub(crate) fn gaussian(n: usize, std: f64, seed: u64) -> Vec<f64> {
    let mut r = rng::seeded(seed);
    let mut a = vec![0.0; n * n];
    rng::fill_normal(&mut r, std, &mut a);
    a
}

/// max |a − b| / max |b|.
pub(crate) fn max_relative(a: &[f64], b: &[f64]) -> f64 {
    let scale = b.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// A B for n × n row-major matrices.
pub(crate) fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            for j in 0..n {
                c[i * n + j] += aik * b[k * n + j];
            }
        }
    }
    c
}

pub(crate) use super::transpose;

/// Complex coefficients of the monic polynomial Π (z − zₖ), highest degree first (test input for
/// companion matrices).
pub(crate) fn monic_coefficients(roots: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut coef: Vec<(f64, f64)> = vec![(1.0, 0.0)];
    for &(zr, zi) in roots {
        let mut next = coef.clone();
        next.push((0.0, 0.0));
        for (k, &(cr, ci)) in coef.iter().enumerate() {
            next[k + 1].0 -= cr * zr - ci * zi;
            next[k + 1].1 -= cr * zi + ci * zr;
        }
        coef = next;
    }
    coef
}

/// A random orthogonal `n × n` matrix (QR of a Gaussian one).
pub(crate) fn random_orthogonal(n: usize, seed: u64) -> Vec<f64> {
    let mut r = rng::seeded(seed);
    let mut q: Vec<f64> = (0..n * n).map(|_| rng::normal(&mut r)).collect();
    super::orthonormal_columns(&mut q, n, n);
    q
}

/// Q diag(λ) Qᵀ.
pub(crate) fn with_spectrum(q: &[f64], lambda: &[f64]) -> Vec<f64> {
    let n = lambda.len();
    let mut a = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            a[i * n + j] = (0..n)
                .map(|k| q[i * n + k] * lambda[k] * q[j * n + k])
                .sum();
        }
    }
    a
}
