using System.Diagnostics;
using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;
using ClipSearch.Tests.Shared;
using Xunit.Abstractions;

namespace ClipSearch.Indexing.Tests;

/// <summary>The indexing pipeline driven directly, for what the command line cannot stage: files changing under it, and scale.</summary>
public sealed class CollectionIndexerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TestImageFolder _folder = new();
    private readonly ClipModel _model = ClipModel.Load(TestPaths.TinyClip, new() { Device = Clip.Inference.ExecutionDevice.Cpu });

    /// <summary>Runs a hook once, when the first image is decoded: by then the scan is over and the work is decided.</summary>
    private sealed class HookedPreparer(IImagePreparer inner, Action hook) : IImagePreparer
    {
        private int _calls;

        public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) => inner.PrepareFileAsync(path, cancellationToken);

        public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default)
        {
            if (Interlocked.Increment(ref _calls) == 1)
            {
                hook();
            }

            return inner.PrepareBytesAsync(data, cancellationToken);
        }

        public void Dispose() => inner.Dispose();
    }

    /// <summary>
    /// The model's image encoder with <see cref="Parallelism"/> set, encoding slowly (so that streams overlap when they
    /// can), counting the calls running at once, and failing the call numbered <paramref name="failOnCall"/>.
    /// </summary>
    private sealed class StreamedEncoder(IImageEncoder inner, int parallelism, int failOnCall = 0, int sleepMs = 40, Action? onEncode = null) : IImageEncoder
    {
        private int _running, _calls;

        public int MaxRunning { get; private set; }

        /// <summary>Calls running now.</summary>
        public int Running => Volatile.Read(ref _running);

        public int Parallelism => parallelism;

        public string ModelId => inner.ModelId;

        public int Dimension => inner.Dimension;

        public ImageLimits Limits => inner.Limits;

        public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) => inner.PrepareFileAsync(path, cancellationToken);

        public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) => inner.PrepareBytesAsync(data, cancellationToken);

        public float[][] Encode(IReadOnlyList<PreparedImage> images, CancellationToken cancellationToken = default)
        {
            var running = Interlocked.Increment(ref _running);
            try
            {
                lock (this)
                {
                    MaxRunning = Math.Max(MaxRunning, running);
                }

                if (Interlocked.Increment(ref _calls) == failOnCall)
                {
                    throw new InvalidOperationException("the encoder broke");
                }

                onEncode?.Invoke();
                Thread.Sleep(sleepMs);
                return inner.Encode(images, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }
        }

        public void Dispose()
        {
        }
    }

    private async Task<IndexSummary> RunAsync(IImagePreparer preparer, IndexOptions? options = null, Func<IImageEncoder, IImageEncoder>? wrap = null,
        CancellationToken cancellationToken = default)
    {
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = _folder.Store });
        using var state = IndexerState.Open(_folder.Store);
        var collection = (await store.ListCollectionsAsync(CancellationToken.None)).Count == 0
            ? await store.CreateCollectionAsync(CollectionNames.Default, _model.ModelId, _model.Dimension, CancellationToken.None)
            : await store.OpenCollectionAsync(CollectionNames.Default, _model.ModelId, _model.Dimension, CancellationToken.None);
        // Not disposed here: the encoder would dispose the preparer, which each test owns.
        IImageEncoder encoder = new ClipImageEncoder(_model, preparer, new ImageDecodeOptions());
        var indexer = new CollectionIndexer(collection, wrap?.Invoke(encoder) ?? encoder, state, options);
        return await indexer.RunAsync([_folder.Images], null, cancellationToken);
    }

    private InProcessImagePreparer Preparer() => new(new ImageDecodeOptions(), _model.Preprocessor);

    [Fact]
    public async Task Run_FilesVanishingOrChangingAfterTheScan_IndexWhatIsOnDiskWhenRead()
    {
        _folder.WriteImage("a-first.png", 1);
        for (var i = 0; i < 4; i++)
        {
            _folder.WriteImage($"m{i}.png", 10 + i);
            _folder.WriteImage($"v{i}.png", 20 + i);
        }

        using var preparer = new HookedPreparer(Preparer(), () =>
        {
            for (var i = 0; i < 4; i++)
            {
                File.Delete(_folder.PathOf($"v{i}.png"));
                _folder.WriteImage($"m{i}.png", 100 + i, 30, 30); // new content, new size
            }
        });
        var summary = await RunAsync(preparer, new IndexOptions { ReadParallelism = 1 });

        Assert.Equal(5, summary.Indexed);
        Assert.Empty(summary.Skipped);
        var points = await _folder.PointsAsync();
        Assert.Equal(["a-first.png", "m0.png", "m1.png", "m2.png", "m3.png"], points.Keys.Order(StringComparer.Ordinal));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal((30, 30), (points[$"m{i}.png"].Payload.Width, points[$"m{i}.png"].Payload.Height)));
        Assert.All(Enumerable.Range(0, 4), i => Assert.Equal(new FileInfo(_folder.PathOf($"m{i}.png")).Length, points[$"m{i}.png"].Payload.SizeBytes));

        // What was recorded is what is on disk: the next run has nothing to do.
        using var plain = Preparer();
        var again = await RunAsync(plain);
        Assert.Equal((0, 5, 0), (again.Indexed + again.Updated, again.Unchanged, again.Encoded));
    }

    [Fact]
    public async Task Run_IndexedFileDeletedBeforeItsChangeIsRead_IsRemoved()
    {
        _folder.WriteImage("a-first.png", 1);
        _folder.WriteImage("b.png", 2);
        using (var first = Preparer())
        {
            await RunAsync(first);
        }

        _folder.WriteImage("a-first.png", 3);
        _folder.WriteImage("b.png", 4); // changed: will be re-read, but is gone by then
        using var preparer = new HookedPreparer(Preparer(), () => File.Delete(_folder.PathOf("b.png")));
        var summary = await RunAsync(preparer, new IndexOptions { ReadParallelism = 1 });
        Assert.Equal((1, 1), (summary.Updated, summary.Deleted));
        Assert.Equal(["a-first.png"], (await _folder.PointsAsync()).Keys);
    }

    /// <summary>
    /// An encoder worth several calls at once gets batches side by side, and each file gets its own embedding (the one the
    /// model gives that image alone), whichever stream encoded it.
    /// </summary>
    [Fact]
    public async Task Run_EncoderWithSeveralStreams_EncodesBatchesSideBySideAndEachFileGetsItsOwnVector()
    {
        for (var i = 0; i < 60; i++)
        {
            _folder.WriteImage($"i{i:00}.png", i);
        }

        StreamedEncoder? streamed = null;
        using var preparer = Preparer();
        var summary = await RunAsync(preparer, new IndexOptions { BatchSize = 4 }, e => streamed = new StreamedEncoder(e, parallelism: 3));

        Assert.Equal((60, 60), (summary.Indexed, summary.Encoded));
        Assert.InRange(streamed!.MaxRunning, 2, 3);
        // The model's busy time counts overlapping batches once: under the summed batch times, at least a third of them.
        var (busy, summed) = (summary.Stages.Encoding, summary.Stages.Encode);
        Assert.True(busy < summed && busy >= summed / 3 && busy.TotalSeconds <= summary.ElapsedSeconds,
            $"encoding {busy.TotalMilliseconds:0} ms, batches summed {summed.TotalMilliseconds:0} ms, run {summary.ElapsedSeconds * 1000:0} ms");
        var points = await _folder.PointsAsync();
        using var reference = new ClipImageEncoder(_model, Preparer(), new ImageDecodeOptions());
        for (var i = 0; i < 60; i++)
        {
            var expected = (await reference.EncodeFilesAsync([_folder.PathOf($"i{i:00}.png")]))[0].Embedding!;
            var cosine = ClipSearch.Core.VectorMath.Cosine(expected, points[$"i{i:00}.png"].Vector!);
            Assert.True(cosine > 0.9999, $"i{i:00}.png: cosine {cosine} to its own embedding");
        }
    }

    /// <summary>
    /// The encode streams run below the decoders' priority (a higher nice value, on their own threads), and the lower
    /// priority stays on those threads: the rest of the process keeps its own.
    /// </summary>
    [SkippableFact]
    public async Task Run_EncodeStreams_RunBelowTheRestOfTheProcess()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "thread nice values are Linux's");
        for (var i = 0; i < 12; i++)
        {
            _folder.WriteImage($"i{i:00}.png", i);
        }

        var before = ThreadNice.Current()!.Value;
        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        using var preparer = Preparer();
        var summary = await RunAsync(preparer, new IndexOptions { BatchSize = 4 },
            e => new StreamedEncoder(e, parallelism: 2, sleepMs: 0, onEncode: () => seen.Add(ThreadNice.Current()!.Value)));

        Assert.Equal(12, summary.Indexed);
        Assert.NotEmpty(seen);
        Assert.All(seen, nice => Assert.Equal(Math.Min(19, before + ThreadNice.EncoderSteps), nice));
        var others = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ThreadNice.Current()!.Value)));
        Assert.All(others, nice => Assert.Equal(before, nice));
    }

    /// <summary>A stream whose encoder fails stops the run with that error (not a cancellation), and nothing waits forever.</summary>
    [Fact]
    public async Task Run_OneStreamFails_TheRunFailsWithTheEncodersError()
    {
        for (var i = 0; i < 40; i++)
        {
            _folder.WriteImage($"i{i:00}.png", i);
        }

        using var preparer = Preparer();
        var run = RunAsync(preparer, new IndexOptions { BatchSize = 4 }, e => new StreamedEncoder(e, parallelism: 2, failOnCall: 3));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal("the encoder broke", error.Message);
    }

    /// <summary>
    /// Cancelled while streams are encoding, the run ends only once every stream has: nothing runs the model after it
    /// returned (its caller may dispose the model next).
    /// </summary>
    [Fact]
    public async Task Run_CancelledWhileStreamsEncode_ReturnsOnlyOnceNoneIsEncoding()
    {
        for (var i = 0; i < 40; i++)
        {
            _folder.WriteImage($"i{i:00}.png", i);
        }

        using var preparer = Preparer();
        using var cancel = new CancellationTokenSource();
        StreamedEncoder? streamed = null;
        var run = RunAsync(preparer, new IndexOptions { BatchSize = 4 }, e => streamed = new StreamedEncoder(e, parallelism: 2, sleepMs: 400, onEncode: cancel.Cancel),
            cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromMinutes(2)));
        Assert.Equal(0, streamed!.Running);
    }

    [Fact]
    public async Task Run_FiftyThousandTinyFiles_AreAllIndexedAndTheRerunIsIncremental()
    {
        // 50,000 files: 100 distinct tiny PNGs, each also present 449 more times (exact duplicates reuse
        // one embedding), plus 5,000 tiny non-image files, spread over 100 folders.
        var distinct = Enumerable.Range(0, 100).Select(i =>
        {
            using var image = TestImageFolder.Picture(i, 8, 8);
            using var buffer = new MemoryStream();
            SixLabors.ImageSharp.ImageExtensions.SaveAsPng(image, buffer);
            return buffer.ToArray();
        }).ToArray();
        var clock = Stopwatch.StartNew();
        for (var f = 0; f < 100; f++)
        {
            var dir = Directory.CreateDirectory(_folder.PathOf($"d{f:000}")).FullName;
            for (var i = 0; i < 450; i++)
            {
                File.WriteAllBytes(Path.Combine(dir, $"img{i:000}.png"), distinct[(f + i) % 100]);
            }

            for (var i = 0; i < 50; i++)
            {
                File.WriteAllText(Path.Combine(dir, $"note{i:00}.txt"), "x");
            }
        }

        output.WriteLine($"wrote 50,000 files in {clock.Elapsed.TotalSeconds:0.0} s");
        clock.Restart();
        using var preparer = Preparer();
        var summary = await RunAsync(preparer);
        output.WriteLine($"first run: {clock.Elapsed.TotalSeconds:0.0} s, {summary}");
        Assert.Equal((45_000, 5_000, 100), (summary.Indexed, summary.Ignored, summary.Encoded));
        Assert.Empty(summary.Skipped);

        clock.Restart();
        var again = await RunAsync(preparer);
        output.WriteLine($"second run: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal((45_000, 0, 0), (again.Unchanged, again.Indexed + again.Updated + again.Deleted, again.Encoded));

        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = _folder.Store });
        var collection = await store.OpenCollectionAsync(CollectionNames.Default, null, null);
        Assert.Equal(45_000, await collection.CountAsync());
        Assert.Equal(450, await collection.CountAsync(new FolderFilter(_folder.Images.Replace('\\', '/') + "/d042")));
    }

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }
}
