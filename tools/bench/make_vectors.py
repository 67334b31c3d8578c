"""Writes clustered unit vectors in .fvecs (TEXMEX/ANN-benchmarks: per vector an int32 dimension, then float32s).

usage: /usr/bin/python3 tools/bench/make_vectors.py OUT_DIR [--n 200000] [--queries 1000] [--dim 512] [--clusters 1000] [--seed 1]
Writes OUT_DIR/base.fvecs and OUT_DIR/queries.fvecs: points drawn around random unit centres, L2-normalised,
like CLIP embeddings of a photo library (many near-duplicates and themes).
"""
import argparse
import os

import numpy as np


def write_fvecs(path, x):
    n, d = x.shape
    out = np.empty((n, d + 1), dtype=np.float32)
    out[:, 0] = np.array([d], dtype=np.int32).view(np.float32)[0]
    out[:, 1:] = x
    out.tofile(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--clusters", type=int, default=1000)
    ap.add_argument("--spread", type=float, default=0.06)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = np.random.default_rng(a.seed)
    centres = rng.standard_normal((a.clusters, a.dim)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)

    def draw(n):
        x = centres[rng.integers(a.clusters, size=n)] + rng.standard_normal((n, a.dim)).astype(np.float32) * a.spread
        return x / np.linalg.norm(x, axis=1, keepdims=True)

    os.makedirs(a.out, exist_ok=True)
    write_fvecs(os.path.join(a.out, "base.fvecs"), draw(a.n))
    write_fvecs(os.path.join(a.out, "queries.fvecs"), draw(a.queries))
    print(f"wrote {a.n} base and {a.queries} query vectors of dimension {a.dim} to {a.out}")


if __name__ == "__main__":
    main()
