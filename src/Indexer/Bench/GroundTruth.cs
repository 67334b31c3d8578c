using System.Numerics.Tensors;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexer.Bench;

/// <summary>
/// The exact top k of each query, with and without a filter, by brute force over the rows as the store keeps them on
/// disk (memory-mapped, visited in place, a block of rows at a time against every query, one share of the rows per
/// core): independent of the store's search code, and never a copy of the vectors.
/// </summary>
internal static class GroundTruth
{
    public static async Task<(Guid[][] All, Guid[][] Filtered)> ComputeAsync(EmbeddedVectorStore store, string collection, float[][] queries, int k,
        PointFilter filter, int workers, CancellationToken cancellationToken)
    {
        var all = new Best[workers, queries.Length];
        var filtered = new Best[workers, queries.Length];
        for (var w = 0; w < workers; w++)
        {
            for (var q = 0; q < queries.Length; q++)
            {
                all[w, q] = new Best(k);
                filtered[w, q] = new Best(k);
            }
        }

        await store.VisitRowsAsync(collection, workers, (worker, rows, ids, payloads) =>
        {
            var dimension = queries[0].Length;
            Span<bool> matches = stackalloc bool[ids.Length];
            for (var r = 0; r < ids.Length; r++)
            {
                matches[r] = payloads[r] is { } p && filter.Matches(p);
            }

            for (var q = 0; q < queries.Length; q++)
            {
                var best = all[worker, q];
                var bestFiltered = filtered[worker, q];
                for (var r = 0; r < ids.Length; r++)
                {
                    if (payloads[r] is null)
                    {
                        continue;
                    }

                    var score = TensorPrimitives.Dot(queries[q], rows.Slice(r * dimension, dimension));
                    best.Offer(score, ids[r]);
                    if (matches[r])
                    {
                        bestFiltered.Offer(score, ids[r]);
                    }
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        return (Merge(all, queries.Length, workers, k), Merge(filtered, queries.Length, workers, k));
    }

    private static Guid[][] Merge(Best[,] parts, int queries, int workers, int k) =>
        Enumerable.Range(0, queries).Select(q =>
        {
            var merged = new Best(k);
            for (var w = 0; w < workers; w++)
            {
                parts[w, q].MergeInto(merged);
            }

            return merged.Ids();
        }).ToArray();

    /// <summary>The k best (score, id) seen, unordered; the worst replaced first.</summary>
    private sealed class Best(int k)
    {
        private readonly float[] _scores = new float[k];
        private readonly Guid[] _ids = new Guid[k];
        private int _count;
        private int _worst;

        public void Offer(float score, Guid id)
        {
            if (_count < k)
            {
                _scores[_count] = score;
                _ids[_count++] = id;
                if (_count == k)
                {
                    FindWorst();
                }
            }
            else if (score > _scores[_worst])
            {
                _scores[_worst] = score;
                _ids[_worst] = id;
                FindWorst();
            }
        }

        public void MergeInto(Best other)
        {
            for (var i = 0; i < _count; i++)
            {
                other.Offer(_scores[i], _ids[i]);
            }
        }

        public Guid[] Ids() => _ids[.._count];

        private void FindWorst()
        {
            _worst = 0;
            for (var i = 1; i < k; i++)
            {
                if (_scores[i] < _scores[_worst])
                {
                    _worst = i;
                }
            }
        }
    }
}
