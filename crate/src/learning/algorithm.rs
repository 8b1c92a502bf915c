//! The catalogue of online learning algorithms by name, with their options, so that a training
//! run (or the C ABI) can build any of them for a given network: see each module for the
//! equations and the algorithm's place on the four axes.

use super::eprop::Eprop;
use super::kernl::{Kernl, KernlOptions};
use super::learner::Learner;
use super::output_only::OutputOnly;
use super::r_kf_rtrl::RKfRtrl;
use super::rflo::Rflo;
use super::rnn::Rnn;
use super::rtrl::Rtrl;
use super::{kf_rtrl::KfRtrl, uoro::Uoro};

/// An algorithm and its options.
#[derive(Clone, Debug, PartialEq)]
pub enum Algorithm {
    /// Only the readout learns ([`super::output_only`]).
    OutputOnly,
    /// Exact real-time recurrent learning ([`super::rtrl`]).
    Rtrl,
    /// Unbiased online recurrent optimisation ([`super::uoro`]).
    Uoro,
    /// Kronecker-factored RTRL ([`super::kf_rtrl`]).
    KfRtrl,
    /// Reverse Kronecker-factored RTRL ([`super::r_kf_rtrl`]).
    RKfRtrl,
    /// Random-feedback local online learning ([`super::rflo`]); with `random_feedback` the
    /// credit comes from a fixed random matrix instead of W_out. Options `[random_feedback]`.
    Rflo { random_feedback: bool },
    /// Kernel RNN learning ([`super::kernl`]). Options `[σ, η_K, γ₀, t_reset (0: never),
    /// aligned (0/1)]`.
    Kernl(KernlOptions),
    /// e-prop / SnAp-1 ([`super::eprop`]). Options `[random_feedback]`.
    Eprop { random_feedback: bool },
}

impl Algorithm {
    /// Every algorithm's name; its index is its code at the C ABI.
    pub const NAMES: [&'static str; 8] = [
        "output-only",
        "rtrl",
        "uoro",
        "kf-rtrl",
        "r-kf-rtrl",
        "rflo",
        "kernl",
        "e-prop",
    ];

    /// The algorithm's name (its entry in [`Algorithm::NAMES`]).
    pub fn name(&self) -> &'static str {
        Self::NAMES[self.code() as usize]
    }

    /// Its code at the C ABI.
    pub fn code(&self) -> u32 {
        match self {
            Algorithm::OutputOnly => 0,
            Algorithm::Rtrl => 1,
            Algorithm::Uoro => 2,
            Algorithm::KfRtrl => 3,
            Algorithm::RKfRtrl => 4,
            Algorithm::Rflo { .. } => 5,
            Algorithm::Kernl(_) => 6,
            Algorithm::Eprop { .. } => 7,
        }
    }

    /// Number of option values [`Algorithm::from_code`] reads for `code`.
    pub fn option_count(code: u32) -> Option<usize> {
        match code {
            0..=4 => Some(0),
            5 | 7 => Some(1),
            6 => Some(5),
            _ => None,
        }
    }

    /// The algorithm with C-ABI `code` and its options (layouts in the variants' docs).
    pub fn from_code(code: u32, o: &[f64]) -> Result<Algorithm, String> {
        let want = Self::option_count(code).ok_or_else(|| format!("unknown code {code}"))?;
        let name = Self::NAMES[code as usize];
        if o.len() != want {
            return Err(format!("{name} takes {want} options, got {}", o.len()));
        }
        if o.iter().any(|v| !v.is_finite()) {
            return Err(format!("{name}: options must be finite"));
        }
        Ok(match code {
            0 => Algorithm::OutputOnly,
            1 => Algorithm::Rtrl,
            2 => Algorithm::Uoro,
            3 => Algorithm::KfRtrl,
            4 => Algorithm::RKfRtrl,
            5 => Algorithm::Rflo {
                random_feedback: o[0] != 0.0,
            },
            6 => {
                if o[0] <= 0.0 || o[1] < 0.0 || o[3] < 0.0 || o[3].fract() != 0.0 {
                    return Err(format!(
                        "{name}: needs σ > 0, η_K ≥ 0 and an integer t_reset ≥ 0"
                    ));
                }
                Algorithm::Kernl(KernlOptions {
                    sigma: o[0],
                    eta: o[1],
                    gamma0: o[2],
                    t_reset: if o[3] == 0.0 {
                        None
                    } else {
                        Some(o[3] as usize)
                    },
                    aligned: o[4] != 0.0,
                })
            }
            _ => Algorithm::Eprop {
                random_feedback: o[0] != 0.0,
            },
        })
    }

    /// The algorithm's fresh state for `rnn`, its random draws seeded by `seed`.
    pub fn build(&self, rnn: &Rnn, seed: u64) -> Box<dyn Learner> {
        match self {
            Algorithm::OutputOnly => Box::new(OutputOnly::new()),
            Algorithm::Rtrl => Box::new(Rtrl::new(rnn)),
            Algorithm::Uoro => Box::new(Uoro::new(rnn, seed)),
            Algorithm::KfRtrl => Box::new(KfRtrl::new(rnn, seed)),
            Algorithm::RKfRtrl => Box::new(RKfRtrl::new(rnn, seed)),
            Algorithm::Rflo { random_feedback } => Box::new(if *random_feedback {
                Rflo::with_random_feedback(rnn, seed)
            } else {
                Rflo::new(rnn)
            }),
            Algorithm::Kernl(opts) => Box::new(Kernl::with_options(rnn, *opts, seed)),
            Algorithm::Eprop { random_feedback } => Box::new(if *random_feedback {
                Eprop::with_random_feedback(rnn, seed)
            } else {
                Eprop::new(rnn)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_bad_options_are_refused() {
        for code in 0..Algorithm::NAMES.len() as u32 {
            let k = Algorithm::option_count(code).unwrap();
            let alg = Algorithm::from_code(code, &vec![1.0; k]).unwrap();
            assert_eq!(alg.code(), code);
            assert_eq!(alg.name(), Algorithm::NAMES[code as usize]);
        }
        assert!(Algorithm::from_code(99, &[]).is_err());
        assert!(Algorithm::from_code(5, &[]).is_err());
        assert!(Algorithm::from_code(6, &[0.0, 1.0, 0.8, 0.0, 0.0]).is_err());
        assert!(Algorithm::from_code(6, &[1e-7, 1.0, 0.8, 0.5, 0.0]).is_err());
        assert!(Algorithm::from_code(5, &[f64::NAN]).is_err());
    }
}
