//! Stationary dynamical mean-field theory of random rate networks (Sompolinsky, Crisanti &
//! Sommers, PRL 61, 259 (1988); theory note §2.1–§2.2).
//!
//! Network: dx_i/dt = −x_i + Σ_j J_ij φ(x_j) + b + ξ_i(t), J_ij ~ N(0, g²/N) (or a random-mode J
//! without overlaps, whose single-site theory is the same at g² = α⟨D²⟩), white noise
//! ⟨ξ_i(t)ξ_j(t')⟩ = σ² δ_ij δ(t−t'). With δx = x − b and Δ(τ) = ⟨δx(t)δx(t+τ)⟩ the single site
//! obeys (1 − ∂_τ²)Δ = g² C_φ(Δ(τ); Δ0) + σ² δ(τ), i.e. for τ > 0 the Newtonian motion
//!
//! ```text
//! Δ'' = Δ − g² C_φ(Δ; Δ0) = −∂V/∂Δ,   V(Δ) = −Δ²/2 + g² Ĉ_Φ(Δ; Δ0),   Δ'(0⁺) = −σ²/2.
//! ```
//!
//! Solution:
//! 1. Δ∞ = lim Δ(τ) is the smallest root of Δ∞ = g² C_φ(Δ∞; Δ0) (zero for odd φ without bias).
//! 2. Energy conservation from τ = 0⁺ to ∞: σ⁴/8 + V(Δ0) = V(Δ∞), a scalar equation for Δ0
//!    (for odd φ: Δ0²/2 = g²(⟨Φ²⟩ − ⟨Φ⟩²) + σ⁴/8, Eq. (7) of the note), solved by Brent's method on
//!    a bracket that excludes the trivial solution.
//! 3. Δ(τ) by classical RK4 from (Δ0, −σ²/2) with kernels from [`GaussianKernel`] until
//!    Δ − Δ∞ has fallen to 1e−4 (Δ0 − Δ∞), then the analytic tail
//!    Δ − Δ∞ = A e^{−λτ} + B e^{−2λτ} with λ² = 1 − g² C_d(Δ∞) (linearisation about Δ∞) and
//!    B = −g² C''(Δ∞) A²/(6λ²) (second order, derived by inserting the ansatz into the equation of
//!    motion; zero for odd φ).

use super::gaussian_kernel::{work_done, GaussianKernel};
use super::nonlinearity::Nonlinearity;
use super::roots::brent;

/// What the network does in the mean-field limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regime {
    /// Noiseless and below the critical gain: x ≡ b, Δ ≡ 0.
    Quiescent,
    /// A static heterogeneous fixed point: Δ(τ) ≡ Δ0 = Δ∞ (φ with bias, below the transition).
    FixedPoint,
    /// Noiseless chaos: Δ decays from Δ0 to Δ∞ < Δ0.
    Chaotic,
    /// Driven by white noise.
    Noisy,
}

impl Regime {
    /// Integer code at the C boundary.
    pub fn code(self) -> u32 {
        match self {
            Regime::Quiescent => 0,
            Regime::FixedPoint => 1,
            Regime::Chaotic => 2,
            Regime::Noisy => 3,
        }
    }
}

/// A stationary DMFT problem.
#[derive(Clone, Debug)]
pub struct DmftSpec {
    pub nl: Nonlinearity,
    /// Coupling gain g (standard deviation of J_ij times √N).
    pub g: f64,
    /// White-noise amplitude σ.
    pub noise: f64,
    /// Lag step of the output grid.
    pub dt: f64,
    /// Last lag of the output grid; None continues until Δ − Δ∞ < 1e−13 (Δ0 − Δ∞).
    pub tau_max: Option<f64>,
    /// Row gains J → diag(h)J as (weight, h²) pairs with weights summing to one; then Δ is the
    /// population-normalised Δ̄ and a neuron with gain h has Δ_h(τ) = h²Δ̄(τ) (odd φ without
    /// bias or noise only).
    pub gains: Option<Vec<(f64, f64)>>,
}

impl DmftSpec {
    /// The kernel at (normalised) variance `d0`, with or without its series.
    fn kernel(&self, d0: f64, series: bool) -> GaussianKernel {
        match (&self.gains, series) {
            (Some(gains), _) => GaussianKernel::mixture(&self.nl, d0, gains, series),
            (None, true) => GaussianKernel::new(&self.nl, d0),
            (None, false) => GaussianKernel::moments(&self.nl, d0),
        }
    }
}

