//! Rows r0..r1 of a coupling matrix, generated where they are used and packed into panels.
//!
//! The rows are bit-identical to the same rows of [`iid_gaussian`](crate::connectivity::iid) or
//! [`random_mode`](crate::connectivity::random_mode) (Gaussian modes) for the same seed, rounded
//! to the engine's precision: the generator replays the seed's stream and keeps what the block
//! needs, so a worker never receives the matrix.
//!
//! Cost and memory for a block of m rows: iid draws r1·N normals and keeps m·N; random-mode draws
//! 2NP (+2NP + r1·P with overlaps) normals, keeps m rows of L and 64 rows of R at a time (R itself is
//! never held, so P may exceed N many times over), and forms the block's rows of L diag(D) Rᵀ in
//! O(m N P).

use super::panels::{pack_row, panel_count, PANEL};
use super::real::Real;
use crate::connectivity::random_mode::mix_overlaps;
use crate::kernels::gemm_abt_raw;
use crate::rng::{self, Rng};

/// The matrix to generate.
#[derive(Clone, Copy, Debug)]
pub enum Couplings<'a> {
    /// J_ij ~ N(0, g²/N) iid (J_ii = 0 with `zero_diagonal`).
    Iid { g: f64, zero_diagonal: bool },
    /// J = diag(h) L diag(D) Rᵀ diag(G) with Gaussian modes, per-mode overlaps ρ, row gains h
    /// and output (column) gains G.
    RandomMode {
        d: &'a [f64],
        rho: Option<&'a [f64]>,
        gains: Option<&'a [f64]>,
        output_gains: Option<&'a [f64]>,
    },
    /// An explicit row-major block of rows r0..r1 (m × N).
    Rows(&'a [f64]),
}

/// Rows r0..r1 of J (N×N) for `seed`, rounded to T and packed into ⌈(r1−r0)/4⌉ panels.
/// `r0` must be a multiple of 4 (so that the rows of L diag(D) Rᵀ round as in the full product).
pub fn coupling_panels<T: Real>(c: Couplings, n: usize, r0: usize, r1: usize, seed: u64) -> Vec<T> {
    assert!(r0 % PANEL == 0 && r0 <= r1 && r1 <= n);
    let m = r1 - r0;
    let mut panels = vec![T::zero(); panel_count(m) * PANEL * n];
    let mut row_t = vec![T::zero(); n];
    let mut put = |i: usize, row: &[f64]| {
        for (t, &v) in row_t.iter_mut().zip(row) {
            *t = T::from_f64(v);
        }
        pack_row(&mut panels, n, i - r0, &row_t);
    };
    match c {
        Couplings::Iid { g, zero_diagonal } => {
            let mut r = rng::seeded(seed);
            let std = g / (n as f64).sqrt();
            let mut row = vec![0.0; n];
            for i in 0..r1 {
                rng::fill_normal(&mut r, std, &mut row);
                if i >= r0 {
                    if zero_diagonal {
                        row[i] = 0.0;
                    }
                    put(i, &row);
                }
            }
        }
        Couplings::RandomMode {
            d,
            rho,
            gains,
            output_gains,
        } => {
            let mut rows = random_mode_rows(n, d, rho, r0, r1, &mut rng::seeded(seed));
            for (k, row) in rows.chunks_exact_mut(n.max(1)).enumerate() {
                if let Some(h) = gains {
                    row.iter_mut().for_each(|v| *v *= h[r0 + k]);
                }
                if let Some(g) = output_gains {
                    row.iter_mut().zip(g).for_each(|(v, g)| *v *= g);
                }
                put(r0 + k, row);
            }
        }
        Couplings::Rows(rows) => {
            assert_eq!(rows.len(), m * n);
            for (k, row) in rows.chunks_exact(n.max(1)).enumerate() {
                put(r0 + k, row);
            }
        }
    }
    panels
}

/// Rows of R drawn and multiplied at a time by [`random_mode_rows`]: a multiple of the matrix
/// product's column block (64), so every entry is the same dot product as in one full product.
const R_ROWS: usize = 64;

