//! The quenched predictor without eigenvectors, for couplings whose eigenvector matrix is
//! ill-conditioned (strongly non-normal or nearly defective J, e.g. feed-forward structure in a
//! connectome), where the eigen-basis formulas of [`super::quenched`] lose their accuracy.
//!
//! The residual autocorrelation is written as a sum of exponentials, C_r(τ) ≈ Σ_m c_m e^{−κ_m|τ|}
//! (least squares on a fixed geometric grid of rates). The residual of each unit is then a sum of
//! independent Ornstein–Uhlenbeck processes r_m (rate κ_m, variance c_m), and the linear
//! equivalent dx/dt = −x + J(a x + Σ_m r_m) + ξ is a linear system driven by white noise. Its
//! stationary moments, with A = aJ − I (derived here):
//!
//!   E[x r_mᵀ] = X_m = c_m ((1 + κ_m) I − aJ)⁻¹ J,   Y = Σ_m X_m,
//!   A C^x + C^x Aᵀ + J Yᵀ + Y Jᵀ + σ² I = 0,
//!   C^φ = a² C^x + a (Y + Yᵀ) + C_r(0) I.
//!
//! Every step is a linear solve or the Lyapunov solver of [`crate::linalg::lyapunov`], all
//! backward stable for stable A. The only approximation is the fit of C_r, whose largest error is
//! reported. Cost: one inverse per rate (2n³ each, [`RATES`] rates) and the Lyapunov doubling.
//!
//! The cross-spectral matrices for the frequency-resolved dimension come from one complex solve
//! per frequency: with B(ω) = ((1 + iω) I − aJ)⁻¹,
//! C^x(ω) = c(ω) (BJ)(BJ)† + σ² BB† and C^φ(ω) = ((1 + ω²) c(ω) + a²σ²) BB†.

use super::quenched::{laplace, LinearEquivalent, C64};
use crate::kernels::gemm_abt;
use crate::linalg::inverse::inverse;
use crate::linalg::lyapunov::lyapunov_solve;
use crate::linalg::transpose;

/// Number of decay rates of the exponential fit.
const RATES: usize = 40;
/// Largest decay rate (units of 1/τ_neuron); faster parts of C_r are resolved by the fit's
/// fastest terms.
const MAX_RATE: f64 = 60.0;

/// C_r(τ) ≈ Σ_m weights_m e^{−rates_m τ} on the sampled lags.
#[derive(Debug)]
pub struct ExponentialFit {
    pub rates: Vec<f64>,
    pub weights: Vec<f64>,
    /// max_k |fit(τ_k) − C_r(τ_k)| / C_r(0).
    pub max_error: f64,
}

/// Least-squares fit of the samples `c` (spacing `dt`) by [`RATES`] exponentials with rates
/// geometric between 1/(2T) (T the last lag) and [`MAX_RATE`], by Householder QR of the design
/// matrix with a tiny ridge (10⁻¹² of its largest column norm) against the ill-conditioning of
/// the exponential basis.
pub fn fit_exponentials(c: &[f64], dt: f64) -> ExponentialFit {
    let scale = c.first().map_or(0.0, |v| v.abs());
    if c.len() < 2 || scale == 0.0 {
        return ExponentialFit {
            rates: Vec::new(),
            weights: Vec::new(),
            max_error: 0.0,
        };
    }
    let t_max = dt * (c.len() - 1) as f64;
    let lo = 0.5 / t_max;
    let rates: Vec<f64> = (0..RATES)
        .map(|m| lo * (MAX_RATE / lo).powf(m as f64 / (RATES - 1) as f64))
        .collect();
    let rows = c.len() + RATES;
    // Column-major design matrix [E; λI] and right-hand side [c; 0].
    let mut a = vec![0.0; rows * RATES];
    for (m, &k) in rates.iter().enumerate() {
        for (i, v) in a[m * rows..m * rows + c.len()].iter_mut().enumerate() {
            *v = (-k * dt * i as f64).exp();
        }
    }
    let norm = (0..RATES)
        .map(|m| {
            a[m * rows..(m + 1) * rows]
                .iter()
                .map(|v| v * v)
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
        .sqrt();
    for m in 0..RATES {
        a[m * rows + c.len() + m] = 1e-12 * norm;
    }
    let mut b: Vec<f64> = c
        .iter()
        .copied()
        .chain(std::iter::repeat(0.0).take(RATES))
        .collect();
    let weights = least_squares(&mut a, rows, RATES, &mut b);
    let max_error = c
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let t = dt * i as f64;
            let f: f64 = rates
                .iter()
                .zip(&weights)
                .map(|(k, w)| w * (-k * t).exp())
                .sum();
            (f - v).abs()
        })
        .fold(0.0, f64::max)
        / scale;
    ExponentialFit {
        rates,
        weights,
        max_error,
    }
}

