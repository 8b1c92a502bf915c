//! The catalogue of online learning algorithms by name, with their options, so that a training
//! run (or the C ABI) can build any of them for a given network: see each module for the
//! equations and the algorithm's place on the four axes.

use super::learner::Learner;
use super::rflo::Rflo;
use super::rnn::Rnn;
use super::rtrl::Rtrl;
use super::{kf_rtrl::KfRtrl, uoro::Uoro};

/// An algorithm and its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// Exact real-time recurrent learning ([`super::rtrl`]).
    Rtrl,
    /// Unbiased online recurrent optimisation ([`super::uoro`]).
    Uoro,
    /// Kronecker-factored RTRL ([`super::kf_rtrl`]).
    KfRtrl,
    /// Random-feedback local online learning ([`super::rflo`]); with `random_feedback` the
    /// credit comes from a fixed random matrix instead of W_out.
    Rflo { random_feedback: bool },
}

impl Algorithm {
    /// Every algorithm's code at the C ABI, in order.
    pub const NAMES: [&'static str; 4] = ["rtrl", "uoro", "kf-rtrl", "rflo"];

    /// The algorithm's name (its entry in [`Algorithm::NAMES`]).
    pub fn name(&self) -> &'static str {
        Self::NAMES[self.code() as usize]
    }

    /// Its code at the C ABI.
    pub fn code(&self) -> u32 {
        match self {
            Algorithm::Rtrl => 0,
            Algorithm::Uoro => 1,
            Algorithm::KfRtrl => 2,
            Algorithm::Rflo { .. } => 3,
        }
    }

    /// Number of option values [`Algorithm::from_code`] reads for `code`.
    pub fn option_count(code: u32) -> Option<usize> {
        match code {
            0..=2 => Some(0),
            3 => Some(1),
            _ => None,
        }
    }

    /// The algorithm with C-ABI `code` and its options (layout in each variant's doc:
    /// RFLO `[random_feedback (0/1)]`).
    pub fn from_code(code: u32, options: &[f64]) -> Result<Algorithm, String> {
        let want = Self::option_count(code).ok_or_else(|| format!("unknown code {code}"))?;
        if options.len() != want {
            return Err(format!(
                "{} takes {want} options, got {}",
                Self::NAMES[code as usize],
                options.len()
            ));
        }
        Ok(match code {
            0 => Algorithm::Rtrl,
            1 => Algorithm::Uoro,
            2 => Algorithm::KfRtrl,
            _ => Algorithm::Rflo {
                random_feedback: options[0] != 0.0,
            },
        })
    }

    /// The algorithm's fresh state for `rnn`, its random draws seeded by `seed`.
    pub fn build(&self, rnn: &Rnn, seed: u64) -> Box<dyn Learner> {
        match *self {
            Algorithm::Rtrl => Box::new(Rtrl::new(rnn)),
            Algorithm::Uoro => Box::new(Uoro::new(rnn, seed)),
            Algorithm::KfRtrl => Box::new(KfRtrl::new(rnn, seed)),
            Algorithm::Rflo { random_feedback } => Box::new(if random_feedback {
                Rflo::with_random_feedback(rnn, seed)
            } else {
                Rflo::new(rnn)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for code in 0..Algorithm::NAMES.len() as u32 {
            let k = Algorithm::option_count(code).unwrap();
            let alg = Algorithm::from_code(code, &vec![1.0; k]).unwrap();
            assert_eq!(alg.code(), code);
            assert_eq!(alg.name(), Algorithm::NAMES[code as usize]);
        }
        assert!(Algorithm::from_code(99, &[]).is_err());
        assert!(Algorithm::from_code(3, &[]).is_err());
    }
}
