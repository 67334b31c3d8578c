using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;

namespace ClipSearch.Indexing.Tests;

/// <summary>Reading files and the one-embedding-per-content rule, with an encoder that decodes nothing.</summary>
public sealed class ContentReaderTests : IDisposable
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);
    private readonly TestImageFolder _folder = new();
    private readonly Channel<EncodeJob> _encodeQueue = Channel.CreateUnbounded<EncodeJob>();

    private static RunCounters Counters() => new(0, 0, null, Stopwatch.StartNew());

    // Without stored points the reader never asks the collection for one.
    private static ContentReader Reader(FakeImageEncoder encoder, IVectorCollection? collection = null, params StoredPoint[] stored) =>
        new(collection!, encoder, stored, Counters());

    private ScannedFile Scanned(string relative, byte[] content)
    {
        var path = _folder.PathOf(relative);
        File.WriteAllBytes(path, content);
        var info = new FileInfo(path);
        return new ScannedFile(_folder.Images, relative, info.Length, FileScanner.NormaliseTime(info.LastWriteTimeUtc));
    }

    [Fact]
    public async Task ReadAsync_Image_ReturnsItsContentAndHashAsOnDisk()
    {
        var content = File.ReadAllBytes(_folder.WriteImage("a.png", 1));
        var file = Scanned("a.png", content);

        var read = await Reader(new FakeImageEncoder()).ReadAsync(file with { Size = 1 }, CancellationToken.None);

        Assert.Equal(FileOutcome.Indexed, read.Outcome);
        Assert.Equal(content, read.Content);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), read.Hash);
        Assert.Equal(file, read.File);
    }

    [Fact]
    public async Task ReadAsync_FileOverTheEncodersLimit_IsSkippedAsTooLargeUnread()
    {
        var file = Scanned("big.png", new byte[2048]);

        var read = await Reader(new FakeImageEncoder(maxFileBytes: 1024)).ReadAsync(file, CancellationToken.None);

        Assert.Equal((FileOutcome.Skipped, SkipReason.TooLarge), (read.Outcome, read.Failure?.Reason));
        Assert.Null(read.Content);
    }

    [Fact]
    public async Task ReadAsync_NeitherAnImageExtensionNorImageContent_IsIgnored()
    {
        var read = await Reader(new FakeImageEncoder()).ReadAsync(Scanned("notes.txt", "just text"u8.ToArray()), CancellationToken.None);

        Assert.Equal(FileOutcome.Ignored, read.Outcome);
    }

    [Fact]
    public async Task ReadAsync_ImageContentUnderAnotherExtension_IsRead()
    {
        var content = File.ReadAllBytes(_folder.WriteImage("a.png", 1));

        var read = await Reader(new FakeImageEncoder()).ReadAsync(Scanned("a.data", content), CancellationToken.None);

        Assert.Equal(FileOutcome.Indexed, read.Outcome);
    }

    [Fact]
    public async Task ReadAsync_FileGoneSinceTheScan_Vanished()
    {
        var file = Scanned("gone.png", [1, 2, 3]);
        File.Delete(_folder.PathOf("gone.png"));

        var read = await Reader(new FakeImageEncoder()).ReadAsync(file, CancellationToken.None);

        Assert.Equal(FileOutcome.Vanished, read.Outcome);
    }

    [Fact]
    public async Task EmbeddingAsync_SameContentInManyFiles_IsPreparedAndEncodedOnceForAll()
    {
        var encoder = new FakeImageEncoder();
        var reader = Reader(encoder);
        var content = "image"u8.ToArray();

        var waiting = Enumerable.Range(0, 5).Select(_ => reader.EmbeddingAsync("h1", content, _encodeQueue.Writer, CancellationToken.None)).ToList();
        Assert.True(_encodeQueue.Reader.TryRead(out var job));
        Assert.False(_encodeQueue.Reader.TryRead(out _));
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        var encoded = new EmbeddingSource([1f, 0f], job.Image.Info, null);
        job.Result.SetResult(encoded);

        Assert.All(await Task.WhenAll(waiting).WaitAsync(Hang), s => Assert.Same(encoded, s));
        Assert.Equal(1, encoder.Prepared);
    }

    [Fact]
    public async Task EmbeddingAsync_UndecodableContent_FailsEveryFileWithItWithoutEncoding()
    {
        var encoder = new FakeImageEncoder();
        var reader = Reader(encoder);

        var sources = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => reader.EmbeddingAsync("h1", "bad"u8.ToArray(), _encodeQueue.Writer, CancellationToken.None)))
            .WaitAsync(Hang);

        Assert.All(sources, s => Assert.Equal(SkipReason.Corrupt, s.Failure?.Reason));
        Assert.False(_encodeQueue.Reader.TryRead(out _));
        Assert.Equal(1, encoder.Prepared);
    }

    [Fact]
    public async Task EmbeddingAsync_ContentAlreadyIndexed_ReusesTheStoredEmbeddingWithoutDecoding()
    {
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = _folder.Store });
        var collection = await store.CreateCollectionAsync(CollectionNames.Default, "fake", 2);
        var payload = new ImagePayload { Root = _folder.Images, Path = "old.png", ContentHash = "h1", Width = 7, Height = 5, Format = "png" };
        var indexed = new VectorPoint(PointIds.ForImage(_folder.Images, "old.png"), [0f, 1f], payload);
        await collection.UpsertAsync([indexed]);
        var encoder = new FakeImageEncoder();

        var source = await Reader(encoder, collection, new StoredPoint(indexed.Id, null, payload))
            .EmbeddingAsync("h1", "image"u8.ToArray(), _encodeQueue.Writer, CancellationToken.None).WaitAsync(Hang);

        Assert.Equal(indexed.Id, source.From?.Id);
        Assert.Equal([0f, 1f], source.Vector!);
        Assert.Equal((7, 5, "png"), (source.Info!.Width, source.Info.Height, source.Info.Format));
        Assert.Equal(0, encoder.Prepared);
        Assert.False(_encodeQueue.Reader.TryRead(out _));
    }

    public void Dispose() => _folder.Dispose();
}