/// argmin ‖A x − b‖ for column-major A (`rows × cols`, full column rank) by Householder QR;
/// A and b are overwritten.
fn least_squares(a: &mut [f64], rows: usize, cols: usize, b: &mut [f64]) -> Vec<f64> {
    for k in 0..cols {
        let tail = &mut a[k * rows..];
        let col = &mut tail[..rows];
        let norm = col[k..].iter().map(|v| v * v).sum::<f64>().sqrt();
        if norm == 0.0 {
            continue;
        }
        let alpha = if col[k] > 0.0 { -norm } else { norm };
        col[k] -= alpha;
        let vnorm2: f64 = col[k..].iter().map(|v| v * v).sum();
        let v: Vec<f64> = col[k..].to_vec();
        col[k] = alpha;
        col[k + 1..].iter_mut().for_each(|x| *x = 0.0);
        let reflect = |x: &mut [f64]| {
            let d: f64 = v.iter().zip(&x[k..]).map(|(p, q)| p * q).sum::<f64>() * 2.0 / vnorm2;
            x[k..].iter_mut().zip(&v).for_each(|(q, p)| *q -= d * p);
        };
        for j in k + 1..cols {
            reflect(&mut tail[(j - k) * rows..(j - k + 1) * rows]);
        }
        reflect(b);
    }
    let mut x = vec![0.0; cols];
    for k in (0..cols).rev() {
        let s: f64 = (k + 1..cols).map(|j| a[j * rows + k] * x[j]).sum();
        x[k] = (b[k] - s) / a[k * rows + k];
    }
    x
}

/// Equal-time (C^x, C^φ) of the linear equivalent of the network with the `n × n` couplings `j`
/// (see the module doc), and the fit of C_r.
pub fn lyapunov_covariances(
    j: &[f64],
    n: usize,
    p: &LinearEquivalent,
) -> Result<(Vec<f64>, Vec<f64>, ExponentialFit), String> {
    let class = p.uniform_class()?;
    let a = class.slope;
    let fit = fit_exponentials(class.residual, p.dt);
    // S = Σ_m c_m ((1 + κ_m) I − aJ)⁻¹, then Y = S J.
    let mut s = vec![0.0; n * n];
    let mut shifted = vec![0.0; n * n];
    for (&k, &w) in fit.rates.iter().zip(&fit.weights) {
        for (x, y) in shifted.iter_mut().zip(j) {
            *x = -a * y;
        }
        for i in 0..n {
            shifted[i * n + i] += 1.0 + k;
        }
        let r = inverse(&shifted, n)
            .ok_or("the linear-equivalent network is unstable ((1 + κ)I − ⟨φ'⟩J is singular)")?;
        s.iter_mut().zip(&r).for_each(|(x, y)| *x += w * y);
    }
    let jt = transpose(j, n);
    let mut y = vec![0.0; n * n];
    gemm_abt(&s, &jt, n, n, n, &mut y);
    let mut q = vec![0.0; n * n];
    gemm_abt(j, &y, n, n, n, &mut q);
    let s2 = p.noise_variance;
    let mut drive = vec![0.0; n * n];
    for r in 0..n {
        for c in 0..n {
            drive[r * n + c] = q[r * n + c] + q[c * n + r] + if r == c { s2 } else { 0.0 };
        }
    }
    let mut system: Vec<f64> = j.iter().map(|v| a * v).collect();
    for i in 0..n {
        system[i * n + i] -= 1.0;
    }
    let cx = lyapunov_solve(&system, n, &drive)
        .map_err(|_| {
            "the linear-equivalent network is unstable (the Lyapunov iteration diverged)"
                .to_string()
        })?
        .c;
    let cr0 = class.residual.first().copied().unwrap_or(0.0);
    let mut cphi = vec![0.0; n * n];
    for r in 0..n {
        for c in 0..n {
            cphi[r * n + c] = a * a * cx[r * n + c]
                + a * (y[r * n + c] + y[c * n + r])
                + if r == c { cr0 } else { 0.0 };
        }
    }
    Ok((cx, cphi, fit))
}

