"""Runs the peers on the same .fvecs files as `clipsearch bench index`: FAISS IndexFlatIP (exact) and
IndexHNSWFlat (M=32), and hnswlib (M=16), printing one JSON object per configuration like clipsearch does.

usage: /usr/bin/python3 tools/bench/peers.py BASE.fvecs QUERIES.fvecs [--threads N] [--k 10]
Debian packages: python3-faiss python3-hnswlib python3-numpy (tools/bench/setup.sh installs them).
"""
import argparse
import json
import resource
import time

import numpy as np


def read_fvecs(path):
    raw = np.fromfile(path, dtype=np.int32)
    d = raw[0]
    return raw.reshape(-1, d + 1)[:, 1:].copy().view(np.float32)


def recall(found, truth, k):
    return float(np.mean([len(set(f[:k]) & set(t[:k])) / k for f, t in zip(found, truth)]))


def missed(found, truth, k):
    """Share of queries that found none of their true k (as `clipsearch bench index` reports it)."""
    return float(np.mean([not (set(f[:k]) & set(t[:k])) for f, t in zip(found, truth)]))


def one_at_a_time(search, queries, k, rounds=3):
    """Queries/s issuing one query per call, as an interactive search does: after a warm-up of 200 queries,
    the median of `rounds` passes (as `clipsearch bench index` does for its graph)."""
    for q in queries[-200:]:
        search(q[None, :], k)
    speeds, cpu_speeds = [], []
    for _ in range(rounds):
        results = []
        start, cpu = time.perf_counter(), time.process_time()
        for q in queries:
            results.append(search(q[None, :], k))
        speeds.append(len(queries) / (time.perf_counter() - start))
        cpu_speeds.append(len(queries) / max(1e-6, time.process_time() - cpu))
    one_at_a_time.cpu_qps = float(np.median(cpu_speeds))  # per CPU second: what holds on a shared machine
    return float(np.median(speeds)), np.vstack(results)


def report(name, threads, n, build, qps, rec, miss):
    print(json.dumps({"mode": name, "threads": threads, "vectors": n, "build_seconds": round(build, 2),
                      "queries_per_second": round(qps, 1), "queries_per_cpu_second": round(one_at_a_time.cpu_qps, 1),
                      "recall_at_10": round(rec, 4), "missed": round(miss, 4),
                      "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("base")
    ap.add_argument("queries")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--build-threads", type=int, default=2)
    ap.add_argument("--k", type=int, default=10)
    ap.add_argument("--only", choices=("all", "hnswlib"), default="all",
                    help="hnswlib: only hnswlib (FAISS's flat index still gives the ground truth, untimed)")
    ap.add_argument("--ef-construction", type=int, default=200)
    ap.add_argument("--ef", type=int, nargs="+", default=[16, 24, 32, 48, 64, 128])
    a = ap.parse_args()
    import faiss

    base, queries = read_fvecs(a.base), read_fvecs(a.queries)
    n, d = base.shape
    if a.only == "all":
        faiss.omp_set_num_threads(a.build_threads)
        flat = faiss.IndexFlatIP(d)
        t = time.perf_counter()
        flat.add(base)
        build = time.perf_counter() - t
        _, truth = flat.search(queries, a.k)  # ground truth, batched
        del flat
        faiss_peers(a, base, queries, truth, n, d, build)
    else:
        truth = exact_top_k(base, queries, a.k)  # no second copy of the vectors: the peak is hnswlib's own
    hnswlib_peer(a, base, queries, truth, n, d)


def exact_top_k(base, queries, k, rows=65536):
    """Exact top k by inner product, a block of base rows at a time (keeps a k-best per query)."""
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), k), dtype=np.int64)
    for start in range(0, len(base), rows):
        s = queries @ base[start:start + rows].T
        s_all = np.concatenate([best_s, s], axis=1)
        i_all = np.concatenate([best_i, np.arange(start, start + s.shape[1])[None, :].repeat(len(queries), 0)], axis=1)
        top = np.argpartition(-s_all, k - 1, axis=1)[:, :k]
        best_s = np.take_along_axis(s_all, top, 1)
        best_i = np.take_along_axis(i_all, top, 1)
    return best_i


def faiss_peers(a, base, queries, truth, n, d, build):
    import faiss
    flat = faiss.IndexFlatIP(d)
    flat.add(base)
    faiss.omp_set_num_threads(a.threads)
    qps, found = one_at_a_time(lambda q, k: flat.search(q, k)[1], queries, a.k, rounds=1)
    report("faiss-flat-ip", a.threads, n, build, qps, recall(found, truth, a.k), missed(found, truth, a.k))
    del flat

    faiss.omp_set_num_threads(a.build_threads)
    hnsw = faiss.IndexHNSWFlat(d, 32, faiss.METRIC_INNER_PRODUCT)
    t = time.perf_counter()
    hnsw.add(base)
    build = time.perf_counter() - t
    faiss.omp_set_num_threads(a.threads)
    for ef in (32, 64, 128):
        hnsw.hnsw.efSearch = ef
        qps, found = one_at_a_time(lambda q, k: hnsw.search(q, k)[1], queries, a.k)
        report(f"faiss-hnsw-m32-ef{ef}", a.threads, n, build, qps, recall(found, truth, a.k), missed(found, truth, a.k))


def hnswlib_peer(a, base, queries, truth, n, d):
    import hnswlib
    index = hnswlib.Index(space="ip", dim=d)
    index.init_index(max_elements=n, M=16, ef_construction=a.ef_construction)
    index.set_num_threads(a.build_threads)
    t = time.perf_counter()
    index.add_items(base, np.arange(n))
    build = time.perf_counter() - t
    index.set_num_threads(a.threads)
    for ef in a.ef:
        index.set_ef(ef)
        qps, found = one_at_a_time(lambda q, k: index.knn_query(q, k)[0], queries, a.k)
        report(f"hnswlib-m16-efc{a.ef_construction}-ef{ef}", a.threads, n, build, qps, recall(found, truth, a.k),
               missed(found, truth, a.k))


if __name__ == "__main__":
    main()