/// The stationary solution on the lag grid τ_j = j·dt.
#[derive(Clone, Debug)]
pub struct Stationary {
    pub regime: Regime,
    pub delta0: f64,
    pub delta_inf: f64,
    /// ⟨φ'⟩ over N(b, Δ0).
    pub mean_slope: f64,
    /// ν = (g⟨φ'⟩)², the squared effective gain of the linear response.
    pub nu: f64,
    /// Decay rate λ of Δ(τ) − Δ∞ (λ² = 1 − g² C_d(Δ∞); √(1 − ν) for odd φ).
    pub tail_rate: f64,
    /// Tail: Δ − Δ∞ = A e^{−λτ} + B e^{−2λτ} for τ ≥ `switch_lag`.
    pub tail_a: f64,
    pub tail_b: f64,
    pub switch_lag: f64,
    /// Observed log-slope −Δ'/(Δ − Δ∞) at the switch (equals λ up to O(1e−4)).
    pub shooting_rate: f64,
    pub dt: f64,
    /// Δ(τ_j), C_φ(τ_j) = E[φφ], C_d(τ_j) = E[φ'φ'].
    pub delta: Vec<f64>,
    pub cphi: Vec<f64>,
    pub cslope: Vec<f64>,
    /// Δ on the half-step grid τ = j·dt/2 (for the Lyapunov problem).
    pub delta_half: Vec<f64>,
    pub kernel: GaussianKernel,
    pub g: f64,
}

/// Largest number of lag points produced.
pub const MAX_LAGS: usize = 1 << 22;
/// RK4 step bound.
const MAX_STEP: f64 = 0.005;
/// Relative distance to Δ∞ at which the analytic tail takes over.
const SWITCH: f64 = 1e-4;
/// Relative size of Δ − Δ∞ at which the default grid ends.
const END: f64 = 1e-13;

/// Largest standard deviation of the kernels' variable, in units of the half-width of φ's
/// analytic strip (tanh: a√Δ0 ≤ 47): beyond it the capped Hermite series leaves out more than
/// about 1e−10 of E[φ²] and one expansion costs seconds.
pub const MAX_KERNEL_WIDTH: f64 = 30.0;
/// Node × term products all kernel expansions of one solve may take (a few seconds).
const WORK_BUDGET: u64 = 1_500_000_000;

/// Why [`solve`] gives no answer: an input outside the range of the method (`parameter` names
/// it), or valid input without a bounded stationary state (`parameter` is None).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SolveError {
    pub parameter: Option<&'static str>,
    pub message: String,
}

impl SolveError {
    fn argument(parameter: &'static str, message: String) -> SolveError {
        SolveError {
            parameter: Some(parameter),
            message,
        }
    }

    fn none(message: &str) -> SolveError {
        SolveError {
            parameter: None,
            message: message.into(),
        }
    }
}

impl DmftSpec {
    /// Largest Δ0 whose kernels stay within [`MAX_KERNEL_WIDTH`] (infinite for ReLU and linear
    /// φ, whose kernels are closed-form or polynomial). With row gains the width of a group is
    /// that of h²Δ0: groups of weight ≥ 1e−9 must stay within the limit, the rest (negligible,
    /// the far nodes of a lognormal rule) within 100 times it, which bounds their memory.
    pub fn max_variance(&self) -> f64 {
        let width = MAX_KERNEL_WIDTH * self.nl.analytic_half_width();
        let gains = match &self.gains {
            Some(g) => g,
            None => return width * width,
        };
        let largest = |min_weight: f64| {
            gains
                .iter()
                .filter(|&&(w, _)| w >= min_weight)
                .fold(0.0_f64, |m, &(_, h2)| m.max(h2))
        };
        (width * width / largest(1e-9)).min(1e4 * width * width / largest(0.0))
    }

    /// The error for a solution beyond the kernels' range, naming the input that drives Δ0 (the
    /// gains, whose largest h² scales it, or the larger of g and the noise).
    fn out_of_range(&self, what: &str) -> SolveError {
        let parameter = if self.gains.is_some() {
            "gains"
        } else if self.noise > self.g {
            "noise"
        } else {
            "g"
        };
        SolveError::argument(
            parameter,
            format!(
                "the mean-field variance leaves the range of the kernel expansion ({what}; \
                 Δ0 ≤ {:.4e} here, about a√Δ0 ≤ 47 for tanh): lower g or noise",
                self.max_variance()
            ),
        )
    }
}