/// Frequency-resolved PR^x(ω)/n and PR^φ(ω)/n from the cross-spectral matrices of the module doc.
pub fn lyapunov_spectral_pr(
    j: &[f64],
    n: usize,
    p: &LinearEquivalent,
    omega: &[f64],
) -> Result<(Vec<f64>, Vec<f64>), String> {
    let class = p.uniform_class()?;
    let a = class.slope;
    let jt = transpose(j, n);
    let (mut prx, mut prp) = (Vec::new(), Vec::new());
    let m = 2 * n;
    for &w in omega {
        let c = 2.0 * laplace(class.residual, p.dt, C64::new(0.0, w)).re;
        let inv =
            inverse(&shifted_real_form(j, n, a, w), m).ok_or("(1 + iω)I − ⟨φ'⟩J is singular")?;
        let (mut br, mut bi) = (vec![0.0; n * n], vec![0.0; n * n]);
        for r in 0..n {
            br[r * n..(r + 1) * n].copy_from_slice(&inv[r * m..r * m + n]);
            bi[r * n..(r + 1) * n].copy_from_slice(&inv[(n + r) * m..(n + r) * m + n]);
        }
        let bb = hermitian_square(&br, &bi, n);
        let (mut kr, mut ki) = (vec![0.0; n * n], vec![0.0; n * n]);
        gemm_abt(&br, &jt, n, n, n, &mut kr);
        gemm_abt(&bi, &jt, n, n, n, &mut ki);
        let kk = hermitian_square(&kr, &ki, n);
        let cx_re: Vec<f64> =
            kk.0.iter()
                .zip(&bb.0)
                .map(|(k, b)| c * k + p.noise_variance * b)
                .collect();
        let cx_im: Vec<f64> =
            kk.1.iter()
                .zip(&bb.1)
                .map(|(k, b)| c * k + p.noise_variance * b)
                .collect();
        prx.push(participation(&cx_re, &cx_im, n));
        prp.push(participation(&bb.0, &bb.1, n));
    }
    Ok((prx, prp))
}

/// The real 2n × 2n form [[Re, −Im], [Im, Re]] of (1 + iω) I − aJ; its inverse holds
/// B = ((1 + iω) I − aJ)⁻¹ as Re B in the top-left and Im B in the bottom-left block.
pub(crate) fn shifted_real_form(j: &[f64], n: usize, a: f64, w: f64) -> Vec<f64> {
    let m = 2 * n;
    let mut real = vec![0.0; m * m];
    for r in 0..n {
        for col in 0..n {
            let re = if r == col { 1.0 } else { 0.0 } - a * j[r * n + col];
            let im = if r == col { w } else { 0.0 };
            real[r * m + col] = re;
            real[r * m + n + col] = -im;
            real[(n + r) * m + col] = im;
            real[(n + r) * m + n + col] = re;
        }
    }
    real
}

