//! Dimension of activity of random-mode networks with input/output-mode overlaps: the four-point
//! function of Clark, Marschall, van Meegen & Litwin-Kumar, Phys. Rev. X 15, 041019 (2025),
//! Eq. (51) (App. K), evaluated on the single-site solution C^φ(ω), S^φ(ω) of Eqs. (47)–(49).
//!
//! With Σ_k = S^φ(ω_k)/(1 − DρS^φ(ω_k)) (k = 1, 2) and ⟨·⟩ the average over the joint (D, ρ)
//! distribution of the modes,
//!
//! ```text
//!   U = α⟨D²Σ₁Σ₂⟩,  V = α⟨D⁴|Σ₁Σ₂|²⟩,  W = α⟨D²ρ²Σ₁*Σ₂⟩,  X₁₂ = α⟨D³ρΣ₁|Σ₂|²⟩,
//!   Ψ^φ(ω₁,ω₂) = [V − 1 + 2 Re{(1 + X₁₂)(1 + X₂₁*)/(1 − W*)}] / |1 − U|² · C^φ(ω₁)C^φ(ω₂)   (51)
//! ```
//!
//! and PR^φ/N = C^φ(0)²/Ψ^φ(0,0), Ψ^φ(0,0) = ∫∫ dω₁dω₂/(2π)² Ψ^φ(ω₁,ω₂) (Eqs. 20, 26). With
//! ρ ≡ 0 the bracket is (1 + α⟨D⁴⟩|S₁S₂|²)/|1 − g²S₁S₂|², the random-mode result, Eq. (38).
//!
//! Numerics (ours): the bracket B tends to 1 as S → 0, and ∫∫ C₁C₂ = C(0)², so
//! Ψ(0,0) = C(0)² + ∫∫ (B − 1)C₁C₂ with C(0) from the lag data. The double integral uses the
//! product grid ω = a sinh(u) of the two-site dimension theory (uniform steps in u, a set by the
//! width 1 − |U(0,0)| of the peak at the origin), halving the step until the nested grid agrees.
//! B(−ω₁,−ω₂) = B(ω₁,ω₂) (complex conjugation), which halves the work. C^φ(ω) is the trapezoid
//! cosine sum of the lag samples; S^φ(ω) is interpolated linearly on its uniform grid and taken
//! as zero beyond it.

use std::f64::consts::PI;

/// Relative agreement required between the grid and its nested grid of twice the step.
const TOLERANCE: f64 = 1e-5;
/// Initial step in u and the number of allowed halvings.
const STEP0: f64 = 0.2;
const MAX_HALVINGS: usize = 5;

/// Input of [`overlap_dimension`].
#[derive(Clone, Copy, Debug)]
pub struct OverlapDimensionInput<'a> {
    /// α = P/N.
    pub alpha: f64,
    /// Mode strengths D_a and overlaps ρ_a: the (D, ρ) distribution is uniform over the P pairs.
    pub d: &'a [f64],
    pub rho: &'a [f64],
    /// Lag step and C^φ(τ_m), m = 0..: an even lag function, small at the end.
    pub dt: f64,
    pub cphi: &'a [f64],
    /// S^φ(ω_k) on ω_k = k·dω, k = 0..: real and imaginary parts.
    pub domega: f64,
    pub s_re: &'a [f64],
    pub s_im: &'a [f64],
}

/// Result of [`overlap_dimension`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OverlapDimension {
    /// C^φ(0) and Ψ^φ(0,0).
    pub cphi0: f64,
    pub psi: f64,
    /// PR^φ/N = C^φ(0)²/Ψ^φ(0,0).
    pub pr: f64,
    /// U(0,0) = α⟨D²Σ(0)²⟩: the dynamics are stable while it is below 1.
    pub u0: f64,
    /// Half-axis nodes of the final grid and the relative change from the nested grid.
    pub nodes: usize,
    pub error_estimate: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct C64 {
    re: f64,
    im: f64,
}