/// Solves the stationary DMFT.
pub fn solve(spec: &DmftSpec) -> Result<Stationary, SolveError> {
    let g2 = spec.g * spec.g;
    let kick = spec.noise.powi(4) / 8.0;
    let nl = &spec.nl;
    let odd = nl.is_odd();
    if spec.gains.is_some() && (!odd || spec.noise > 0.0) {
        return Err(SolveError::argument(
            "gains",
            "row-gain heterogeneity needs an odd φ without bias and without noise".into(),
        ));
    }
    let limit = spec.max_variance();
    let work_start = work_done();
    let over_budget = || work_done() - work_start > WORK_BUDGET;

    // Energy function E(Δ0) = σ⁴/8 + V(Δ0) − V(Δ∞(Δ0)); its positive root is the solution.
    let energy = |d0: f64| -> (f64, f64) {
        if over_budget() {
            (f64::NAN, d0)
        } else if odd {
            let m = spec.kernel(d0, false);
            let big_mean2 = m.c_big(0.0);
            (kick - 0.5 * d0 * d0 + g2 * (m.mean_big2 - big_mean2), 0.0)
        } else {
            let k = spec.kernel(d0, true);
            let dinf = smallest_static_root(&k, g2, d0);
            let e =
                kick - 0.5 * d0 * d0 + g2 * k.mean_big2 + 0.5 * dinf * dinf - g2 * k.c_big(dinf);
            (e, dinf)
        }
    };

    // Bracket the non-trivial root by a geometric scan from small Δ0. For φ with bias, Δ0 below
    // the onset of a root Δ∞ < Δ0 is degenerate (Δ∞ = Δ0 solves E = 0 trivially) and skipped.
    let scale = g2.max(1.0) * (1.0 + spec.noise * spec.noise);
    let degenerate = |d: f64, dinf: f64| !odd && dinf >= d;
    let mut grid = Vec::new();
    let mut d = if odd { 1e-6 } else { 1e-9 } * scale;
    // Odd φ: E > 0 below the root and < 0 above it, so a coarse scan suffices.
    let factor = if odd { 2.0 } else { 1.2 };
    let mut last_degenerate = None;
    let mut scanned = 0.0;
    while d < 1e15 * scale {
        if d > limit {
            if scanned >= limit {
                return Err(spec.out_of_range("no root of the energy condition below the limit"));
            }
            d = limit;
        }
        scanned = d;
        let (e, dinf) = energy(d);
        if over_budget() {
            return Err(spec.out_of_range("the kernel expansions exceed their work budget"));
        }
        if degenerate(d, dinf) {
            last_degenerate = Some(d);
        } else {
            if let (Some(prev), true) = (last_degenerate.take(), grid.is_empty()) {
                // A root Δ∞ < Δ0 appears at an onset between prev and d (saddle-node in Δ∞):
                // locate it and resolve E just above it, where the chaotic root may lie.
                let (mut a, mut b) = (prev, d);
                for _ in 0..60 {
                    let m = 0.5 * (a + b);
                    let (_, dm) = energy(m);
                    if degenerate(m, dm) {
                        a = m;
                    } else {
                        b = m;
                    }
                }
                for j in (1..=12).rev() {
                    let x = b + (d - b) * 10f64.powi(-j);
                    grid.push((x, energy(x).0));
                }
            }
            grid.push((d, e));
            if e < 0.0 {
                break;
            }
        }
        d *= factor;
    }
    let mut positive: Option<f64> = None;
    let mut bracket = None;
    for &(x, e) in &grid {
        // |E| at round-off level is the trivial (static) solution, not a sign.
        if e > 1e-12 * x * x {
            positive = Some(x);
        } else if e < -1e-12 * x * x {
            bracket = positive.map(|p| (p, x));
            break;
        }
    }
    if grid.last().map_or(true, |&(_, e)| e >= 0.0) {
        return Err(SolveError::none(
            "no bounded stationary state: Δ0 grows without limit (φ unbounded?)",
        ));
    }
    let (lo, hi) = match bracket {
        Some(b) => b,
        None if spec.noise > 0.0 => {
            return Err(SolveError::none(
                "the energy condition has no root for this noise level",
            ))
        }
        None => {
            let static_var = if odd {
                0.0
            } else {
                static_variance(nl, g2, limit).map_err(|e| match e {
                    StaticFailure::Unbounded => SolveError::none(
                        "no bounded static state: the variance diverges (g too large for this φ)",
                    ),
                    StaticFailure::OutOfRange => spec.out_of_range("static state"),
                })?
            };
            return Ok(constant_solution(spec, static_var, odd));
        }
    };
    let delta0 = brent(|d| energy(d).0, lo, hi, 1e-15 * hi)
        .ok_or_else(|| SolveError::none("root finding for Δ0 failed"))?;
    if over_budget() {
        return Err(spec.out_of_range("the kernel expansions exceed their work budget"));
    }
    let kernel = spec.kernel(delta0, true);
    let delta_inf = if odd {
        0.0
    } else {
        smallest_static_root(&kernel, g2, delta0)
    };
    let regime = if spec.noise > 0.0 {
        Regime::Noisy
    } else {
        Regime::Chaotic
    };
    integrate(spec, kernel, delta0, delta_inf, regime)
}

