//! Row panels and the product of a panel-packed matrix with a batch of vectors.
//!
//! A matrix A (rows × k) is stored as ⌈rows/4⌉ panels of four rows, interleaved so that the four
//! entries of one column are adjacent: A[4p + r, c] sits at `p·4k + 4c + r` (rows past the end are
//! zero). One SIMD128 load then gives a column of a panel, and the product with B vectors
//! x_0..x_{B−1} (Y = A X) runs as `acc[panel][vector] += column · splat(x_b[c])`, lanes = rows.
//!
//! Every output element is summed in the order c = 0, 1, …, k−1 with a rounded product and a
//! rounded sum per term, whatever the register blocking, the number of vectors B or the target.
//! Hence batched and one-at-a-time products, any split of the rows, and the SIMD and scalar paths
//! give the same bits.

use super::real::Real;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
use core::arch::wasm32::*;

/// Rows per panel.
pub const PANEL: usize = 4;

/// Number of panels for `rows` rows.
pub fn panel_count(rows: usize) -> usize {
    (rows + PANEL - 1) / PANEL
}

/// Writes row `r` (length k) of A into its place in the packed panels.
pub fn pack_row<T: Real>(panels: &mut [T], k: usize, r: usize, row: &[T]) {
    let (p, lane) = (r / PANEL, r % PANEL);
    let base = p * PANEL * k + lane;
    for (c, &v) in row.iter().enumerate() {
        panels[base + PANEL * c] = v;
    }
}

/// Row `r` (length k) of A, read back from the packed panels.
pub fn unpack_row<T: Real>(panels: &[T], k: usize, r: usize, out: &mut [T]) {
    let (p, lane) = (r / PANEL, r % PANEL);
    let base = p * PANEL * k + lane;
    for (c, o) in out.iter_mut().enumerate() {
        *o = panels[base + PANEL * c];
    }
}

/// Vectors stored `ld` elements apart: vector b starts at `data[b·ld]`.
pub struct Strided<S> {
    pub data: S,
    pub ld: usize,
}