/// (Re, Im) of X X† for X = X_r + i X_i.
fn hermitian_square(xr: &[f64], xi: &[f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut rr = vec![0.0; n * n];
    let mut t = vec![0.0; n * n];
    gemm_abt(xr, xr, n, n, n, &mut rr);
    gemm_abt(xi, xi, n, n, n, &mut t);
    rr.iter_mut().zip(&t).for_each(|(x, y)| *x += y);
    let mut im = vec![0.0; n * n];
    gemm_abt(xi, xr, n, n, n, &mut im);
    gemm_abt(xr, xi, n, n, n, &mut t);
    im.iter_mut().zip(&t).for_each(|(x, y)| *x -= y);
    (rr, im)
}

/// (tr C)² / (n ‖C‖²_F) for Hermitian C = C_r + i C_i.
fn participation(re: &[f64], im: &[f64], n: usize) -> f64 {
    let tr: f64 = (0..n).map(|i| re[i * n + i]).sum();
    let f2: f64 = re.iter().chain(im).map(|v| v * v).sum();
    tr * tr / (n as f64 * f2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::linalg::eigvec::eigen_decomposition;
    use crate::linalg::test_matrices::{self, max_relative as max_rel};
    use crate::theory::quenched::{quenched_covariances, quenched_spectral_pr, Prepared};

    fn gaussian(n: usize, g: f64, seed: u64) -> Vec<f64> {
        test_matrices::gaussian(n, g / (n as f64).sqrt(), seed)
    }

    /// A DMFT-like residual: flat at τ = 0 (zero slope), decaying on a time scale of a few τ.
    fn smooth_residual(dt: f64) -> Vec<f64> {
        (0..=(80.0 / dt) as usize)
            .map(|k| {
                let t = k as f64 * dt;
                0.3 * (1.0 + t / 2.0) * (-t / 2.0).exp()
            })
            .collect()
    }

    #[test]
    fn the_fit_is_exact_on_its_own_basis_and_close_on_smooth_correlations() {
        let dt = 0.02;
        let c = smooth_residual(dt);
        let fit = fit_exponentials(&c, dt);
        assert!(fit.max_error < 1e-5, "{}", fit.max_error);
        assert!(fit_exponentials(&[0.0; 10], dt).rates.is_empty());
    }

    #[test]
    fn agrees_with_the_eigen_basis_formulas_on_well_conditioned_couplings() {
        let n = 40;
        let dt = 0.02;
        let residual = smooth_residual(dt);
        for (seed, slope, s2) in [(1, 0.8, 0.5), (2, 0.6, 0.0)] {
            let j = gaussian(n, 1.0, seed);
            let p = LinearEquivalent::uniform(slope, s2, &residual, dt);
            let pre = Prepared::new(&eigen_decomposition(&j, n).unwrap(), n, slope).unwrap();
            let (ex, ep) = quenched_covariances(&pre, &p);
            let (lx, lp, fit) = lyapunov_covariances(&j, n, &p).unwrap();
            assert!(fit.max_error < 1e-5);
            assert!(max_rel(&lx, &ex) < 1e-5, "C^x: {}", max_rel(&lx, &ex));
            assert!(max_rel(&lp, &ep) < 1e-5, "C^φ: {}", max_rel(&lp, &ep));
            let omega = [0.0, 0.7, 3.0];
            let (sx, sp) = quenched_spectral_pr(&pre, &p, &omega);
            let (tx, tp) = lyapunov_spectral_pr(&j, n, &p, &omega).unwrap();
            assert!(max_rel(&tx, &sx) < 1e-9 && max_rel(&tp, &sp) < 1e-9);
        }
    }

    #[test]
    fn an_unstable_linear_equivalent_is_an_error() {
        let n = 20;
        let j = gaussian(n, 3.0, 5);
        let p = LinearEquivalent::uniform(1.0, 1.0, &[0.0], 0.1);
        assert!(lyapunov_covariances(&j, n, &p)
            .unwrap_err()
            .contains("unstable"));
    }
}
