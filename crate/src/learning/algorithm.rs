//! The catalogue of online learning algorithms by name, with their options, so that a training
//! run (or the C ABI) can build any of them for a given network: see each module for the
//! equations and the algorithm's place on the four axes.

use super::dni::Dni;
use super::e_bptt::EBptt;
use super::eprop::Eprop;
use super::f_bptt::FBptt;
use super::kernl::{Kernl, KernlOptions};
use super::learner::Learner;
use super::output_only::OutputOnly;
use super::r_kf_rtrl::RKfRtrl;
use super::rflo::Rflo;
use super::rnn::Rnn;
use super::rtrl::Rtrl;
use super::tbptt::Tbptt;
use super::{kf_rtrl::KfRtrl, uoro::Uoro};
use crate::plasticity::{CompartmentalNetwork, PlasticityOptions};

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
    /// Truncated BPTT in non-overlapping windows of T steps ([`super::e_bptt`]). Options `[T]`.
    EBptt { t: usize },
    /// Future-facing BPTT truncated at T steps, delayed by T − 1 ([`super::f_bptt`]).
    /// Options `[T]`.
    FBptt { t: usize },
    /// Rolling truncated BPTT of each loss through its last k steps ([`super::tbptt`]).
    /// Options `[k]`.
    Tbptt { k: usize },
    /// Synthetic gradients ([`super::dni`]). Options `[η_SG]`.
    Dni { sg_rate: f64 },
    /// DNI(b): learned Jacobian, tanh target and random feedback ([`super::dni`]). Options
    /// `[η_SG, η_J]`.
    DniBio { sg_rate: f64, j_rate: f64 },
    /// The compartmental local rules with their phases ([`crate::plasticity`]), DNI(b) written
    /// as local synaptic updates. Options `[η_SG, η_J]` (apical and prediction rates).
    Compartmental {
        apical_rate: f64,
        prediction_rate: f64,
    },
}

impl Algorithm {
    /// Every algorithm's name; its index is its code at the C ABI.
    pub const NAMES: [&'static str; 14] = [
        "output-only",
        "rtrl",
        "uoro",
        "kf-rtrl",
        "r-kf-rtrl",
        "rflo",
        "kernl",
        "e-prop",
        "e-bptt",
        "f-bptt",
        "tbptt",
        "dni",
        "dni-b",
        "compartmental",
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
            Algorithm::EBptt { .. } => 8,
            Algorithm::FBptt { .. } => 9,
            Algorithm::Tbptt { .. } => 10,
            Algorithm::Dni { .. } => 11,
            Algorithm::DniBio { .. } => 12,
            Algorithm::Compartmental { .. } => 13,
        }
    }

    /// Number of option values [`Algorithm::from_code`] reads for `code`.
    pub fn option_count(code: u32) -> Option<usize> {
        match code {
            0..=4 => Some(0),
            5 | 7..=11 => Some(1),
            6 => Some(5),
            12 | 13 => Some(2),
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
            7 => Algorithm::Eprop {
                random_feedback: o[0] != 0.0,
            },
            8..=10 => {
                if o[0] < 1.0 || o[0].fract() != 0.0 || o[0] > 1e6 {
                    return Err(format!("{name}: the truncation must be an integer ≥ 1"));
                }
                let t = o[0] as usize;
                match code {
                    8 => Algorithm::EBptt { t },
                    9 => Algorithm::FBptt { t },
                    _ => Algorithm::Tbptt { k: t },
                }
            }
            _ => {
                if o.iter().any(|&v| v < 0.0) {
                    return Err(format!("{name}: learning rates must be ≥ 0"));
                }
                match code {
                    11 => Algorithm::Dni { sg_rate: o[0] },
                    12 => Algorithm::DniBio {
                        sg_rate: o[0],
                        j_rate: o[1],
                    },
                    _ => Algorithm::Compartmental {
                        apical_rate: o[0],
                        prediction_rate: o[1],
                    },
                }
            }
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
            Algorithm::EBptt { t } => Box::new(EBptt::new(rnn, *t)),
            Algorithm::FBptt { t } => Box::new(FBptt::new(rnn, *t)),
            Algorithm::Tbptt { k } => Box::new(Tbptt::new(rnn, *k)),
            Algorithm::Dni { sg_rate } => Box::new(Dni::new(rnn, *sg_rate, seed)),
            Algorithm::DniBio { sg_rate, j_rate } => {
                Box::new(Dni::bio(rnn, *sg_rate, *j_rate, seed))
            }
            Algorithm::Compartmental {
                apical_rate,
                prediction_rate,
            } => Box::new(CompartmentalNetwork::new(
                rnn,
                PlasticityOptions::new(*apical_rate, *prediction_rate),
                seed,
            )),
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
        assert!(Algorithm::from_code(9, &[0.0]).is_err());
        assert!(Algorithm::from_code(12, &[0.1, -1.0]).is_err());
    }
}
