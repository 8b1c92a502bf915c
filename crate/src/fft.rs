//! In-place iterative radix-2 complex FFT on split real/imaginary slices.
//!
//! Forward transform: `X[k] = Σ_j x[j] exp(−2πi jk/n)`.
//! Inverse transform (unnormalised): `x[j] = Σ_k X[k] exp(+2πi jk/n)`, so an inverse after a
//! forward transform returns `n · x`; divide by `n` to recover `x`.

use std::f64::consts::PI;

/// Smallest power of two `≥ n` (`next_pow2(0) == 1`).
pub fn next_pow2(n: usize) -> usize {
    n.next_power_of_two()
}

/// Precomputed twiddle factors for transforms of one power-of-two length.
///
/// The twiddles of the butterfly stage with half-length `h` are stored contiguously at
/// indices `h..2h`: entry `h + j` is `exp(−2πi j/(2h))`, each evaluated directly with
/// `cos`/`sin` (no recurrence), so every factor is accurate to about one ulp.
#[derive(Clone, Debug)]
pub struct FftPlan {
    n: usize,
    tw_re: Vec<f64>,
    tw_im: Vec<f64>,
}

impl FftPlan {
    /// Plan for length `n`, which must be a power of two (`n ≥ 1`).
    pub fn new(n: usize) -> Self {
        assert!(n.is_power_of_two(), "FFT length {n} is not a power of two");
        let mut tw_re = vec![0.0; n];
        let mut tw_im = vec![0.0; n];
        let mut half = 1;
        while half < n {
            let len = (2 * half) as f64;
            for j in 0..half {
                let angle = -2.0 * PI * (j as f64) / len;
                tw_re[half + j] = angle.cos();
                tw_im[half + j] = angle.sin();
            }
            half *= 2;
        }
        FftPlan { n, tw_re, tw_im }
    }

    /// Transform length.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a plan has length at least 1.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// In-place transform of `re + i·im` (forward, or unnormalised inverse if `inverse`).
    pub fn process(&self, re: &mut [f64], im: &mut [f64], inverse: bool) {
        let n = self.n;
        assert_eq!(
            re.len(),
            n,
            "re has length {} but the plan has {n}",
            re.len()
        );
        assert_eq!(
            im.len(),
            n,
            "im has length {} but the plan has {n}",
            im.len()
        );
        if n <= 1 {
            return;
        }
        bit_reverse_permute(re, im);
        let sign = if inverse { -1.0 } else { 1.0 };
        let mut half = 1;
        while half < n {
            let len = 2 * half;
            let w_re = &self.tw_re[half..len];
            let w_im = &self.tw_im[half..len];
            for (block_re, block_im) in re.chunks_exact_mut(len).zip(im.chunks_exact_mut(len)) {
                let (lo_re, hi_re) = block_re.split_at_mut(half);
                let (lo_im, hi_im) = block_im.split_at_mut(half);
                for j in 0..half {
                    let wr = w_re[j];
                    let wi = sign * w_im[j];
                    let vr = hi_re[j] * wr - hi_im[j] * wi;
                    let vi = hi_re[j] * wi + hi_im[j] * wr;
                    let ur = lo_re[j];
                    let ui = lo_im[j];
                    lo_re[j] = ur + vr;
                    lo_im[j] = ui + vi;
                    hi_re[j] = ur - vr;
                    hi_im[j] = ui - vi;
                }
            }
            half = len;
        }
    }
}

/// Reorders both slices into bit-reversed index order.
fn bit_reverse_permute(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    let mut j = 0usize;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
}

