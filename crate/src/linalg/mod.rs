//! Small dense linear algebra in `f64` on row-major slices.
//!
//! * [`symeig`]: eigenvalues and eigenvectors of a real symmetric matrix by Householder
//!   tridiagonalisation followed by the implicit QL iteration with Wilkinson shifts; for the
//!   eigenvalues of large matrices the tridiagonalisation goes through a band (`sym_band`).
//! * [`svd`]: singular values by Golub–Kahan Householder bidiagonalisation followed by
//!   implicit-shift bidiagonal QR (with the Demmel–Kahan zero-shift sweep).
//! * [`qr`]: an orthonormal basis of a column span by Householder QR.
//! * [`eig`]: eigenvalues of a general real matrix by balancing, Householder reduction to
//!   Hessenberg form and the Francis implicit double-shift QR iteration (small-bulge multishift
//!   QR with aggressive early deflation, `multishift`, for n ≥ 75).
//! * [`eigvec`]: eigenvectors of a general real matrix by inverse iteration on that Hessenberg
//!   form.
//!
//! Apart from exact power-of-two scalings, the factorisations use orthogonal transformations
//! only, so they are backward stable: the results are exact for a matrix within a small multiple
//! of `n · ε · ‖A‖₂` of the input. Symmetric eigenvalues and singular values are well
//! conditioned, so they are accurate to that level too; general eigenvectors are as accurate as
//! their condition allows (residuals ‖Av − λv‖ at round-off level).

pub mod eig;
pub mod eigvec;
pub mod inverse;
pub mod lyapunov;
mod multishift;
pub mod qr;
pub mod svd;
mod sym_band;
pub mod symeig;
#[cfg(test)]
pub(crate) mod test_matrices;

use crate::parallel::{self, Shared};

pub use qr::orthonormal_columns;
pub use svd::singular_values;
pub use symeig::{sym_eig, sym_eigvals, sym_eigvals_pair};

/// Aᵀ of an n × n row-major matrix, by tiles of 32 × 32 (rows of tiles of Aᵀ shared out over
/// threads).
pub(crate) fn transpose(a: &[f64], n: usize) -> Vec<f64> {
    const TILE: usize = 32;
    let mut t = vec![0.0; n * n];
    let ts = Shared::new(&mut t);
    parallel::for_each_large((n + TILE - 1) / TILE, n * n, &|c| {
        let (j0, j1) = (c * TILE, (c * TILE + TILE).min(n));
        // SAFETY: rows j0..j1 of Aᵀ belong to this chunk alone.
        let out = unsafe { ts.part(j0 * n, (j1 - j0) * n) };
        for i0 in (0..n).step_by(TILE) {
            for (row, j) in out.chunks_exact_mut(n).zip(j0..j1) {
                for (o, i) in row[i0..(i0 + TILE).min(n)].iter_mut().zip(i0..) {
                    *o = a[i * n + j];
                }
            }
        }
    });
    t
}

/// Dot product `xᵀy` over the common length (the SIMD kernel of [`crate::kernels::dot`]).
pub(crate) fn dot(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len().min(y.len());
    crate::kernels::dot(&x[..n], &y[..n])
}

/// `y ← y + α x` over the common length.
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (yi, xi) in y.iter_mut().zip(x) {
        *yi += alpha * xi;
    }
}

/// Euclidean norm `‖x‖₂`, rescaled when the plain sum of squares would underflow or overflow.
pub(crate) fn norm2(x: &[f64]) -> f64 {
    let ss = dot(x, x);
    if ss.is_nan() {
        return f64::NAN;
    }
    if ss > 1e-290 && ss.is_finite() {
        return ss.sqrt();
    }
    let amax = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if amax == 0.0 || !amax.is_finite() {
        return amax;
    }
    let scaled: f64 = x.iter().map(|v| (v / amax) * (v / amax)).sum();
    amax * scaled.sqrt()
}