/// Smallest root c ∈ [0, Δ0] of c = g² C_φ(c) by Newton's method from c = 0 (monotone, since
/// c − g²C_φ(c) is concave); Δ0 if there is none below it.
fn smallest_static_root(k: &GaussianKernel, g2: f64, d0: f64) -> f64 {
    let mut c = 0.0;
    for _ in 0..200 {
        let h = c - g2 * k.c_phi(c);
        let slope = 1.0 - g2 * k.c_slope(c);
        if h >= 0.0 {
            return c.min(d0);
        }
        if slope <= 0.0 {
            return d0;
        }
        let next = c - h / slope;
        if next >= d0 {
            return d0;
        }
        if (next - c).abs() <= 1e-16 * d0.max(1e-300) {
            return next;
        }
        c = next;
    }
    c
}

/// Why [`static_variance`] has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum StaticFailure {
    /// The variance diverges.
    Unbounded,
    /// It exceeds `limit`, the range of the kernels.
    OutOfRange,
}

/// Variance of the static state: smallest root of Δ = g² E[φ²(b + √Δ z)], searched up to `limit`.
pub(super) fn static_variance(
    nl: &Nonlinearity,
    g2: f64,
    limit: f64,
) -> Result<f64, StaticFailure> {
    let mut d = 0.0;
    for _ in 0..10_000 {
        let m = GaussianKernel::moments(nl, d);
        let f = g2 * m.mean_phi2;
        if !f.is_finite() || f > 1e12 {
            return Err(StaticFailure::Unbounded);
        }
        if f > limit {
            return Err(StaticFailure::OutOfRange);
        }
        if (f - d).abs() <= 1e-15 * f.max(1e-300) {
            return Ok(f);
        }
        // Newton on Δ − g²E[φ²]: d/dΔ E[φ²] = E[(φ²)'']/2 = E[φ'² + φφ''], approximated by the
        // secant of a fixed-point step when that is not available.
        let m2 = GaussianKernel::moments(nl, f);
        let f2 = g2 * m2.mean_phi2;
        let denom = f2 - 2.0 * f + d;
        let next = if denom.abs() > 1e-300 {
            d - (f - d) * (f - d) / denom
        } else {
            f2
        };
        d = if next.is_finite() && next >= 0.0 {
            next
        } else {
            f2
        };
        if d > limit {
            return Err(StaticFailure::OutOfRange);
        }
    }
    Ok(d)
}

/// The constant solutions (quiescent or static fixed point).
fn constant_solution(spec: &DmftSpec, d: f64, odd: bool) -> Stationary {
    let kernel = spec.kernel(d, true);
    let g2 = spec.g * spec.g;
    let n = 2;
    Stationary {
        regime: if odd && d == 0.0 {
            Regime::Quiescent
        } else {
            Regime::FixedPoint
        },
        delta0: d,
        delta_inf: d,
        mean_slope: kernel.mean_slope,
        nu: g2 * kernel.mean_slope * kernel.mean_slope,
        tail_rate: (1.0 - g2 * kernel.c_slope(d)).max(0.0).sqrt(),
        tail_a: 0.0,
        tail_b: 0.0,
        switch_lag: 0.0,
        shooting_rate: 0.0,
        dt: spec.dt,
        delta: vec![d; n],
        cphi: vec![kernel.c_phi(d); n],
        cslope: vec![kernel.c_slope(d); n],
        delta_half: vec![d; 2 * n - 1],
        kernel,
        g: spec.g,
    }
}

