//! Dense matrix inverse.

/// Inverse of the n×n matrix `a` by Gauss–Jordan elimination with partial pivoting, or None if
/// a pivot vanishes.
pub fn inverse(a: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut m = a.to_vec();
    let mut inv = vec![0.0; n * n];
    for i in 0..n {
        inv[i * n + i] = 1.0;
    }
    for k in 0..n {
        let piv = (k..n).max_by(|&x, &y| m[x * n + k].abs().total_cmp(&m[y * n + k].abs()))?;
        let pv = m[piv * n + k];
        if pv == 0.0 || !pv.is_finite() {
            return None;
        }
        if piv != k {
            for j in 0..n {
                m.swap(k * n + j, piv * n + j);
                inv.swap(k * n + j, piv * n + j);
            }
        }
        let scale = 1.0 / pv;
        for j in 0..n {
            m[k * n + j] *= scale;
            inv[k * n + j] *= scale;
        }
        let mrow = m[k * n..(k + 1) * n].to_vec();
        let irow = inv[k * n..(k + 1) * n].to_vec();
        for i in 0..n {
            if i == k {
                continue;
            }
            let f = m[i * n + k];
            if f == 0.0 {
                continue;
            }
            for (x, y) in m[i * n + k..(i + 1) * n].iter_mut().zip(&mrow[k..]) {
                *x -= f * y;
            }
            for (x, y) in inv[i * n..(i + 1) * n].iter_mut().zip(&irow) {
                *x -= f * y;
            }
        }
    }
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_times_matrix_is_identity_and_singular_is_none() {
        let n = 5;
        let a: Vec<f64> = (0..n * n)
            .map(|k| ((k * 7 % 11) as f64 - 5.0) / 3.0 + if k % (n + 1) == 0 { 4.0 } else { 0.0 })
            .collect();
        let inv = inverse(&a, n).unwrap();
        for i in 0..n {
            for j in 0..n {
                let v: f64 = (0..n).map(|k| a[i * n + k] * inv[k * n + j]).sum();
                assert!((v - (i == j) as u8 as f64).abs() < 1e-13);
            }
        }
        assert!(inverse(&[1.0, 2.0, 2.0, 4.0], 2).is_none());
    }
}
