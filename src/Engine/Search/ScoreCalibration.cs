using System.Numerics.Tensors;
using System.Text.Json;
using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Core.Ranking;
using ClipSearch.Engine.Stores;

namespace ClipSearch.Engine.Search;

/// <summary>
/// The calibrated cut-off of a collection and text model: the <see cref="Quantile"/> of the scores between the
/// <see cref="ProbeQueries"/> and a sample of the collection's images, so that a result counts as a match when it scores
/// above what unrelated queries reach in this collection. Computed once from stored embeddings (no image is decoded) and
/// kept in the store's state folder; computed again when the model changes or the collection has halved or doubled.
/// </summary>
public sealed class ScoreCalibration(StoreContext store)
{
    /// <summary>The share of probe scores under the threshold (measured: docs/BENCHMARKS.md).</summary>
    public const double Quantile = 0.9;

    /// <summary>Images sampled (evenly over the collection in id order).</summary>
    public const int SampleSize = 2000;

    private readonly Lock _gate = new();

    // The thresholds read or computed so far, by file: a calibrated search reads its file once per process, not per query.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Kept> _known = new(StringComparer.Ordinal);

    /// <summary>The threshold for <paramref name="collection"/> searched with <paramref name="text"/>'s queries.</summary>
    public async Task<float> ThresholdAsync(IVectorCollection collection, ITextEncoder text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(text);
        var file = Path.Combine(store.StateFolder, "calibration", collection.Name + ".json");
        var count = await collection.CountAsync(null, cancellationToken).ConfigureAwait(false);
        bool Fits(Kept? k) => k is not null && k.ImageModel == collection.ModelId && k.TextModel == text.ModelId && k.Quantile == Quantile
            && count <= 2 * k.Images && 2 * count >= k.Images;
        if (_known.TryGetValue(file, out var known) && Fits(known))
        {
            return known.Threshold;
        }

        if (Read(file) is { } kept && Fits(kept))
        {
            _known[file] = kept;
            return kept.Threshold;
        }

        var sample = await SampleAsync(collection, count, cancellationToken).ConfigureAwait(false);
        var probes = text.Encode(ProbeQueries.All, cancellationToken);
        var computed = new Kept(collection.ModelId, text.ModelId, count, Quantile, Threshold(probes, sample, Quantile));
        Write(file, computed);
        _known[file] = computed;
        return computed.Threshold;
    }

    /// <summary>The <paramref name="quantile"/> of the scores of every (probe, image) pair.</summary>
    public static float Threshold(IReadOnlyList<float[]> probes, IReadOnlyList<float[]> images, double quantile)
    {
        ArgumentNullException.ThrowIfNull(probes);
        ArgumentNullException.ThrowIfNull(images);
        if (probes.Count == 0 || images.Count == 0)
        {
            return 1f; // nothing to compare with: nothing counts as a match by calibration
        }

        var scores = new float[probes.Count * images.Count];
        for (var p = 0; p < probes.Count; p++)
        {
            var probe = (float[])probes[p].Clone();
            VectorMath.NormalizeInPlace(probe);
            for (var i = 0; i < images.Count; i++)
            {
                scores[(p * images.Count) + i] = TensorPrimitives.Dot(probe, images[i]);
            }
        }

        Array.Sort(scores);
        return scores[Math.Clamp((int)Math.Ceiling(quantile * scores.Length) - 1, 0, scores.Length - 1)];
    }

    private static async Task<List<float[]>> SampleAsync(IVectorCollection collection, long count, CancellationToken cancellationToken)
    {
        var every = Math.Max(1, count / SampleSize);
        var sample = new List<float[]>();
        long seen = 0;
        await foreach (var batch in collection.ScrollAsync(null, 1000, withVectors: true, cancellationToken).ConfigureAwait(false))
        {
            foreach (var point in batch)
            {
                if (seen++ % every == 0 && point.Vector is { } v && sample.Count < SampleSize)
                {
                    sample.Add(v);
                }
            }
        }

        return sample;
    }

    private sealed record Kept(string ImageModel, string TextModel, long Images, double Quantile, float Threshold);

    private Kept? Read(string file)
    {
        lock (_gate)
        {
            try
            {
                return File.Exists(file) ? JsonSerializer.Deserialize<Kept>(File.ReadAllText(file)) : null;
            }
            catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
            {
                return null; // unreadable: computed again
            }
        }
    }

    private void Write(string file, Kept kept)
    {
        lock (_gate)
        {
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                var temporary = file + ".tmp";
                File.WriteAllText(temporary, JsonSerializer.Serialize(kept));
                File.Move(temporary, file, overwrite: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A read-only store: the threshold is used, and computed again next time.
            }
        }
    }
}