/// Householder reflector (Golub & Van Loan, *Matrix Computations*, 4th ed., §5.1.2; LAPACK
/// `dlarfg`): for the vector `(α, x)` returns `(β, τ)` and overwrites `x` with `v` such that
/// `H = I − τ (1, v)(1, v)ᵀ` is orthogonal and `H (α, x) = (β, 0)`, with `|β| = ‖(α, x)‖₂`.
/// When `x = 0` the reflector is the identity (`τ = 0`, `β = α`).
pub(crate) fn householder(alpha: f64, x: &mut [f64]) -> (f64, f64) {
    let xnorm = norm2(x);
    if xnorm == 0.0 {
        return (alpha, 0.0);
    }
    let beta = -alpha.hypot(xnorm).copysign(alpha);
    let tau = (beta - alpha) / beta;
    let denom = alpha - beta;
    for v in x.iter_mut() {
        *v /= denom;
    }
    (beta, tau)
}

/// Plane rotation (LAPACK `dlartg`): `(c, s, r)` with `c² + s² = 1` and
/// `[c s; −s c] (f, g)ᵀ = (r, 0)ᵀ`.
pub(crate) fn givens(f: f64, g: f64) -> (f64, f64, f64) {
    if g == 0.0 {
        (1.0, 0.0, f)
    } else if f == 0.0 {
        (0.0, 1.0, g)
    } else {
        let r = f.hypot(g);
        (f / r, g / r, r)
    }
}

/// A power of two `2ᵏ` such that `amax · 2ᵏ` lies near 1, or 1 when `amax` is zero or not finite.
/// Multiplying by it is exact, so it is used to keep intermediate squares far from overflow
/// and underflow.
pub(crate) fn pow2_scale(amax: f64) -> f64 {
    if amax == 0.0 || !amax.is_finite() {
        return 1.0;
    }
    let k = (-amax.log2().ceil()).clamp(-1020.0, 1020.0) as i32;
    2.0_f64.powi(k)
}

/// Largest absolute entry (NaN entries are ignored).
pub(crate) fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0_f64, |m, v| m.max(v.abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn householder_maps_vector_to_multiple_of_first_unit_vector() {
        let x0 = [3.0, -1.0, 2.0, 0.5, -4.0];
        let mut v = x0[1..].to_vec();
        let (beta, tau) = householder(x0[0], &mut v);
        assert!((beta.abs() - norm2(&x0)).abs() < 1e-15 * norm2(&x0));
        // Apply H = I − τ u uᵀ with u = (1, v) to x0.
        let u: Vec<f64> = std::iter::once(1.0).chain(v.iter().copied()).collect();
        let t = tau * dot(&u, &x0);
        let hx: Vec<f64> = x0.iter().zip(&u).map(|(x, ui)| x - t * ui).collect();
        assert!((hx[0] - beta).abs() < 1e-14);
        for h in &hx[1..] {
            assert!(h.abs() < 1e-14, "{hx:?}");
        }
        // H is orthogonal: τ (2 − τ ‖u‖²) = 0.
        assert!((tau * (2.0 - tau * dot(&u, &u))).abs() < 1e-14);
    }

    #[test]
    fn householder_of_zero_tail_is_identity() {
        let mut v = [0.0, 0.0];
        assert_eq!(householder(-2.5, &mut v), (-2.5, 0.0));
        assert_eq!(v, [0.0, 0.0]);
    }

    #[test]
    fn norm2_survives_extreme_scales() {
        let tiny = [3e-200, 4e-200];
        assert!((norm2(&tiny) / 5e-200 - 1.0).abs() < 1e-15);
        let huge = [3e200, 4e200];
        assert!((norm2(&huge) / 5e200 - 1.0).abs() < 1e-15);
        assert_eq!(norm2(&[]), 0.0);
        assert!(norm2(&[1.0, f64::NAN]).is_nan());
    }

    #[test]
    fn pow2_scale_is_a_power_of_two_bringing_the_maximum_near_one() {
        for &a in &[1e-300, 1e-200, 0.3, 1.0, 7.0, 1e300] {
            let s = pow2_scale(a);
            assert_eq!(s.log2().fract(), 0.0);
            let scaled = a * s;
            assert!((0.25..=1.0).contains(&scaled), "{a} -> {scaled}");
        }
        let subnormal = 1e-310 * pow2_scale(1e-310);
        assert!(subnormal > 1e-4 && subnormal <= 1.0);
        assert_eq!(pow2_scale(0.0), 1.0);
        assert_eq!(pow2_scale(f64::INFINITY), 1.0);
    }
}
