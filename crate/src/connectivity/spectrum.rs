//! Mode spectra D_a of the random-mode model J = Σ_a D_a ℓ_a r_aᵀ (a = 0..P−1), their
//! normalisation to a coupling gain g, and their effective rank.
//!
//! With Var J_ij = Σ_a D_a²/N², the gain is g² = (1/N) Σ_a D_a²; a shape D̃ is normalised as
//! D = D̃ · g / sqrt((1/N) Σ D̃²). The effective rank is PR^D = (Σ D²)² / Σ D⁴ and
//! γ = N / PR^D (γ → 0 is the iid limit).

/// The shape of a spectrum before normalisation (x_a = (a + ½)/P is the mode's position).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Shape {
    /// D̃_a = 1.
    Flat,
    /// D̃_a = exp(−β a/P); continuum PR^D/P = tanh(β)/β.
    Exponential { beta: f64 },
    /// D̃_a² = x_a^β (β > −1/2); continuum PR^D/P = (1+2β)/(1+β)².
    PowerLaw { beta: f64 },
    /// `rank` modes with D̃ = `ratio`, the remaining P − rank bulk modes with D̃ = 1.
    LowRankPlusBulk { rank: usize, ratio: f64 },
}

/// The unnormalised values D̃_a for `p` modes.
pub fn shape_values(shape: Shape, p: usize) -> Vec<f64> {
    let pf = p as f64;
    (0..p)
        .map(|a| match shape {
            Shape::Flat => 1.0,
            Shape::Exponential { beta } => (-beta * a as f64 / pf).exp(),
            Shape::PowerLaw { beta } => ((a as f64 + 0.5) / pf).powf(beta / 2.0),
            Shape::LowRankPlusBulk { rank, ratio } => {
                if a < rank {
                    ratio
                } else {
                    1.0
                }
            }
        })
        .collect()
}

/// Scales `d` in place so that (1/n) Σ D_a² = g².
pub fn normalise(d: &mut [f64], n: usize, g: f64) {
    let s2 = d.iter().map(|v| v * v).sum::<f64>() / n as f64;
    let scale = if s2 > 0.0 { g / s2.sqrt() } else { 0.0 };
    for v in d.iter_mut() {
        *v *= scale;
    }
}

/// Effective rank PR^D = (Σ D²)² / Σ D⁴ (0 for an all-zero spectrum).
pub fn effective_rank(d: &[f64]) -> f64 {
    let s2: f64 = d.iter().map(|v| v * v).sum();
    let s4: f64 = d.iter().map(|v| v.powi(4)).sum();
    if s4 > 0.0 {
        s2 * s2 / s4
    } else {
        0.0
    }
}

/// Gain g = sqrt((1/n) Σ D_a²) of a spectrum for a network of n units.
pub fn gain(d: &[f64], n: usize) -> f64 {
    (d.iter().map(|v| v * v).sum::<f64>() / n as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_sets_the_gain() {
        let mut d = shape_values(Shape::Exponential { beta: 3.0 }, 700);
        normalise(&mut d, 500, 2.5);
        assert!((gain(&d, 500) - 2.5).abs() < 1e-14);
    }

    #[test]
    fn effective_ranks_approach_their_continuum_forms() {
        let p = 20_000;
        let cases = [
            (Shape::Flat, 1.0),
            (Shape::Exponential { beta: 3.9 }, 3.9f64.tanh() / 3.9),
            (Shape::PowerLaw { beta: 1.5 }, 4.0 / 6.25),
            (Shape::PowerLaw { beta: -0.25 }, 0.5 / 0.5625),
        ];
        for (shape, continuum) in cases {
            let ratio = effective_rank(&shape_values(shape, p)) / p as f64;
            // Midpoint sums converge to the integrals as O(1/P) (O(P^{-1/2}) for β < 0).
            assert!(
                (ratio - continuum).abs() < 2e-3,
                "{shape:?}: {ratio} vs {continuum}"
            );
        }
    }

    #[test]
    fn low_rank_plus_bulk_closed_form() {
        let (p, k, r) = (300usize, 4usize, 6.0f64);
        let d = shape_values(Shape::LowRankPlusBulk { rank: k, ratio: r }, p);
        let (kf, bf) = (k as f64, (p - k) as f64);
        let expected = (kf * r * r + bf).powi(2) / (kf * r.powi(4) + bf);
        assert!((effective_rank(&d) - expected).abs() < 1e-10 * expected);
    }
}
