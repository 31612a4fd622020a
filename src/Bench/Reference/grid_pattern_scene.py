"""The latent-grid pattern (8-px period, incl. its 4-px harmonic) in flat areas of ×4 outputs of a scene that has no
HR, as sr eval's grid column measures it on validation images (src/Training/Evaluation/GridPattern.cs): luma minus its
8×8 moving average, averaged per phase over the flattest quarter of 16-px blocks (flattest in the FIRST file, so every
output is measured on the same pixels); prints the RMS over the 64 phases and the amplitude at the 4-px frequency.

    /usr/bin/python3 src/Bench/Reference/grid_pattern_scene.py bicubic.tif model.tif …      (needs python3-gdal, numpy)
"""
import sys

import numpy as np
from osgeo import gdal

PERIOD, BLOCK = 8, 16


def luma(path):
    a = gdal.Open(path).ReadAsArray().astype(np.float64)
    return 0.299 * a[0] + 0.587 * a[1] + 0.114 * a[2]


def flat_blocks(reference):
    h, w = reference.shape
    blocks = [(y, x) for y in range(BLOCK, h - 2 * BLOCK, BLOCK) for x in range(BLOCK, w - 2 * BLOCK, BLOCK)]
    stds = np.array([reference[y:y + BLOCK, x:x + BLOCK].std() for y, x in blocks])
    return [b for b, s in zip(blocks, stds) if s <= np.quantile(stds, 0.25)]


def pattern(image, blocks):
    c = np.cumsum(np.cumsum(np.pad(image, ((1, 0), (1, 0))), 0), 1)
    total, n = np.zeros((PERIOD, PERIOD)), 0
    for y, x in blocks:
        ys, xs = np.arange(y, y + BLOCK)[:, None], np.arange(x, x + BLOCK)[None, :]
        mean = (c[ys + 4, xs + 4] - c[ys - 4, xs + 4] - c[ys + 4, xs - 4] + c[ys - 4, xs - 4]) / PERIOD ** 2
        residual = image[y:y + BLOCK, x:x + BLOCK] - mean
        total += residual.reshape(2, PERIOD, 2, PERIOD).sum(axis=(0, 2))
        n += 4
    p = total / n
    return p - p.mean()


if __name__ == "__main__":
    blocks = flat_blocks(luma(sys.argv[1]))
    for path in sys.argv[1:]:
        p = pattern(luma(path), blocks)
        spectrum = np.abs(np.fft.fft2(p)) / PERIOD ** 2
        print(f"{path}: grid RMS {np.sqrt((p ** 2).mean()):.3f} DN, 4-px component {spectrum[0, 2] + spectrum[2, 0]:.3f} DN")
