using System.Numerics.Tensors;

namespace ClipSearch.Core.Ranking;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, SIGIR 1998): results are taken one at a time, each the one with the
/// best (1 - diversity) x relevance - diversity x (its highest similarity to a result already taken), so that a burst of
/// near-identical photos does not fill the first page. Relevance is divided by the best candidate's, so that it is on the
/// scale of the image-to-image similarity it is weighed against, whatever range the model's text-image cosines take.
/// </summary>
public static class Diversity
{
    /// <summary>
    /// The order in which to show <paramref name="vectors"/> (unit vectors, best first by <paramref name="relevance"/>): the first
    /// <paramref name="take"/> picked by MMR, the rest after them in their own order. The same inputs give the same order, so pages
    /// cut from it are stable.
    /// </summary>
    public static int[] Rerank(IReadOnlyList<float[]> vectors, IReadOnlyList<float> relevance, float diversity, int take)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        ArgumentNullException.ThrowIfNull(relevance);
        ArgumentOutOfRangeException.ThrowIfNotEqual(relevance.Count, vectors.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(diversity, 0f);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(diversity, 1f);
        var n = vectors.Count;
        take = Math.Clamp(take, 0, n);
        var best = n == 0 ? 0f : relevance.Max();
        var closest = new float[n]; // each candidate's highest similarity to the results taken so far
        Array.Fill(closest, float.NegativeInfinity);
        var taken = new bool[n];
        var order = new List<int>(n);
        for (var step = 0; step < take; step++)
        {
            var pick = -1;
            var pickValue = double.NegativeInfinity;
            for (var i = 0; i < n; i++)
            {
                if (taken[i])
                {
                    continue;
                }

                var rel = best > 0 ? Math.Max(0f, relevance[i]) / best : 1f;
                var value = ((1 - diversity) * rel) - (step == 0 ? 0 : diversity * closest[i]);
                if (value > pickValue)
                {
                    (pick, pickValue) = (i, value);
                }
            }

            taken[pick] = true;
            order.Add(pick);
            for (var i = 0; i < n; i++)
            {
                if (!taken[i])
                {
                    closest[i] = Math.Max(closest[i], TensorPrimitives.Dot(vectors[i], vectors[pick]));
                }
            }
        }

        for (var i = 0; i < n; i++)
        {
            if (!taken[i])
            {
                order.Add(i);
            }
        }

        return [.. order];
    }
}
