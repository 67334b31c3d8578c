namespace ClipSearch.Core.Index;

/// <summary>Argument checks every backend applies at its boundary, so that all refuse the same requests the same way.</summary>
public static class VectorChecks
{
    public const int MaxOffset = 100_000;
    private const double UnitTolerance = 1e-3;

    public static void ValidatePoints(IReadOnlyList<VectorPoint> points, string collection, int dimension)
    {
        ArgumentNullException.ThrowIfNull(points);
        foreach (var p in points)
        {
            if (p?.Vector is null || p.Payload is null)
            {
                throw Invalid($"A point for collection '{collection}' has no vector or payload.");
            }

            ValidateVector(p.Vector, collection, dimension, $"point {p.Id}");
            if (string.IsNullOrEmpty(p.Payload.Path) || string.IsNullOrEmpty(p.Payload.Root))
            {
                throw Invalid($"Point {p.Id} has no path or root in its payload.");
            }

            foreach (var set in p.Payload.Labels.Keys)
            {
                LabelSets.Validate(set);
            }
        }
    }

    public static void ValidateQuery(VectorQuery query, string collection, int dimension)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidateVector(query.Vector, collection, dimension, "the query vector");
        if (query.K is < 1 or > VectorQuery.MaxK)
        {
            throw Invalid($"k must be between 1 and {VectorQuery.MaxK}, got {query.K}.");
        }

        if (query.Offset is < 0 or > MaxOffset)
        {
            throw Invalid($"offset must be between 0 and {MaxOffset}, got {query.Offset}.");
        }

        if (query.MinScore is { } m && (float.IsNaN(m) || m < -1f || m > 1f))
        {
            throw Invalid($"The minimum score is a cosine similarity between -1 and 1, got {m}.");
        }

        query.Filter?.Validate();
    }

    /// <summary>
    /// Refuses a keyword query both backends could not answer alike: no terms, a limit outside 1 to <see cref="VectorQuery.MaxK"/>,
    /// or a term that is not one word as <see cref="KeywordQuery.Words"/> makes them (each backend indexes only such words).
    /// </summary>
    public static void ValidateKeywordQuery(KeywordQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Terms is null || query.Terms.Count == 0)
        {
            throw Invalid("A keyword search needs at least one word to look for (filler words such as 'the' count only in quotes).");
        }

        if (query.Limit is < 1 or > VectorQuery.MaxK)
        {
            throw Invalid($"limit must be between 1 and {VectorQuery.MaxK}, got {query.Limit}.");
        }

        foreach (var term in query.Terms)
        {
            if (term?.Word is not { Length: > 0 } word || !KeywordQuery.Words(word).SequenceEqual([word]))
            {
                throw Invalid($"The keyword term '{term?.Word}' is not one lower-case word without diacritics (build terms with KeywordQuery.Parse).");
            }
        }

        query.Filter?.Validate();
    }

    public static void ValidateVector(float[] vector, string collection, int dimension, string what)
    {
        if (vector is null || vector.Length != dimension)
        {
            throw new VectorStoreException(VectorStoreErrorKind.ModelMismatch,
                $"{what} has {vector?.Length ?? 0} dimensions, but collection '{collection}' holds {dimension}-dimensional embeddings.");
        }

        double sum = 0;
        foreach (var v in vector)
        {
            if (!float.IsFinite(v))
            {
                throw Invalid($"{what} contains a non-finite value.");
            }

            sum += (double)v * v;
        }

        if (Math.Abs(Math.Sqrt(sum) - 1.0) > UnitTolerance)
        {
            throw Invalid($"{what} must be L2-normalised (length 1), but has length {Math.Sqrt(sum):0.####}.");
        }
    }

    private static VectorStoreException Invalid(string message) => new(VectorStoreErrorKind.InvalidRequest, message);
}
