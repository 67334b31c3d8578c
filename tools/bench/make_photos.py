#!/usr/bin/python3
"""Generates a folder of photo-like JPEGs of mixed sizes for the indexing benchmark.

Each image is a smooth random colour field (a few low-frequency waves), some filled shapes, and sensor-like
noise, saved as baseline JPEG (quality 90, 4:2:0 chroma subsampling, as cameras and phones write them).
Sizes: 10% 12 MP (4000x3000), 30% 5 MP (2592x1944), 40% 2 MP (1600x1200), 20% 0.5 MP (800x600); one in
four is portrait. Deterministic for a given --seed.

usage: make_photos.py OUT_DIR [--count 2000] [--seed 1] [--jobs 2] [--mixed]
"""
import argparse
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from PIL import Image, ImageDraw

SIZES = [((4000, 3000), 0.10), ((2592, 1944), 0.30), ((1600, 1200), 0.40), ((800, 600), 0.20)]


def size_for(i, count):
    edges = np.cumsum([share for _, share in SIZES]) * count
    for (size, _), edge in zip(SIZES, edges):
        if i < edge:
            return size
    return SIZES[-1][0]


def make(args):
    out, i, count, seed, name = args
    rng = np.random.default_rng(seed * 100003 + i)
    w, h = size_for(i, count)
    if i % 4 == 3:
        w, h = h, w
    # Work at 1/4 resolution, then upscale: smooth fields and shapes cost nothing to make at full size.
    sw, sh = w // 4, h // 4
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    field = np.zeros((sh, sw, 3), np.float32)
    for _ in range(4):
        fx, fy = rng.uniform(0.5, 4, 2) * 2 * np.pi / np.array([sw, sh])
        phase = rng.uniform(0, 2 * np.pi)
        amp = rng.uniform(20, 60, 3)
        field += np.sin(x[..., None] * fx + y[..., None] * fy + phase) * amp
    field += rng.uniform(60, 190, 3)
    small = Image.fromarray(np.clip(field, 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(small)
    for _ in range(rng.integers(3, 9)):
        x0, y0 = rng.integers(0, sw), rng.integers(0, sh)
        x1, y1 = x0 + rng.integers(sw // 10, sw // 3), y0 + rng.integers(sh // 10, sh // 3)
        colour = tuple(int(c) for c in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)([x0, y0, x1, y1], fill=colour)
    big = np.asarray(small.resize((w, h), Image.BICUBIC), dtype=np.float32)
    big += rng.normal(0, 5, (h, w, 1)).astype(np.float32) + rng.normal(0, 3, (h, w, 3)).astype(np.float32)
    image = Image.fromarray(np.clip(big, 0, 255).astype(np.uint8))
    path = os.path.join(out, f"photo-{name:05d}.jpg")
    image.save(path, quality=90, subsampling=2)
    return os.path.getsize(path)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--mixed", action="store_true",
                   help="name the same photos in a random order (seeded), so that sizes are mixed in name order as in a "
                        "real library; by default the names follow the sizes, largest first")
    a = p.parse_args()
    names = np.random.default_rng(a.seed).permutation(a.count) if a.mixed else range(a.count)
    os.makedirs(a.out, exist_ok=True)
    with ProcessPoolExecutor(a.jobs) as pool:
        sizes = list(pool.map(make, [(a.out, i, a.count, a.seed, int(names[i])) for i in range(a.count)], chunksize=8))
    print(f"{len(sizes)} photos, {sum(sizes) / 1e6:.0f} MB in {a.out}")


if __name__ == "__main__":
    main()