/// In-place complex FFT of `re + i·im`; the length must be a power of two.
///
/// Forward: `X[k] = Σ_j x[j] e^{−2πi jk/n}`. With `inverse`, the unnormalised inverse
/// `x[j] = Σ_k X[k] e^{+2πi jk/n}` (no `1/n` factor). For repeated transforms of one length,
/// build an [`FftPlan`] once instead.
pub fn fft(re: &mut [f64], im: &mut [f64], inverse: bool) {
    assert_eq!(re.len(), im.len(), "re and im lengths differ");
    FftPlan::new(re.len()).process(re, im, inverse);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};

    fn naive_dft(re: &[f64], im: &[f64], inverse: bool) -> (Vec<f64>, Vec<f64>) {
        let n = re.len();
        let sign = if inverse { 1.0 } else { -1.0 };
        let mut out_re = vec![0.0; n];
        let mut out_im = vec![0.0; n];
        for k in 0..n {
            let (mut sr, mut si) = (0.0, 0.0);
            for j in 0..n {
                let angle = sign * 2.0 * PI * (((j * k) % n) as f64) / (n as f64);
                let (s, c) = angle.sin_cos();
                sr += re[j] * c - im[j] * s;
                si += re[j] * s + im[j] * c;
            }
            out_re[k] = sr;
            out_im[k] = si;
        }
        (out_re, out_im)
    }

    fn random_signal(n: usize, seed: u64) -> (Vec<f64>, Vec<f64>) {
        let mut rng = seeded(seed);
        let re = (0..n).map(|_| normal(&mut rng)).collect();
        let im = (0..n).map(|_| normal(&mut rng)).collect();
        (re, im)
    }

    fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max)
    }

    #[test]
    fn next_pow2_values() {
        assert_eq!(next_pow2(0), 1);
        assert_eq!(next_pow2(1), 1);
        assert_eq!(next_pow2(2), 2);
        assert_eq!(next_pow2(3), 4);
        assert_eq!(next_pow2(1000), 1024);
        assert_eq!(next_pow2(1024), 1024);
    }

    #[test]
    fn twiddles_accurate() {
        let plan = FftPlan::new(1 << 12);
        let mut half = 1;
        while half < plan.len() {
            for j in 0..half {
                let (wr, wi) = (plan.tw_re[half + j], plan.tw_im[half + j]);
                assert!((wr * wr + wi * wi - 1.0).abs() < 1e-15);
            }
            half *= 2;
        }
        // Last stage, j = n/4: exp(−iπ/2) = −i.
        let h = plan.len() / 2;
        assert!(plan.tw_re[h + h / 2].abs() < 1e-15);
        assert!((plan.tw_im[h + h / 2] + 1.0).abs() < 1e-15);
    }

    #[test]
    fn matches_naive_dft() {
        for log_n in 0..=10 {
            let n = 1 << log_n;
            for &inverse in &[false, true] {
                let (re, im) = random_signal(n, 100 + log_n as u64);
                let (want_re, want_im) = naive_dft(&re, &im, inverse);
                let (mut got_re, mut got_im) = (re.clone(), im.clone());
                fft(&mut got_re, &mut got_im, inverse);
                let scale = 1.0
                    + want_re
                        .iter()
                        .chain(&want_im)
                        .fold(0.0f64, |m, v| m.max(v.abs()));
                let err = max_abs_diff(&got_re, &want_re).max(max_abs_diff(&got_im, &want_im));
                assert!(err <= 1e-12 * scale, "n={n} inverse={inverse} err={err:e}");
            }
        }
    }

    #[test]
    fn inverse_round_trip() {
        for &n in &[1usize, 2, 8, 256, 4096] {
            let (re, im) = random_signal(n, 7 + n as u64);
            let (mut r, mut i) = (re.clone(), im.clone());
            let plan = FftPlan::new(n);
            plan.process(&mut r, &mut i, false);
            plan.process(&mut r, &mut i, true);
            let inv_n = 1.0 / n as f64;
            r.iter_mut().chain(i.iter_mut()).for_each(|v| *v *= inv_n);
            let err = max_abs_diff(&r, &re).max(max_abs_diff(&i, &im));
            assert!(err < 1e-13, "n={n} err={err:e}");
        }
    }

    #[test]
    fn parseval() {
        let n = 2048;
        let (mut re, mut im) = random_signal(n, 11);
        let e_time: f64 = re.iter().chain(&im).map(|v| v * v).sum();
        fft(&mut re, &mut im, false);
        let e_freq: f64 = re.iter().chain(&im).map(|v| v * v).sum::<f64>() / n as f64;
        assert!((e_time - e_freq).abs() <= 1e-12 * e_time);
    }

    #[test]
    fn linearity() {
        let n = 512;
        let (ar, ai) = random_signal(n, 21);
        let (br, bi) = random_signal(n, 22);
        let (alpha, beta) = (1.7, -0.3);
        let mut sr: Vec<f64> = ar
            .iter()
            .zip(&br)
            .map(|(a, b)| alpha * a + beta * b)
            .collect();
        let mut si: Vec<f64> = ai
            .iter()
            .zip(&bi)
            .map(|(a, b)| alpha * a + beta * b)
            .collect();
        let (mut far, mut fai, mut fbr, mut fbi) = (ar, ai, br, bi);
        fft(&mut far, &mut fai, false);
        fft(&mut fbr, &mut fbi, false);
        fft(&mut sr, &mut si, false);
        for k in 0..n {
            let wr = alpha * far[k] + beta * fbr[k];
            let wi = alpha * fai[k] + beta * fbi[k];
            assert!((sr[k] - wr).abs() < 1e-12 && (si[k] - wi).abs() < 1e-12);
        }
    }

    #[test]
    fn lengths_one_and_two() {
        let (mut re, mut im) = (vec![3.5], vec![-1.25]);
        fft(&mut re, &mut im, false);
        assert_eq!((re[0], im[0]), (3.5, -1.25));
        fft(&mut re, &mut im, true);
        assert_eq!((re[0], im[0]), (3.5, -1.25));

        let (mut re, mut im) = (vec![1.0, 2.0], vec![0.5, -3.0]);
        fft(&mut re, &mut im, false);
        assert_eq!(re, vec![3.0, -1.0]);
        assert_eq!(im, vec![-2.5, 3.5]);
        fft(&mut re, &mut im, true);
        assert_eq!(re, vec![2.0, 4.0]);
        assert_eq!(im, vec![1.0, -6.0]);
    }

    #[test]
    #[should_panic]
    fn rejects_non_power_of_two() {
        fft(&mut [0.0; 3], &mut [0.0; 3], false);
    }
}
