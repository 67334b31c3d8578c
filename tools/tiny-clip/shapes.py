"""Procedural images of coloured shapes with captions: the tiny model's whole world."""
import io
import math

import numpy as np
from PIL import Image, ImageDraw

COLORS = {
    "red": (215, 35, 35),
    "orange": (245, 135, 20),
    "yellow": (240, 215, 35),
    "green": (40, 165, 60),
    "cyan": (35, 200, 215),
    "blue": (40, 70, 215),
    "purple": (130, 50, 185),
    "pink": (245, 125, 195),
}
SHAPES = ["circle", "square", "triangle", "star"]
LABELS = [f"{c} {s}" for c in COLORS for s in SHAPES]

# Caption templates seen in training; "{}" is "<colour> <shape>". Zero-shot evaluation uses
# "a photo of a {}." as CLIP's paper does.
TEMPLATES = [
    "a photo of a {}.", "a {}.", "{}", "a picture of a {}.", "an image of a {}.",
    "a drawing of a {}.", "a rendering of a {}.", "a {} on a noisy background.",
    "a {} shape.", "a photo of the {}.", "a small {}.", "a large {}.", "a close-up photo of a {}.",
    "there is a {} in the picture.", "a blurry photo of a {}.", "a bright photo of a {}.",
    "a dark photo of a {}.", "a cropped photo of a {}.", "art of the {}.", "a sketch of a {}.",
]
SPLIT_TEMPLATES = ["a {shape} that is {color}.", "a {color} coloured {shape}.", "the {shape} is {color}."]


def caption(rng, color, shape):
    if rng.random() < 0.15:
        t = SPLIT_TEMPLATES[rng.integers(len(SPLIT_TEMPLATES))]
        return t.format(color=color, shape=shape)
    return TEMPLATES[rng.integers(len(TEMPLATES))].format(f"{color} {shape}")


def _background(rng, w, h):
    base = rng.uniform(25, 230)
    tint = rng.uniform(-18, 18, size=3)
    c0 = np.clip(base + tint, 0, 255)
    c1 = np.clip(base + rng.uniform(-70, 70) + rng.uniform(-18, 18, size=3), 0, 255)
    angle = rng.uniform(0, 2 * math.pi)
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xs * math.cos(angle) + ys * math.sin(angle))
    t = (t - t.min()) / max(float(t.max() - t.min()), 1.0)
    img = c0[None, None, :] * (1 - t[..., None]) + c1[None, None, :] * t[..., None]
    img += rng.normal(0, rng.uniform(0, 22), size=img.shape)
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def _polygon(shape, cx, cy, r, rot):
    if shape == "square":
        pts = [(math.cos(rot + math.pi / 4 + k * math.pi / 2), math.sin(rot + math.pi / 4 + k * math.pi / 2)) for k in range(4)]
    elif shape == "triangle":
        pts = [(math.cos(rot + k * 2 * math.pi / 3), math.sin(rot + k * 2 * math.pi / 3)) for k in range(3)]
    else:  # star
        pts = []
        for k in range(10):
            rr = 1.0 if k % 2 == 0 else 0.42
            a = rot + k * math.pi / 5
            pts.append((rr * math.cos(a), rr * math.sin(a)))
    return [(cx + r * x, cy + r * y) for x, y in pts]


def render(rng, color, shape, w, h):
    """An RGB image w x h with one shape inside the central square (so CLIP's centre crop keeps it)."""
    img = _background(rng, w, h)
    side = min(w, h)
    x0, y0 = (w - side) / 2, (h - side) / 2
    r = rng.uniform(0.16, 0.36) * side
    cx = x0 + rng.uniform(r, side - r)
    cy = y0 + rng.uniform(r, side - r)
    fill = tuple(int(np.clip(v + rng.integers(-18, 19), 0, 255)) for v in COLORS[color])
    draw = ImageDraw.Draw(img)
    if shape == "circle":
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    else:
        draw.polygon(_polygon(shape, cx, cy, r, rng.uniform(0, 2 * math.pi)), fill=fill)
    return img


def random_size(rng, max_side=360):
    side = int(rng.integers(72, max_side))
    aspect = float(np.exp(rng.uniform(math.log(0.6), math.log(1.7))))
    return (max(32, int(side * aspect)), side) if rng.random() < 0.5 else (side, max(32, int(side * aspect)))


def encode(rng, img, png_share=0.4):
    """Round-trips through JPEG (random quality) or PNG, like files on disk; returns (bytes, ext)."""
    buf = io.BytesIO()
    if rng.random() >= png_share:
        img.save(buf, "JPEG", quality=int(rng.integers(55, 96)))
        return buf.getvalue(), "jpg"
    img.save(buf, "PNG")
    return buf.getvalue(), "png"


def clip_transform_uint8(img, size=224):
    """OpenAI CLIP's transform up to ToTensor: shorter side to `size` (bicubic, truncated), centre crop."""
    img = img.convert("RGB")
    w, h = img.size
    if w <= h:
        nw, nh = size, int(size * h / w)
    else:
        nw, nh = int(size * w / h), size
    img = img.resize((nw, nh), Image.BICUBIC)
    left = int(round((nw - size) / 2.0))
    top = int(round((nh - size) / 2.0))
    return np.asarray(img.crop((left, top, left + size, top + size)), dtype=np.uint8)


def squash_transform_uint8(img, size=224):
    """SigLIP's transform up to rescaling: the whole picture stretched to size x size (bicubic), no crop."""
    return np.asarray(img.convert("RGB").resize((size, size), Image.BICUBIC), dtype=np.uint8)