/// y_b[r] = Σ_{c<k} A[r, c] x_b[c] (or y_b[r] + Σ … with `accumulate`) for the `4·panels` rows
/// of `a` and the vectors b < `count`.
pub fn panel_product<T: Real>(
    a: &[T],
    panels: usize,
    k: usize,
    x: Strided<&[T]>,
    count: usize,
    y: Strided<&mut [T]>,
    accumulate: bool,
) {
    let (x, ldx, y, ldy) = (x.data, x.ld, y.data, y.ld);
    assert!(a.len() >= panels * PANEL * k);
    assert!(count == 0 || x.len() >= (count - 1) * ldx + k);
    assert!(count == 0 || y.len() >= (count - 1) * ldy + panels * PANEL);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd::product(a, panels, k, x, ldx, count, y, ldy, accumulate);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    scalar_product(a, panels, k, x, ldx, count, y, ldy, accumulate);
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[allow(clippy::too_many_arguments)]
fn scalar_product<T: Real>(
    a: &[T],
    panels: usize,
    k: usize,
    x: &[T],
    ldx: usize,
    count: usize,
    y: &mut [T],
    ldy: usize,
    accumulate: bool,
) {
    for b in 0..count {
        let xb = &x[b * ldx..b * ldx + k];
        for p in 0..panels {
            let pa = &a[p * PANEL * k..(p + 1) * PANEL * k];
            for lane in 0..PANEL {
                let out = &mut y[b * ldy + p * PANEL + lane];
                let mut acc = if accumulate { *out } else { T::zero() };
                for (c, &xc) in xb.iter().enumerate() {
                    acc = acc + pa[PANEL * c + lane] * xc;
                }
                *out = acc;
            }
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use super::*;

    /// Columns of A per cache block: P panels × KC columns stay in L1 while every vector passes.
    const KC: usize = 256;

    #[allow(clippy::too_many_arguments)]
    pub(super) fn product<T: Real>(
        a: &[T],
        panels: usize,
        k: usize,
        x: &[T],
        ldx: usize,
        count: usize,
        y: &mut [T],
        ldy: usize,
        accumulate: bool,
    ) {
        // Register blocks: P panels × C vectors of accumulators. 2 × 4 (8 vectors for f32, 16
        // for f64) measured fastest in V8 among 3 × 4, 3 × 3, 2 × 6 and 1 × 8 (3 × 4 leaves no
        // spare register of x86's 16). A single vector (B = 1) is a matrix–vector product: more
        // panels give the adds more independent chains.
        let (pm, cm) = match (T::VECS, count) {
            (1, 1) => (6, 1),
            (_, 1) => (4, 1),
            _ => (2, 4),
        };
        let mut k0 = 0;
        while k0 < k.max(1) {
            let k1 = (k0 + KC).min(k);
            let first = k0 == 0 && !accumulate;
            let mut p = 0;
            while p < panels {
                let pp = pm.min(panels - p);
                let mut b = 0;
                while b < count {
                    let cc = cm.min(count - b);
                    // SAFETY: the asserts of `panel_product` bound every index the block reads
                    // (panels p..p+pp, columns k0..k1, vectors b..b+cc) and writes.
                    unsafe {
                        let pa = a.as_ptr().add(p * PANEL * k);
                        let px = x.as_ptr().add(b * ldx);
                        let py = y.as_mut_ptr().add(b * ldy + p * PANEL);
                        dispatch(pp, cc, pa, k, k0, k1, px, ldx, py, ldy, first);
                    }
                    b += cc;
                }
                p += pp;
            }
            k0 = k1.max(k0 + 1);
        }
    }

    macro_rules! blocks {
        ($pp:expr, $cc:expr, $args:tt; $(($p:literal, $c:literal)),*) => {
            match ($pp, $cc) {
                $(($p, $c) => blocks!(@call $p, $c, $args),)*
                _ => unreachable!(),
            }
        };
        (@call $p:literal, $c:literal, ($($a:expr),*)) => { block::<T, $p, $c>($($a),*) };
    }

    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    unsafe fn dispatch<T: Real>(
        pp: usize,
        cc: usize,
        a: *const T,
        k: usize,
        k0: usize,
        k1: usize,
        x: *const T,
        ldx: usize,
        y: *mut T,
        ldy: usize,
        first: bool,
    ) {
        blocks!(pp, cc, (a, k, k0, k1, x, ldx, y, ldy, first);
            (1, 1), (1, 2), (1, 3), (1, 4), (2, 1), (2, 2), (2, 3), (2, 4),
            (3, 1), (4, 1), (5, 1), (6, 1))
    }

    /// One register block: P panels × C vectors over columns k0..k1.
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    unsafe fn block<T: Real, const P: usize, const C: usize>(
        a: *const T,
        k: usize,
        k0: usize,
        k1: usize,
        x: *const T,
        ldx: usize,
        y: *mut T,
        ldy: usize,
        first: bool,
    ) {
        let zero = f32x4_splat(0.0);
        let mut acc = [[[zero; 2]; C]; P];
        if !first {
            for (p, accp) in acc.iter_mut().enumerate() {
                for (c, accpc) in accp.iter_mut().enumerate() {
                    for (l, v) in accpc.iter_mut().enumerate().take(T::VECS) {
                        *v = v128_load(y.add(c * ldy + p * PANEL + l * T::WIDTH) as *const v128);
                    }
                }
            }
        }
        for col in k0..k1 {
            let mut av = [[zero; 2]; P];
            for (p, avp) in av.iter_mut().enumerate() {
                for (l, v) in avp.iter_mut().enumerate().take(T::VECS) {
                    *v =
                        v128_load(a.add(p * PANEL * k + PANEL * col + l * T::WIDTH) as *const v128);
                }
            }
            for c in 0..C {
                let xs = T::splat_load(x.add(c * ldx + col));
                for p in 0..P {
                    for l in 0..T::VECS {
                        acc[p][c][l] = T::vadd(acc[p][c][l], T::vmul(av[p][l], xs));
                    }
                }
            }
        }
        for (p, accp) in acc.iter().enumerate() {
            for (c, accpc) in accp.iter().enumerate() {
                for (l, v) in accpc.iter().enumerate().take(T::VECS) {
                    v128_store(y.add(c * ldy + p * PANEL + l * T::WIDTH) as *mut v128, *v);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;

    fn naive(a: &[f64], rows: usize, k: usize, x: &[f64], b: usize) -> Vec<f64> {
        let mut y = vec![0.0; b * rows];
        for v in 0..b {
            for r in 0..rows {
                let mut acc = 0.0;
                for c in 0..k {
                    acc += a[r * k + c] * x[v * k + c];
                }
                y[v * rows + r] = acc;
            }
        }
        y
    }

    #[test]
    fn packed_product_equals_the_naive_sum_bit_for_bit() {
        for &(rows, k, b) in &[(1, 1, 1), (5, 7, 3), (13, 300, 9), (16, 513, 4)] {
            let mut r = rng::seeded(rows as u64);
            let mut a = vec![0.0; rows * k];
            let mut x = vec![0.0; b * k];
            rng::fill_normal(&mut r, 1.0, &mut a);
            rng::fill_normal(&mut r, 1.0, &mut x);
            let panels = panel_count(rows);
            let mut packed = vec![0.0; panels * PANEL * k];
            for i in 0..rows {
                pack_row(&mut packed, k, i, &a[i * k..(i + 1) * k]);
            }
            let mut row = vec![0.0; k];
            unpack_row(&packed, k, rows - 1, &mut row);
            assert_eq!(row, &a[(rows - 1) * k..]);
            let ldy = panels * PANEL;
            let mut y = vec![0.0; b * ldy];
            panel_product(
                &packed,
                panels,
                k,
                Strided { data: &x, ld: k },
                b,
                Strided {
                    data: &mut y,
                    ld: ldy,
                },
                false,
            );
            let want = naive(&a, rows, k, &x, b);
            for v in 0..b {
                assert_eq!(&y[v * ldy..v * ldy + rows], &want[v * rows..(v + 1) * rows]);
            }
            // Accumulating a second product doubles every entry up to one rounding.
            panel_product(
                &packed,
                panels,
                k,
                Strided { data: &x, ld: k },
                b,
                Strided {
                    data: &mut y,
                    ld: ldy,
                },
                true,
            );
            for v in 0..b {
                for i in 0..rows {
                    let w = want[v * rows + i];
                    assert!((y[v * ldy + i] - 2.0 * w).abs() <= 1e-12 * (1.0 + w.abs()) * k as f64);
                }
            }
        }
    }
}
