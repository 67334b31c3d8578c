"""Writes a folder of generated shape images (the quick-start samples, held-out evaluation sets).

usage: samples.py OUT_DIR --seed N --per-label K [--max-side PX] [--png-share P]
Each file is named after its label (e.g. red-circle-003.jpg); labels.tsv lists file<TAB>label.
"""
import argparse
import os

import numpy as np

import shapes


def write_set(out_dir, seed, per_label, max_side=360, png_share=0.4):
    os.makedirs(out_dir, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows = []
    for label in shapes.LABELS:
        color, shape = label.split(" ")
        for k in range(per_label):
            img = shapes.render(rng, color, shape, *shapes.random_size(rng, max_side))
            data, ext = shapes.encode(rng, img, png_share)
            name = f"{color}-{shape}-{k:03d}.{ext}"
            with open(os.path.join(out_dir, name), "wb") as f:
                f.write(data)
            rows.append((name, label))
    with open(os.path.join(out_dir, "labels.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tlabel\n")
        for name, label in rows:
            f.write(f"{name}\t{label}\n")
    return rows


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out_dir")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--per-label", type=int, required=True)
    ap.add_argument("--max-side", type=int, default=360)
    ap.add_argument("--png-share", type=float, default=0.4)
    a = ap.parse_args()
    rows = write_set(a.out_dir, a.seed, a.per_label, a.max_side, a.png_share)
    print(f"wrote {len(rows)} images to {a.out_dir}")
