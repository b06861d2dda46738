//! SSIM (structural similarity) of two images of one size, on luma: the quality figure of the
//! image benchmark.

/// Mean SSIM over 8x8 windows, every 4 pixels, of the luma of two RGB8 images of `width` x
/// `height` (1.0: identical).
pub fn ssim(a: &[u8], b: &[u8], width: usize, height: usize) -> f64 {
    assert_eq!(a.len(), width * height * 3);
    assert_eq!(b.len(), a.len());
    let luma = |rgb: &[u8]| -> Vec<f64> {
        (rgb.chunks_exact(3))
            .map(|p| 0.299 * f64::from(p[0]) + 0.587 * f64::from(p[1]) + 0.114 * f64::from(p[2]))
            .collect()
    };
    let (a, b) = (luma(a), luma(b));
    let (c1, c2) = ((0.01f64 * 255.0).powi(2), (0.03f64 * 255.0).powi(2));
    let (mut total, mut windows) = (0.0, 0usize);
    for y in (0..height.saturating_sub(7)).step_by(4) {
        for x in (0..width.saturating_sub(7)).step_by(4) {
            let (mut sa, mut sb, mut saa, mut sbb, mut sab) = (0.0, 0.0, 0.0, 0.0, 0.0);
            for dy in 0..8 {
                for dx in 0..8 {
                    let i = (y + dy) * width + x + dx;
                    let (p, q) = (a[i], b[i]);
                    sa += p;
                    sb += q;
                    saa += p * p;
                    sbb += q * q;
                    sab += p * q;
                }
            }
            let n = 64.0;
            let (ma, mb) = (sa / n, sb / n);
            let (va, vb) = (saa / n - ma * ma, sbb / n - mb * mb);
            let cov = sab / n - ma * mb;
            total += ((2.0 * ma * mb + c1) * (2.0 * cov + c2))
                / ((ma * ma + mb * mb + c1) * (va + vb + c2));
            windows += 1;
        }
    }
    if windows == 0 {
        1.0
    } else {
        total / windows as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_images_score_one_and_noise_less() {
        let a: Vec<u8> = (0..16 * 16 * 3).map(|i| (i * 7 % 256) as u8).collect();
        assert!((ssim(&a, &a, 16, 16) - 1.0).abs() < 1e-9);
        let b: Vec<u8> = a
            .iter()
            .enumerate()
            .map(|(i, v)| v.wrapping_add((i % 5) as u8 * 9))
            .collect();
        assert!(ssim(&a, &b, 16, 16) < 0.99);
    }
}