fn integrate(
    spec: &DmftSpec,
    kernel: GaussianKernel,
    delta0: f64,
    delta_inf: f64,
    regime: Regime,
) -> Result<Stationary, SolveError> {
    let g2 = spec.g * spec.g;
    let span = delta0 - delta_inf;
    let lambda2 = 1.0 - g2 * kernel.c_slope(delta_inf);
    if lambda2.is_nan() || lambda2 <= 0.0 {
        return Err(SolveError::none(
            "the stationary solution is marginal (λ² ≤ 0); no decaying tail",
        ));
    }
    let lambda = lambda2.sqrt();
    let curvature = kernel.c_curvature(delta_inf);

    // Half-step output grid; RK4 with m substeps per half step.
    let half = 0.5 * spec.dt;
    let m = (half / MAX_STEP).ceil().max(1.0) as usize;
    let h = half / m as f64;
    let table = KernelTable::new(&kernel, delta_inf.min(delta0), delta0);
    let accel = |y: f64| y - g2 * table.c_phi(&kernel, y);
    let mut y = delta0;
    let mut v = -0.5 * spec.noise * spec.noise;
    let mut half_grid = vec![y];
    let mut shooting_rate = lambda;
    'outer: while half_grid.len() < 2 * MAX_LAGS {
        for _ in 0..m {
            let (k1y, k1v) = (v, accel(y));
            let (k2y, k2v) = (v + 0.5 * h * k1v, accel(y + 0.5 * h * k1y));
            let (k3y, k3v) = (v + 0.5 * h * k2v, accel(y + 0.5 * h * k2y));
            let (k4y, k4v) = (v + h * k3v, accel(y + h * k3y));
            y += h / 6.0 * (k1y + 2.0 * k2y + 2.0 * k3y + k4y);
            v += h / 6.0 * (k1v + 2.0 * k2v + 2.0 * k3v + k4v);
        }
        half_grid.push(y);
        if y - delta_inf <= SWITCH * span || v >= 0.0 {
            shooting_rate = -v / (y - delta_inf);
            break 'outer;
        }
    }
    if half_grid.len() >= 2 * MAX_LAGS {
        return Err(SolveError::none(
            "the autocorrelation decays too slowly for the lag grid (g too close to critical?)",
        ));
    }
    let switch_index = half_grid.len() - 1;
    let switch_lag = switch_index as f64 * half;
    // Match Δ − Δ∞ = A e^{−λτ} + B e^{−2λτ}, B = −g² C'' A² / (6λ²), at the switch.
    let ds = half_grid[switch_index] - delta_inf;
    let e1 = (-lambda * switch_lag).exp();
    let b_of = |a: f64| -g2 * curvature * a * a / (6.0 * lambda2);
    let mut a = ds / e1;
    for _ in 0..50 {
        a = (ds - b_of(a) * e1 * e1) / e1;
    }
    let tail_b = b_of(a);

    let end_lag = match spec.tau_max {
        Some(t) => t,
        None => switch_lag.max(((a.abs() / (END * span)).ln() / lambda).max(0.0)),
    };
    let n = ((end_lag / spec.dt).round() as usize + 1).max(2);
    if n > MAX_LAGS {
        return Err(SolveError::argument(
            "dt",
            format!("the lag grid of {n} points exceeds {MAX_LAGS}: use a larger dt or a smaller tauMax"),
        ));
    }
    let tail = |t: f64| {
        let e = (-lambda * t).exp();
        delta_inf + a * e + tail_b * e * e
    };
    let total_half = 2 * n - 1;
    while half_grid.len() < total_half {
        let t = half_grid.len() as f64 * half;
        half_grid.push(tail(t));
    }
    half_grid.truncate(total_half);
    let delta: Vec<f64> = half_grid.iter().step_by(2).copied().collect();
    let (cphi, cslope) = delta.iter().map(|&d| kernel.c_phi_slope(d)).unzip();
    Ok(Stationary {
        regime,
        delta0,
        delta_inf,
        mean_slope: kernel.mean_slope,
        nu: g2 * kernel.mean_slope * kernel.mean_slope,
        tail_rate: lambda,
        tail_a: a,
        tail_b,
        switch_lag,
        shooting_rate,
        dt: spec.dt,
        delta,
        cphi,
        cslope,
        delta_half: half_grid,
        kernel,
        g: spec.g,
    })
}