/// Rows r0..r1 of L diag(D) Rᵀ in f64, in the draw order of `random_mode`: L, R, then z.
///
/// R (N×P) is never held: its rows are drawn [`R_ROWS`] at a time from a copy of the generator
/// positioned at R's first draw (with overlaps, a second copy at z's first draw gives the rows
/// of z that mix into them) and multiplied into their columns of the block at once. Memory
/// m·P + 65·P + m·N f64; with overlaps R's N·P draws are made twice (to reach z).
fn random_mode_rows(
    n: usize,
    d: &[f64],
    rho: Option<&[f64]>,
    r0: usize,
    r1: usize,
    r: &mut Rng,
) -> Vec<f64> {
    let p = d.len();
    let m = r1 - r0;
    let std = 1.0 / (n as f64).sqrt();
    let mut left = vec![0.0; m * p];
    let mut row = vec![0.0; p];
    for i in 0..n {
        rng::fill_normal(r, std, &mut row);
        if (r0..r1).contains(&i) {
            left[(i - r0) * p..(i - r0 + 1) * p].copy_from_slice(&row);
        }
    }
    let mut right = r.clone();
    let mut z_stream = None;
    if let Some(rho) = rho {
        for _ in 0..n {
            rng::fill_normal(r, std, &mut row);
        }
        z_stream = Some(r.clone());
        for i in 0..r1 {
            rng::fill_normal(r, std, &mut row);
            if i >= r0 {
                mix_overlaps(&mut left[(i - r0) * p..(i - r0 + 1) * p], &row, rho, false);
            }
        }
    }
    for lrow in left.chunks_exact_mut(p.max(1)) {
        for (v, da) in lrow.iter_mut().zip(d) {
            *v *= da;
        }
    }
    let mut out = vec![0.0; m * n];
    let mut block = vec![0.0; R_ROWS.min(n) * p];
    for j0 in (0..n).step_by(R_ROWS) {
        let j1 = (j0 + R_ROWS).min(n);
        let rows = &mut block[..(j1 - j0) * p];
        rng::fill_normal(&mut right, std, rows);
        if let (Some(rho), Some(z)) = (rho, z_stream.as_mut()) {
            for rrow in rows.chunks_exact_mut(p.max(1)) {
                rng::fill_normal(z, std, &mut row);
                mix_overlaps(rrow, &row, rho, true);
            }
        }
        // SAFETY: left is m × p, rows is (j1 − j0) × p, and columns j0..j1 of the m × n `out`
        // (row stride n) are in bounds; `out` is a separate buffer.
        unsafe {
            gemm_abt_raw(
                1.0,
                left.as_ptr(),
                p,
                rows.as_ptr(),
                p,
                m,
                j1 - j0,
                p,
                0.0,
                out.as_mut_ptr().add(j0),
                n,
            )
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connectivity::iid::iid_gaussian;
    use crate::connectivity::random_mode::{random_mode, Modes, Overlaps};
    use crate::large::panels::unpack_row;

    fn rows_of<T: Real>(panels: &[T], n: usize, m: usize) -> Vec<T> {
        let mut out = vec![T::zero(); m * n];
        for i in 0..m {
            unpack_row(panels, n, i, &mut out[i * n..(i + 1) * n]);
        }
        out
    }

    #[test]
    fn streamed_modes_equal_the_full_generator_for_many_modes_and_rows() {
        // N = 150 spans three blocks of R's rows (64, 64, 22); P = 3N modes.
        let n = 150;
        let d: Vec<f64> = (0..3 * n).map(|a| 1.0 / (1.0 + a as f64 / 50.0)).collect();
        let rho: Vec<f64> = (0..3 * n).map(|a| ((a % 7) as f64 - 3.0) / 4.0).collect();
        for overlaps in [None, Some(&rho[..])] {
            let ov = overlaps.map(Overlaps::PerMode);
            let full = random_mode(n, &d, Modes::Gaussian, ov, None, &mut rng::seeded(21));
            let c = Couplings::RandomMode {
                d: &d,
                rho: overlaps,
                gains: None,
                output_gains: None,
            };
            for (r0, r1) in [(0, n), (8, 100), (148, 150)] {
                let got: Vec<f64> = rows_of(&coupling_panels::<f64>(c, n, r0, r1, 21), n, r1 - r0);
                assert_eq!(got, &full.j[r0 * n..r1 * n]);
            }
        }
    }

    #[test]
    fn blocks_equal_the_full_generators_rounded() {
        let n = 37;
        let full = iid_gaussian(n, 1.7, true, &mut rng::seeded(4));
        let c = Couplings::Iid {
            g: 1.7,
            zero_diagonal: true,
        };
        for (r0, r1) in [(0, n), (8, 21), (36, 37)] {
            let got: Vec<f32> = rows_of(&coupling_panels::<f32>(c, n, r0, r1, 4), n, r1 - r0);
            let want: Vec<f32> = full[r0 * n..r1 * n].iter().map(|&v| v as f32).collect();
            assert_eq!(got, want);
        }
        let d: Vec<f64> = (0..30).map(|a| (-(a as f64) / 10.0).exp()).collect();
        let rho: Vec<f64> = (0..30).map(|a| (a as f64 - 15.0) / 20.0).collect();
        let h: Vec<f64> = (0..n).map(|i| 0.5 + i as f64 / 40.0).collect();
        for overlaps in [None, Some(&rho[..])] {
            let ov = overlaps.map(Overlaps::PerMode);
            let full = random_mode(n, &d, Modes::Gaussian, ov, Some(&h), &mut rng::seeded(9));
            let c = Couplings::RandomMode {
                d: &d,
                rho: overlaps,
                gains: Some(&h),
                output_gains: None,
            };
            for (r0, r1) in [(0, n), (4, 16), (32, 37)] {
                let got: Vec<f64> = rows_of(&coupling_panels::<f64>(c, n, r0, r1, 9), n, r1 - r0);
                assert_eq!(got, &full.j[r0 * n..r1 * n]);
            }
            // Output gains scale the columns of the same matrix: J diag(G).
            let g: Vec<f64> = (0..n).map(|j| 2.0 - j as f64 / 30.0).collect();
            let c = Couplings::RandomMode {
                d: &d,
                rho: overlaps,
                gains: Some(&h),
                output_gains: Some(&g),
            };
            let got: Vec<f64> = rows_of(&coupling_panels::<f64>(c, n, 4, 16, 9), n, 12);
            for (k, row) in got.chunks_exact(n).enumerate() {
                for (j, v) in row.iter().enumerate() {
                    assert_eq!(*v, full.j[(4 + k) * n + j] * g[j]);
                }
            }
        }
    }
}
