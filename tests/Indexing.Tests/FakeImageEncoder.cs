using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Indexing.Tests;

/// <summary>An image encoder that neither decodes nor encodes: it counts what it is asked to prepare and fails content starting with "bad".</summary>
internal sealed class FakeImageEncoder(long maxFileBytes = 1 << 20) : IImageEncoder
{
    private int _prepared;

    public string ModelId => "fake";

    public int Dimension => 2;

    public ImageLimits Limits { get; } = new(maxFileBytes, 1 << 24, TimeSpan.FromSeconds(10));

    /// <summary>Contents prepared so far.</summary>
    public int Prepared => Volatile.Read(ref _prepared);

    public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _prepared);
        return Task.FromResult(data.AsSpan().StartsWith("bad"u8)
            ? PrepareResult.Fail(SkipReason.Corrupt, "not decodable")
            : new PrepareResult(new Image(new ImageInfo("png", data.Length, 1, false, null)), null));
    }

    // Tests complete the encode jobs themselves.
    public float[][] Encode(IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public void Dispose()
    {
    }

    private sealed class Image(ImageInfo info) : PreparedImage(info);
}