/// C_φ on [lo, hi] by piecewise cubic Hermite interpolation of (C_φ, C_d) on a uniform grid,
/// used only where its error, checked against the series at interval midpoints near full
/// correlation (where the kernel curves most), is below 1e−13 of C_φ(Δ0); otherwise the
/// series is evaluated directly.
struct KernelTable {
    lo: f64,
    step: f64,
    values: Vec<f64>,
    slopes: Vec<f64>,
}

impl KernelTable {
    const NODES: usize = 4096;

    fn new(k: &GaussianKernel, lo: f64, hi: f64) -> KernelTable {
        let step = (hi - lo) / (Self::NODES - 1) as f64;
        let mut t = KernelTable {
            lo,
            step,
            values: Vec::new(),
            slopes: Vec::new(),
        };
        if step <= 0.0 {
            return t;
        }
        t.values = (0..Self::NODES)
            .map(|i| k.c_phi(lo + step * i as f64))
            .collect();
        t.slopes = (0..Self::NODES)
            .map(|i| k.c_slope(lo + step * i as f64))
            .collect();
        let scale = k.c_phi(hi).abs().max(1e-300);
        let worst = (1..=8)
            .map(|j| lo + step * (Self::NODES as f64 - j as f64 - 0.5))
            .chain([lo + 0.5 * step, 0.5 * (lo + hi)])
            .map(|c| (t.interpolate(c) - k.c_phi(c)).abs())
            .fold(0.0, f64::max);
        if worst > 1e-13 * scale {
            t.values.clear();
        }
        t
    }

    fn interpolate(&self, c: f64) -> f64 {
        let x = ((c - self.lo) / self.step).clamp(0.0, (Self::NODES - 1) as f64);
        let i = (x as usize).min(Self::NODES - 2);
        let f = x - i as f64;
        let (y0, y1) = (self.values[i], self.values[i + 1]);
        let (m0, m1) = (self.slopes[i] * self.step, self.slopes[i + 1] * self.step);
        let f2 = f * f;
        let f3 = f2 * f;
        (2.0 * f3 - 3.0 * f2 + 1.0) * y0
            + (f3 - 2.0 * f2 + f) * m0
            + (-2.0 * f3 + 3.0 * f2) * y1
            + (f3 - f2) * m1
    }

