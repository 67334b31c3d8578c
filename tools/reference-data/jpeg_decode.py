"""Pillow's decoded pixels of a set of JPEGs, the reference for the exact decode (tests/Clip.Tests/Imaging/ExactJpegDecodeTests.cs).

CLIP's reference transform opens images with Pillow, which decodes JPEGs with libjpeg-turbo (the accurate integer
IDCT, "fancy" chroma upsampling). `clipsearch index --exact-decode` and the API's image queries promise the same
pixels. This writes small JPEGs of every kind a camera, an editor or a web page makes (4:2:0, 4:2:2, 4:4:4,
grayscale, progressive, CMYK, optimised Huffman tables, odd sizes, three of
1.9-2.5 megapixels: baseline, progressive, grayscale) into tests/data/reference/jpeg-decode/images, and for those and the repository's other
test JPEGs the SHA-256 of Pillow's RGB bytes (Image.open(f).convert("RGB").tobytes()) into pillow-rgb.tsv.

  /usr/bin/python3 tools/reference-data/jpeg_decode.py            # Debian's python3-pil (libjpeg62-turbo) and python3-numpy
"""
import hashlib
import os

import numpy as np
from PIL import Image

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DATA = os.path.join(ROOT, "tests", "data")
OUT = os.path.join(DATA, "reference", "jpeg-decode")


def picture(width, height, seed):
    """Smooth colour fields, hard edges and grain: what makes chroma upsampling and the IDCT's rounding show."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    r = 128 + 100 * np.sin(x / (width / 3.1) + seed)
    g = 128 + 100 * np.cos(y / (height / 2.3) - seed)
    b = 128 + 90 * np.sin((x + y) / (width / 5.7))
    img = np.stack([r, g, b], axis=-1)
    for _ in range(6):
        cx, cy, rad = rng.uniform(0, width), rng.uniform(0, height), rng.uniform(width / 20, width / 5)
        img[(x - cx) ** 2 + (y - cy) ** 2 < rad ** 2] = rng.uniform(0, 255, 3)
    img += rng.normal(0, 6, img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


# name: (width, height, mode, save options)
MADE = {
    "q90-420.jpg": (320, 240, "RGB", dict(quality=90, subsampling=2)),
    "q80-422.jpg": (322, 241, "RGB", dict(quality=80, subsampling=1)),
    "q95-444.jpg": (257, 199, "RGB", dict(quality=95, subsampling=0)),
    "q40-420-optimized.jpg": (301, 333, "RGB", dict(quality=40, subsampling=2, optimize=True)),
    "q85-420-progressive.jpg": (400, 300, "RGB", dict(quality=85, subsampling=2, progressive=True)),
    "gray-q85.jpg": (333, 251, "L", dict(quality=85)),
    "cmyk-q90.jpg": (200, 150, "CMYK", dict(quality=90)),
    "tiny-7x5.jpg": (7, 5, "RGB", dict(quality=90, subsampling=2)),
    "large-1800x1400.jpg": (1800, 1400, "RGB", dict(quality=75, subsampling=2)),
    "large-progressive-1500x1300.jpg": (1500, 1300, "RGB", dict(quality=70, subsampling=2, progressive=True)),
    "large-gray-1700x1500.jpg": (1700, 1500, "L", dict(quality=70)),
}

# Test JPEGs the repository already has (paths under tests/data).
EXISTING = [
    "reference/clip-preprocess/images/photo_640x480_q50.jpg",
    "reference/clip-preprocess/images/photo_640x480_q90_422.jpg",
    "reference/clip-preprocess/images/photo_800x600_q64.jpg",
    "tiny-clip-heldout/yellow-star-001.jpg",
    "tiny-clip-heldout/green-triangle-001.jpg",
]


def main():
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    rows = []
    for i, (name, (w, h, mode, options)) in enumerate(MADE.items()):
        path = os.path.join(OUT, "images", name)
        picture(w, h, seed=i).convert(mode).save(path, "JPEG", **options)
        rows.append(os.path.relpath(path, DATA))
    rows += EXISTING
    with open(os.path.join(OUT, "pillow-rgb.tsv"), "w") as f:
        f.write("path\twidth\theight\tsha256_of_rgb\n")
        for rel in rows:
            with Image.open(os.path.join(DATA, rel)) as im:
                rgb = im.convert("RGB")
                f.write(f"{rel}\t{rgb.width}\t{rgb.height}\t{hashlib.sha256(rgb.tobytes()).hexdigest()}\n")
    print(f"{len(rows)} JPEGs, reference in {os.path.relpath(OUT, ROOT)}/pillow-rgb.tsv")


if __name__ == "__main__":
    main()
