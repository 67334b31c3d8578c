"""The reference image transform for JPEGs that shared/reference/clip-preprocess lacks (quality below 75, 4:2:2 chroma).

OpenAI CLIP's transform is clip._transform(224): Resize(224, BICUBIC), CenterCrop(224), convert("RGB"), ToTensor(),
Normalize(mean, std), on Pillow images (torchvision). Everything up to the crop yields 8-bit pixels; ToTensor and
Normalize are exact arithmetic on them. So the reference is kept as the 224x224 RGB crop, losslessly as PNG
(tests/data/reference/clip-preprocess/expected/NAME.png): the tests rebuild the float tensor from it.

  /usr/bin/python3 tools/reference-data/clip_preprocess.py check      # this transform against shared/reference's outputs
  /usr/bin/python3 tools/reference-data/clip_preprocess.py generate   # writes the JPEGs and their reference crops

Needs Debian's python3-pil, python3-torchvision and python3-numpy (tools/apt-ensure.sh installs them), and
../shared/reference/clip-preprocess for the source picture and the check.
"""
import os
import sys

import numpy as np
from PIL import Image
from torchvision import transforms

ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "clip-preprocess"))
OUT = os.path.join(ROOT, "tests", "data", "reference", "clip-preprocess")
MEAN = (0.48145466, 0.4578275, 0.40821073)
STD = (0.26862954, 0.26130258, 0.27577711)

# The crop, as clip._transform makes it before ToTensor (which only divides by 255).
CROP = transforms.Compose([
    transforms.Resize(224, interpolation=transforms.InterpolationMode.BICUBIC),
    transforms.CenterCrop(224),
    lambda image: image.convert("RGB"),
])
TENSOR = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])

# (file name, source size, quality, Pillow subsampling: 0 = 4:4:4, 1 = 4:2:2, 2 = 4:2:0)
CASES = [
    ("photo_640x480_q50.jpg", (640, 480), 50, 2),
    ("photo_800x600_q64.jpg", (800, 600), 64, 2),
    ("photo_600x800_q68.jpg", (600, 800), 68, 2),
    ("photo_640x480_q90_422.jpg", (640, 480), 90, 1),
    ("photo_800x600_q64_422.jpg", (800, 600), 64, 1),
]


def check():
    """The transform here against every stored reference output: it must reproduce them."""
    worst = 0.0
    for name in sorted(os.listdir(os.path.join(SHARED, "images"))):
        expected = np.fromfile(os.path.join(SHARED, "expected", name + ".f32"), dtype="<f4")
        actual = TENSOR(CROP(Image.open(os.path.join(SHARED, "images", name)))).numpy().ravel()
        diff = np.abs(actual - expected)
        worst = max(worst, float(diff.mean()))
        print(f"{name}: mean {diff.mean():.6f} max {diff.max():.4f}")
    print(f"worst mean difference {worst:.6f}")


# JPEGs of the bundled model's held-out set (what `clipsearch eval` reads): three of its lowest qualities, one of its highest.
HELDOUT = ["yellow-star-001.jpg", "orange-square-009.jpg", "yellow-triangle-003.jpg", "green-triangle-001.jpg"]


def generate():
    source = Image.open(os.path.join(SHARED, "images", "photo_4000x3000.jpg")).convert("RGB")
    os.makedirs(os.path.join(OUT, "images"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "expected"), exist_ok=True)
    for name, size, quality, subsampling in CASES:
        picture = source.resize(size, Image.LANCZOS) if size[0] > size[1] else source.rotate(90, expand=True).resize(size, Image.LANCZOS)
        path = os.path.join(OUT, "images", name)
        picture.save(path, quality=quality, subsampling=subsampling)
        CROP(Image.open(path)).save(os.path.join(OUT, "expected", name + ".png"))
        print(f"{name}: {os.path.getsize(path)} bytes")
    for name in HELDOUT:
        CROP(Image.open(os.path.join(ROOT, "tests", "data", "tiny-clip-heldout", name))).save(os.path.join(OUT, "expected", name + ".png"))


if __name__ == "__main__":
    {"check": check, "generate": generate}[sys.argv[1] if len(sys.argv) > 1 else "check"]()
