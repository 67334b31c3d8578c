#!/usr/bin/python3
"""NumPy baseline for categorization: the matrix product of N stored vectors with L label embeddings, then the
best two labels per row (what `clipsearch bench categorize` times, minus reading the vectors, which NumPy has
in memory already). Prints one JSON object with the median of --rounds rounds.

usage: categorize_numpy.py [--vectors 200000] [--dim 512] [--labels 37] [--rounds 5]
"""
import argparse
import json
import time

import numpy as np


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--vectors", type=int, default=200_000)
    p.add_argument("--dim", type=int, default=512)
    p.add_argument("--labels", type=int, default=37)
    p.add_argument("--rounds", type=int, default=5)
    a = p.parse_args()
    rng = np.random.default_rng(42)
    x = rng.standard_normal((a.vectors, a.dim), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    labels = rng.standard_normal((a.labels, a.dim), dtype=np.float32)
    labels /= np.linalg.norm(labels, axis=1, keepdims=True)
    product, full = [], []
    for _ in range(a.rounds):
        t0 = time.perf_counter()
        scores = x @ labels.T
        t1 = time.perf_counter()
        top2 = np.argpartition(-scores, 1, axis=1)[:, :2]
        _ = np.take_along_axis(scores, top2, axis=1)
        t2 = time.perf_counter()
        product.append(t1 - t0)
        full.append(t2 - t0)
    product.sort()
    full.sort()
    print(json.dumps({
        "pipeline": "numpy",
        "numpy": np.__version__,
        "vectors": a.vectors, "dimension": a.dim, "labels": a.labels,
        "matmul_seconds_median": round(product[len(product) // 2], 4),
        "matmul_top2_seconds_median": round(full[len(full) // 2], 4),
        "images_per_second": round(a.vectors / full[len(full) // 2]),
    }))


if __name__ == "__main__":
    main()