impl C64 {
    fn mul(self, o: C64) -> C64 {
        C64 {
            re: self.re * o.re - self.im * o.im,
            im: self.re * o.im + self.im * o.re,
        }
    }
    fn conj(self) -> C64 {
        C64 {
            re: self.re,
            im: -self.im,
        }
    }
    fn norm2(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
    fn div(self, o: C64) -> C64 {
        let d = o.norm2();
        let p = self.mul(o.conj());
        C64 {
            re: p.re / d,
            im: p.im / d,
        }
    }
}

fn check(input: &OverlapDimensionInput) -> Result<(), String> {
    let p = input.d.len();
    if p == 0 {
        return Err("spectrum: must have at least one mode".into());
    }
    if input.rho.len() != p {
        return Err(format!(
            "overlaps: must have one value per mode ({p}), got {}",
            input.rho.len()
        ));
    }
    if !(input.alpha.is_finite() && input.alpha > 0.0) {
        return Err(format!("alpha: must be positive, got {}", input.alpha));
    }
    if input.d.iter().chain(input.rho).any(|v| !v.is_finite()) {
        return Err("spectrum: values must be finite".into());
    }
    if !(input.dt.is_finite() && input.dt > 0.0) {
        return Err(format!("dt: must be positive, got {}", input.dt));
    }
    if input.cphi.len() < 2 || !input.cphi.iter().all(|v| v.is_finite()) || input.cphi[0] <= 0.0 {
        return Err("cphi: needs at least 2 finite lag samples with C(0) > 0".into());
    }
    if !(input.domega.is_finite() && input.domega > 0.0) {
        return Err(format!("domega: must be positive, got {}", input.domega));
    }
    let k = input.s_re.len();
    if k < 2 || input.s_im.len() != k {
        return Err("response: needs real and imaginary parts of equal length ≥ 2".into());
    }
    if input.s_re.iter().chain(input.s_im).any(|v| !v.is_finite()) {
        return Err("response: values must be finite".into());
    }
    Ok(())
}

/// S^φ(ω) for ω ≥ 0 by linear interpolation (zero beyond the grid).
fn response_at(input: &OverlapDimensionInput, omega: f64) -> C64 {
    let x = omega / input.domega;
    let k = x.floor() as usize;
    if k + 1 >= input.s_re.len() {
        return C64 { re: 0.0, im: 0.0 };
    }
    let f = x - k as f64;
    C64 {
        re: (1.0 - f) * input.s_re[k] + f * input.s_re[k + 1],
        im: (1.0 - f) * input.s_im[k] + f * input.s_im[k + 1],
    }
}

/// C^φ(ω) = dt[C₀ + 2Σ_{m≥1} C_m cos(ω τ_m)].
fn spectrum_at(dt: f64, c: &[f64], omega: f64) -> f64 {
    let tail: f64 = c[1..]
        .iter()
        .enumerate()
        .map(|(m, v)| v * (omega * (m + 1) as f64 * dt).cos())
        .sum();
    dt * (c[0] + 2.0 * tail)
}

/// Σ_a(ω) for every mode at one frequency.
fn sigmas(input: &OverlapDimensionInput, s: C64) -> Vec<C64> {
    input
        .d
        .iter()
        .zip(input.rho)
        .map(|(&d, &r)| {
            s.div(C64 {
                re: 1.0 - d * r * s.re,
                im: -d * r * s.im,
            })
        })
        .collect()
}

/// The bracket B(ω₁,ω₂) of Eq. (51) from the per-mode Σ at the two frequencies.
fn bracket(input: &OverlapDimensionInput, s1: &[C64], s2: &[C64]) -> (f64, C64) {
    let (mut u, mut w, mut x12, mut x21) = ([0.0; 2], [0.0; 2], [0.0; 2], [0.0; 2]);
    let mut v = 0.0;
    for a in 0..s1.len() {
        let (d, r) = (input.d[a], input.rho[a]);
        let (d2, a1, a2) = (d * d, s1[a], s2[a]);
        let (n1, n2) = (a1.norm2(), a2.norm2());
        let p = a1.mul(a2);
        u[0] += d2 * p.re;
        u[1] += d2 * p.im;
        v += d2 * d2 * n1 * n2;
        let q = a1.conj().mul(a2);
        w[0] += d2 * r * r * q.re;
        w[1] += d2 * r * r * q.im;
        let c3 = d2 * d * r;
        x12[0] += c3 * n2 * a1.re;
        x12[1] += c3 * n2 * a1.im;
        x21[0] += c3 * n1 * a2.re;
        x21[1] += c3 * n1 * a2.im;
    }
    let scale = input.alpha / s1.len() as f64;
    let c = |z: [f64; 2]| C64 {
        re: scale * z[0],
        im: scale * z[1],
    };
    let (u, w, x12, x21) = (c(u), c(w), c(x12), c(x21));
    let v = scale * v;
    let one = |z: C64, sign: f64| C64 {
        re: 1.0 + sign * z.re,
        im: sign * z.im,
    };
    let term = one(x12, 1.0)
        .mul(one(x21.conj(), 1.0))
        .div(one(w.conj(), -1.0));
    let den = one(u, -1.0).norm2();
    ((v - 1.0 + 2.0 * term.re) / den, u)
}

/// Ψ^φ(0,0) − C^φ(0)² on the sinh grid of scale `a` and u-step `step`, and on its nested grid.
fn excess(input: &OverlapDimensionInput, a: f64, step: f64, omega_max: f64) -> (f64, f64, usize) {
    let umax = (omega_max / a).asinh();
    let k = (umax / step).ceil() as usize;
    let k = k + k % 2;
    let half: Vec<f64> = (0..=k).map(|j| a * (j as f64 * step).sinh()).collect();
    let hw: Vec<f64> = (0..=k)
        .map(|j| a * step * (j as f64 * step).cosh())
        .collect();
    // Full axis −ω_K..ω_K, index k + j for ω_j, k − j for −ω_j.
    let m = 2 * k + 1;
    let mut sig: Vec<Vec<C64>> = Vec::with_capacity(m);
    let mut cw = vec![0.0; m];
    let mut coarse = vec![false; m];
    for idx in 0..m {
        let j = idx.abs_diff(k);
        let s = response_at(input, half[j]);
        let s = if idx < k { s.conj() } else { s };
        sig.push(sigmas(input, s));
        cw[idx] = hw[j] * spectrum_at(input.dt, input.cphi, half[j]);
        coarse[idx] = j % 2 == 0;
    }
    let (mut fine, mut nested) = (0.0, 0.0);
    // Rows ω₁ > 0 count twice (symmetry under (ω₁,ω₂) → (−ω₁,−ω₂)), the row ω₁ = 0 once.
    for i in k..m {
        let factor = if i == k { 1.0 } else { 2.0 };
        let (mut row, mut row_coarse) = (0.0, 0.0);
        for l in 0..m {
            let (b, _) = bracket(input, &sig[i], &sig[l]);
            let t = (b - 1.0) * cw[l];
            row += t;
            if coarse[l] {
                row_coarse += t;
            }
        }
        fine += factor * cw[i] * row;
        if coarse[i] {
            nested += 4.0 * factor * cw[i] * row_coarse;
        }
    }
    let norm = 1.0 / (4.0 * PI * PI);
    (fine * norm, nested * norm, k + 1)
}

/// PR^φ/N of Eq. (51) (see the module documentation).
pub fn overlap_dimension(input: &OverlapDimensionInput) -> Result<OverlapDimension, String> {
    check(input)?;
    let cphi0 = input.cphi[0];
    let s0 = response_at(input, 0.0);
    let sig0 = sigmas(input, s0);
    let (_, u0) = bracket(input, &sig0, &sig0);
    let gap = 1.0 - u0.re.hypot(u0.im);
    if gap <= 0.0 {
        return Err(format!(
            "response: |U(0,0)| = {:.4} ≥ 1, the linearised dynamics are unstable",
            1.0 - gap
        ));
    }
    let omega_max = input.domega * (input.s_re.len() - 1) as f64;
    let a = (0.5 * gap).max(1e-6);
    let mut step = STEP0;
    let mut halvings = 0;
    loop {
        let (fine, nested, nodes) = excess(input, a, step, omega_max);
        let psi = cphi0 * cphi0 + fine;
        let err = (fine - nested).abs() / psi;
        if err <= TOLERANCE || halvings == MAX_HALVINGS {
            return Ok(OverlapDimension {
                cphi0,
                psi,
                pr: cphi0 * cphi0 / psi,
                u0: u0.re,
                nodes,
                error_estimate: err,
            });
        }
        step *= 0.5;
        halvings += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Linear network (φ = x, ⟨φ'⟩ = 1) with white noise: S(ω) = 1/(1 + iω) on a fine grid,
    /// C(τ) = e^{−λ|τ|}/(2λ), λ = √(1 − g²) for ρ = 0.
    fn linear_case(g: f64) -> (Vec<f64>, f64, Vec<f64>, Vec<f64>, f64) {
        let lam = (1.0 - g * g).sqrt();
        let dt = 0.01;
        let c: Vec<f64> = (0..((40.0 / lam / dt) as usize))
            .map(|j| (-lam * j as f64 * dt).exp() / (2.0 * lam))
            .collect();
        let dw = 0.01;
        let (re, im): (Vec<f64>, Vec<f64>) = (0..20_000)
            .map(|k| {
                let w = k as f64 * dw;
                (1.0 / (1.0 + w * w), -w / (1.0 + w * w))
            })
            .unzip();
        (c, dt, re, im, dw)
    }

    #[test]
    fn zero_overlaps_give_the_random_mode_bracket() {
        // At ρ = 0 the bracket is (1 + α⟨D⁴⟩|S₁S₂|²)/|1 − α⟨D²⟩S₁S₂|² pointwise.
        let d = [0.5, 1.0, 1.5];
        let input = OverlapDimensionInput {
            alpha: 0.7,
            d: &d,
            rho: &[0.0; 3],
            dt: 0.1,
            cphi: &[1.0, 0.5],
            domega: 0.1,
            s_re: &[0.0; 2],
            s_im: &[0.0; 2],
        };
        let (r2, r4) = (
            d.iter().map(|v| v * v).sum::<f64>() / 3.0,
            d.iter().map(|v| v.powi(4)).sum::<f64>() / 3.0,
        );
        let (s1, s2) = (C64 { re: 0.3, im: -0.2 }, C64 { re: 0.1, im: 0.25 });
        let (b, _) = bracket(&input, &sigmas(&input, s1), &sigmas(&input, s2));
        let p = s1.mul(s2);
        let expect = (1.0 + 0.7 * r4 * p.norm2())
            / C64 {
                re: 1.0 - 0.7 * r2 * p.re,
                im: -0.7 * r2 * p.im,
            }
            .norm2();
        assert!((b - expect).abs() < 1e-14, "{b} vs {expect}");
    }

    #[test]
    fn linear_iid_network_matches_the_closed_form() {
        // One mode of strength g with α = 1, ρ = 0: the random-mode model at γ = α⟨D⁴⟩/g⁴ = 1,
        // compared with the X/ν form of the two-site theory on the same lag function.
        let g = 0.6;
        let (c, dt, re, im, dw) = linear_case(g);
        let input = OverlapDimensionInput {
            alpha: 1.0,
            d: &[g],
            rho: &[0.0],
            dt,
            cphi: &c,
            domega: dw,
            s_re: &re,
            s_im: &im,
        };
        let got = overlap_dimension(&input).unwrap();
        let reference =
            crate::theory::dimension::dimension(&crate::theory::dimension::DimensionInput {
                dt,
                cx: &c,
                cphi: &c,
                nu: g * g,
            })
            .unwrap()
            .pr_phi(1.0);
        // Measured: estimate 2.0e−6, actual relative error 2.7e−6.
        assert!(got.error_estimate < 1e-5, "{got:?}");
        assert!(
            (got.pr - reference).abs() < 1e-5 * reference,
            "{} vs {reference}",
            got.pr
        );
    }

    #[test]
    fn rejects_unstable_and_malformed_inputs() {
        let (c, dt, re, im, dw) = linear_case(0.6);
        let mut input = OverlapDimensionInput {
            alpha: 1.0,
            d: &[1.2],
            rho: &[0.0],
            dt,
            cphi: &c,
            domega: dw,
            s_re: &re,
            s_im: &im,
        };
        assert!(overlap_dimension(&input).unwrap_err().contains("unstable"));
        input.rho = &[0.0, 0.0];
        assert!(overlap_dimension(&input)
            .unwrap_err()
            .starts_with("overlaps"));
    }
}
