//! The common interface of the past-facing online algorithms (Marschall et al. 2020, §3): each
//! keeps an estimate of the influence matrix M(t) = ∂a(t)/∂W, advances it by one forward step,
//! and contracts it with a credit vector c to a gradient estimate g = c M̃ ∈ R^{n×m}.

use super::rnn::{Rnn, Step};
use super::rtrl::Rtrl;

/// A past-facing online learning algorithm.
pub trait OnlineAlgorithm {
    /// Back to the initial state of the estimate (start of a new trajectory).
    fn reset(&mut self);
    /// Advances the estimate by the forward step `step` of `rnn`.
    fn update(&mut self, rnn: &Rnn, step: &Step);
    /// The learning signal c(t) from the output error e(t); by default c = eᵀ W_out.
    fn credit(&self, rnn: &Rnn, e: &[f64]) -> Vec<f64> {
        rnn.credit(e)
    }
    /// g = c M̃, written row-major n × m into `out`.
    fn gradient(&self, c: &[f64], out: &mut [f64]);
}

impl OnlineAlgorithm for Rtrl {
    fn reset(&mut self) {
        Rtrl::reset(self)
    }
    fn update(&mut self, rnn: &Rnn, step: &Step) {
        Rtrl::update(self, rnn, step)
    }
    fn gradient(&self, c: &[f64], out: &mut [f64]) {
        Rtrl::gradient(self, c, out)
    }
}

/// A small random problem for the algorithm tests: a tanh network with recurrence 1.3 × an
/// orthogonal matrix, random biases, Gaussian inputs and MSE or normalised soft labels.
#[cfg(test)]
pub(crate) fn test_problem(
    n: usize,
    n_in: usize,
    n_out: usize,
    t_len: usize,
    alpha: f64,
    loss: super::rnn::Loss,
    seed: u64,
) -> (Rnn, Vec<f64>, Vec<f64>, Vec<f64>) {
    use super::rnn::{Activation, Loss};
    use crate::rng;
    let mut net = Rnn::init(n, n_in, n_out, alpha, Activation::Tanh, loss, seed);
    let mut r = rng::seeded(seed + 1000);
    let m = net.m();
    for i in 0..n {
        for l in 0..n {
            net.w[i * m + l] *= 1.3;
        }
        net.w[i * m + m - 1] = 0.3 * rng::normal(&mut r);
    }
    let a0 = Rnn::initial_state(n, seed + 2000);
    let mut inputs = vec![0.0; t_len * n_in];
    rng::fill_normal(&mut r, 1.0, &mut inputs);
    let mut labels = vec![0.0; t_len * n_out];
    for t in 0..t_len {
        let row = &mut labels[t * n_out..(t + 1) * n_out];
        match loss {
            Loss::SoftmaxCrossEntropy => {
                for v in row.iter_mut() {
                    *v = 0.1 + rng::normal(&mut r).abs();
                }
                let s: f64 = row.iter().sum();
                row.iter_mut().for_each(|v| *v /= s);
            }
            Loss::MeanSquaredError => rng::fill_normal(&mut r, 1.0, row),
        }
    }
    (net, a0, inputs, labels)
}

/// Relative Frobenius error ‖a − b‖/‖b‖.
#[cfg(test)]
pub(crate) fn rel_err(a: &[f64], b: &[f64]) -> f64 {
    let num: f64 = a.iter().zip(b).map(|(x, y)| (x - y).powi(2)).sum();
    let den: f64 = b.iter().map(|y| y * y).sum();
    (num / den).sqrt()
}

/// Mean and standard error per entry over `k` seeds of `sample(seed)`.
#[cfg(test)]
pub(crate) fn mean_and_se(
    k: usize,
    len: usize,
    mut sample: impl FnMut(u64) -> Vec<f64>,
) -> (Vec<f64>, Vec<f64>) {
    let mut s1 = vec![0.0; len];
    let mut s2 = vec![0.0; len];
    for seed in 0..k as u64 {
        let v = sample(seed);
        for p in 0..len {
            s1[p] += v[p];
            s2[p] += v[p] * v[p];
        }
    }
    let kf = k as f64;
    let mean: Vec<f64> = s1.iter().map(|s| s / kf).collect();
    let se = s2
        .iter()
        .zip(&mean)
        .map(|(s, mu)| ((s / kf - mu * mu) * kf / (kf - 1.0) / kf).sqrt())
        .collect();
    (mean, se)
}

