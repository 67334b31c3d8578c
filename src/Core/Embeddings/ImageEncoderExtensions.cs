namespace ClipSearch.Core.Embeddings;

/// <summary>Prepare-then-encode for callers that have a few files or one upload rather than a pipeline.</summary>
public static class ImageEncoderExtensions
{
    /// <summary>
    /// Embeds image files: decoded in parallel (as many at once as the encoder's decoders take), encoded
    /// <paramref name="window"/> at a time (so that memory stays flat for any number of files), results in input
    /// order; a file that cannot be decoded gets its reason instead of an embedding. <paramref name="progress"/>
    /// hears the number of files done after each window.
    /// </summary>
    public static async Task<EncodedImage[]> EncodeFilesAsync(this IImageEncoder encoder, IReadOnlyList<string> paths, int window = 64,
        IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var result = new EncodedImage[paths.Count];
        for (var start = 0; start < paths.Count; start += window)
        {
            var part = Enumerable.Range(start, Math.Min(window, paths.Count - start)).ToList();
            var prepared = await Task.WhenAll(part.Select(i => encoder.PrepareFileAsync(paths[i], cancellationToken))).ConfigureAwait(false);
            Encode(encoder, prepared, cancellationToken).CopyTo(result, start);
            progress?.Report(start + part.Count);
        }

        return result;
    }

    /// <summary>Embeds one uploaded image.</summary>
    public static async Task<EncodedImage> EncodeBytesAsync(this IImageEncoder encoder, byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(encoder);
        var prepared = await encoder.PrepareBytesAsync(data, cancellationToken).ConfigureAwait(false);
        return Encode(encoder, [prepared], cancellationToken)[0];
    }

    private static EncodedImage[] Encode(IImageEncoder encoder, PrepareResult[] prepared, CancellationToken cancellationToken)
    {
        var ok = Enumerable.Range(0, prepared.Length).Where(i => prepared[i].Succeeded).ToList();
        var vectors = ok.Count == 0 ? [] : encoder.Encode([.. ok.Select(i => prepared[i].Image!)], cancellationToken);
        var result = new EncodedImage[prepared.Length];
        for (var i = 0; i < prepared.Length; i++)
        {
            result[i] = new EncodedImage(null, null, prepared[i].Failure);
        }

        for (var k = 0; k < ok.Count; k++)
        {
            result[ok[k]] = new EncodedImage(vectors[k], prepared[ok[k]].Image!.Info, null);
        }

        return result;
    }
}