    fn c_phi(&self, k: &GaussianKernel, c: f64) -> f64 {
        if self.values.is_empty() {
            k.c_phi(c)
        } else {
            self.interpolate(c)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::phi::{Phi, PhiKind};

    fn spec(kind: PhiKind, g: f64, bias: f64, noise: f64) -> DmftSpec {
        DmftSpec {
            nl: Nonlinearity {
                phi: Phi { kind, gain: 1.0 },
                bias,
            },
            g,
            noise,
            dt: 0.05,
            tau_max: None,
            gains: None,
        }
    }

    /// Published q(g) of iid tanh networks (theory note §2.4, authors' data, 1e−9).
    #[test]
    fn delta0_matches_published_values() {
        let table = [
            (1.25, 0.31559375),
            (1.375, 0.51794124),
            (1.5, 0.74768631),
            (1.75, 1.28575614),
            (2.0, 1.92480478),
            (3.0, 5.44632089),
            (5.0, 16.96400997),
            (10.0, 71.36781657),
            (20.0, 289.33311368),
        ];
        for (g, q) in table {
            let s = solve(&spec(PhiKind::Tanh, g, 0.0, 0.0)).unwrap();
            // The published values come from a lag solver whose grid error grows with g (≈2e−6
            // relative at g = 5); Δ0 here is the exact root of (7).
            assert!(
                (s.delta0 - q).abs() < 1e-5 * q,
                "g {g}: {} vs {q}",
                s.delta0
            );
        }
    }

    /// Δ0 of the note's §2.4 (an independent shooting solver, 6 decimals).
    #[test]
    fn delta0_matches_reference_table() {
        let table = [
            (1.5, 0.747686),
            (2.0, 1.924805),
            (2.5, 3.495343),
            (3.0, 5.446326),
            (4.0, 10.467473),
            (5.0, 16.964046),
        ];
        for (g, q) in table {
            let s = solve(&spec(PhiKind::Tanh, g, 0.0, 0.0)).unwrap();
            assert!((s.delta0 - q).abs() < 5.1e-7, "g {g}: {} vs {q}", s.delta0);
        }
    }

    /// The energy condition selects the separatrix: the lag solver started 1e−7 above or below
    /// Δ0 leaves it (turns back or overshoots) long before the tail, while Δ0 itself reaches it.
    #[test]
    fn shooting_from_a_perturbed_delta0_misses_the_tail() {
        let sp = spec(PhiKind::Tanh, 2.0, 0.0, 0.0);
        let s = solve(&sp).unwrap();
        assert!((s.shooting_rate / s.tail_rate - 1.0).abs() < 1e-3);
        for f in [1.0 - 1e-7, 1.0 + 1e-7] {
            let d0 = s.delta0 * f;
            let k = sp.kernel(d0, true);
            let p = integrate(&sp, k, d0, 0.0, Regime::Chaotic).unwrap();
            assert!(
                (p.shooting_rate / p.tail_rate - 1.0).abs() > 0.05,
                "perturbed by {f}: rate {} vs {}",
                p.shooting_rate,
                p.tail_rate
            );
        }
    }

    /// Δ(τ) and λ at the note's reference lags (independent solver, 6 digits).
    #[test]
    fn autocorrelation_matches_reference_lags() {
        let table = [
            (1.5, 0.736823, 0.705910, 0.541358, 0.16158),
            (2.0, 1.863003, 1.699660, 1.034578, 0.22807),
            (3.0, 5.131784, 4.395855, 2.138939, 0.28589),
            (5.0, 15.534804, 12.618836, 5.295158, 0.32348),
        ];
        for (g, d1, d2, d5, lam) in table {
            let s = solve(&spec(PhiKind::Tanh, g, 0.0, 0.0)).unwrap();
            let at = |t: f64| s.delta[(t / s.dt).round() as usize];
            for (t, want) in [(1.0, d1), (2.0, d2), (5.0, d5)] {
                assert!(
                    (at(t) - want).abs() < 2e-6 * want,
                    "g {g} τ {t}: {} vs {want}",
                    at(t)
                );
            }
            assert!((s.tail_rate - lam).abs() < 1e-5, "g {g} λ {}", s.tail_rate);
            assert!((s.shooting_rate / s.tail_rate - 1.0).abs() < 1e-3, "g {g}");
        }
    }

    /// (1 − ∂²)Δ = g² C_φ away from τ = 0, checked by second differences on the output grid.
    #[test]
    fn lag_function_solves_the_equation_of_motion() {
        for (kind, g, bias, noise) in [
            (PhiKind::Tanh, 2.0, 0.0, 0.0),
            (PhiKind::Erf, 3.0, 0.0, 0.5),
            (PhiKind::Tanh, 2.5, 0.3, 0.0),
        ] {
            let s = solve(&spec(kind, g, bias, noise)).unwrap();
            let h = 0.5 * s.dt;
            let d = &s.delta_half;
            for j in [4usize, 40, 200, 900] {
                let dd = (d[j + 1] - 2.0 * d[j] + d[j - 1]) / (h * h);
                let resid = d[j] - dd - g * g * s.kernel.c_phi(d[j]);
                assert!(
                    resid.abs() < 1e-5 * s.delta0,
                    "{kind:?} g {g} j {j}: {resid}"
                );
            }
        }
    }

    /// Linear φ, g < 1, white noise: Δ(τ) = σ²/(2λ) e^{−λτ}, λ = √(1 − g²).
    #[test]
    fn linear_network_with_noise_is_exact() {
        let (g, sigma) = (0.6, 1.3);
        let s = solve(&spec(PhiKind::Linear, g, 0.0, sigma)).unwrap();
        let lam = (1.0 - g * g).sqrt();
        let d0 = sigma * sigma / (2.0 * lam);
        assert!((s.delta0 - d0).abs() < 1e-12 * d0);
        for j in [0usize, 10, 100, 400] {
            let t = j as f64 * s.dt;
            assert!(
                (s.delta[j] - d0 * (-lam * t).exp()).abs() < 1e-9 * d0,
                "j {j}"
            );
        }
        assert_eq!(s.regime, Regime::Noisy);
    }

    #[test]
    fn quiescent_below_the_critical_gain() {
        let s = solve(&spec(PhiKind::Tanh, 0.9, 0.0, 0.0)).unwrap();
        assert_eq!(s.regime, Regime::Quiescent);
        assert_eq!(s.delta0, 0.0);
    }

    /// Uniform row gains h: J → hJ is iid at gain g·h, so h²Δ̄0 must equal Δ0(g·h); a two-point
    /// gain distribution keeps the series identity h²Δ̄ per neuron and the tail rate
    /// λ² = 1 − g² Σ_m w_m h_m² ⟨φ'⟩_m².
    #[test]
    fn row_gains_rescale_the_single_site_theory() {
        let h = 1.3f64;
        let mut sp = spec(PhiKind::Tanh, 2.0, 0.0, 0.0);
        sp.gains = Some(vec![(1.0, h * h)]);
        let het = solve(&sp).unwrap();
        let iid = solve(&spec(PhiKind::Tanh, 2.0 * h, 0.0, 0.0)).unwrap();
        assert!((h * h * het.delta0 - iid.delta0).abs() < 1e-10 * iid.delta0);
        for j in [10usize, 40, 100] {
            assert!(
                (h * h * het.delta[j] - iid.delta[j]).abs() < 1e-8 * iid.delta0,
                "j {j}"
            );
        }
        sp.gains = Some(vec![(0.5, 0.5), (0.5, 1.5)]);
        let s = solve(&sp).unwrap();
        let slope2: f64 = [(0.5, 0.5), (0.5, 1.5)]
            .iter()
            .map(|&(w, h2): &(f64, f64)| {
                let k = GaussianKernel::new(&sp.nl, h2 * s.delta0);
                w * h2 * k.mean_slope * k.mean_slope
            })
            .sum();
        assert!((s.tail_rate - (1.0 - 4.0 * slope2).sqrt()).abs() < 1e-12);
    }

    /// With bias the static field Δ∞ > 0 satisfies Δ∞ = g² C_φ(Δ∞) and the energy condition holds.
    #[test]
    fn biased_network_has_a_static_component() {
        let s = solve(&spec(PhiKind::Tanh, 2.0, 0.5, 0.0)).unwrap();
        assert_eq!(s.regime, Regime::Chaotic);
        let k = &s.kernel;
        assert!(s.delta_inf > 0.01);
        assert!((s.delta_inf - 4.0 * k.c_phi(s.delta_inf)).abs() < 1e-12);
        let v = |d: f64| -0.5 * d * d + 4.0 * k.c_big(d);
        assert!((v(s.delta0) - v(s.delta_inf)).abs() < 1e-9 * s.delta0 * s.delta0);
        assert!((s.shooting_rate / s.tail_rate - 1.0).abs() < 1e-3);
        // Weak coupling with bias: a static fixed point.
        let s = solve(&spec(PhiKind::Tanh, 0.8, 0.5, 0.0)).unwrap();
        assert_eq!(s.regime, Regime::FixedPoint);
        assert!((s.delta0 - 0.64 * s.kernel.mean_phi2).abs() < 1e-12);
    }

    /// Variances beyond the kernels' range are refused quickly, naming the input that drives them.
    #[test]
    fn huge_gain_or_noise_is_out_of_range() {
        let e = solve(&spec(PhiKind::Tanh, 1e4, 0.0, 0.0)).unwrap_err();
        assert_eq!(e.parameter, Some("g"));
        let e = solve(&spec(PhiKind::Tanh, 2.0, 0.0, 1e9)).unwrap_err();
        assert_eq!(e.parameter, Some("noise"));
        let e = solve(&spec(PhiKind::Relu, 2.0, 0.0, 0.0)).unwrap_err();
        assert_eq!(e.parameter, None);
        assert!(solve(&spec(PhiKind::Tanh, 40.0, 0.0, 0.0)).is_ok());
    }
}