/// Asserts that a stochastic influence estimate is unbiased for RTRL's M(t): `estimate(rnn,
/// steps, seed)` runs the algorithm seeded by `seed` over `steps` and returns its M̃ in RTRL's Mᵀ
/// layout [(i·m + j)·n + k]. On a 5-step trajectory (n = 3, m = 6, W fixed), averaged over
/// 20 000 seeds, every entry lies within 5 standard errors of M(5), and more than half of M's
/// entries lie beyond 5 SE of zero (the test has power). Returns (M, SE) for further checks.
#[cfg(test)]
pub(crate) fn assert_influence_unbiased(
    label: &str,
    estimate: impl Fn(&Rnn, &[Step], u64) -> Vec<f64>,
) -> (Vec<f64>, Vec<f64>) {
    use super::bptt::forward;
    use super::rnn::Loss;
    let (net, a0, x, y) = test_problem(3, 2, 2, 5, 0.7, Loss::MeanSquaredError, 11);
    let len = net.n() * net.m() * net.n();
    let steps = forward(&net, &a0, &x, &y);
    let mut rtrl = Rtrl::new(&net);
    for s in &steps {
        rtrl.update(&net, s);
    }
    let exact = rtrl.influence_transposed().to_vec();
    let (mean, se) = mean_and_se(20_000, len, |seed| estimate(&net, &steps, seed));
    let worst = (0..len)
        .map(|p| (mean[p] - exact[p]).abs() / se[p])
        .fold(0.0, f64::max);
    let far = (0..len).filter(|&p| exact[p].abs() > 5.0 * se[p]).count();
    println!("{label} M̃(5): max |mean − M|/SE = {worst:.2}, {far}/{len} entries beyond 5 SE of 0");
    assert!(worst < 5.0, "{label}: max deviation {worst:.2} SE");
    assert!(far * 2 > len, "{label}: {far}");
    (exact, se)
}

/// Asserts that the estimator built by `make(rnn, seed)` is unbiased for legacy RTRL (M̄ without
/// α, paper-era code) at α = 0.5: Σ_t g(t) over a 6-step trajectory (n = 4, W fixed), averaged
/// over 20 000 seeds, lies within 5 standard errors of legacy RTRL's in every entry and more than
/// 5 from the exact gradient somewhere (the two targets differ by a factor 2 in the M̄ term).
#[cfg(test)]
pub(crate) fn assert_unbiased_for_legacy_rtrl<L: super::learner::Learner>(
    make: impl Fn(&Rnn, u64) -> L,
) {
    use super::learner::online_gradient;
    use super::rnn::Loss;
    use super::rtrl::rtrl_gradient;
    let k = 20_000;
    let (mut net, a0, x, y) = test_problem(4, 2, 2, 6, 0.5, Loss::SoftmaxCrossEntropy, 14);
    net.legacy.rtrl_without_alpha = true;
    let len = net.n() * net.m();
    let (_, legacy) = rtrl_gradient(&net, &a0, &x, &y);
    let (mean, se) = mean_and_se(k, len, |seed| {
        online_gradient(&mut make(&net, seed), &net, &a0, &x, &y)
            .1
            .w
    });
    let dev = |target: &[f64]| {
        (0..len)
            .map(|p| (mean[p] - target[p]).abs() / se[p])
            .fold(0.0, f64::max)
    };
    assert!(dev(&legacy.w) < 5.0, "{}", dev(&legacy.w));
    net.legacy.rtrl_without_alpha = false;
    let (_, exact) = rtrl_gradient(&net, &a0, &x, &y);
    assert!(dev(&exact.w) > 5.0, "{}", dev(&exact.w));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learning::learner::online_gradient;
    use crate::learning::rnn::Loss;
    use crate::learning::rtrl::rtrl_gradient;

    #[test]
    fn trait_gives_identical_rtrl_numbers() {
        for (alpha, loss, legacy, seed) in [
            (1.0, Loss::SoftmaxCrossEntropy, false, 1),
            (0.4, Loss::MeanSquaredError, false, 2),
            (0.5, Loss::MeanSquaredError, true, 3),
        ] {
            let (mut net, a0, x, y) = test_problem(5, 3, 2, 30, alpha, loss, seed);
            net.legacy.rtrl_without_alpha = legacy;
            let (l_ref, g_ref) = rtrl_gradient(&net, &a0, &x, &y);
            let mut alg = Rtrl::new(&net);
            let (l, g) = online_gradient(&mut alg, &net, &a0, &x, &y);
            assert_eq!(l, l_ref);
            assert_eq!(g, g_ref);
            // reset() really restarts: a second pass gives the same numbers again.
            OnlineAlgorithm::reset(&mut alg);
            let dynamic: &mut dyn OnlineAlgorithm = &mut alg;
            assert_eq!(online_gradient(dynamic, &net, &a0, &x, &y).1, g_ref);
        }
    }
}
