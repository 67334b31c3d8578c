using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Clip.Models;
using ClipSearch.Core;
using ClipSearch.Tests.Shared;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Indexer.Tests.Imaging;

/// <summary>The decode worker pool, with real worker processes (the clipsearch tool relaunched with the worker verb).</summary>
public sealed class IsolatedImagePreparerTests
{
    private static readonly ClipImagePreprocessor Preprocessor = new(PreprocessorConfig.ClipDefault);

    [Fact]
    public async Task PrepareFile_ValidImage_SameTensorAsInProcess()
    {
        var path = TestPaths.Data("tiny-clip-heldout", "green-triangle-003.jpg");
        using var isolated = Create(new ImageDecodeOptions());
        using var inProcess = new InProcessImagePreparer(new ImageDecodeOptions(), Preprocessor);
        var a = await isolated.PrepareFileAsync(path);
        var b = await inProcess.PrepareFileAsync(path);
        Assert.True(a.Succeeded, a.Failure?.ToString());
        Assert.True(b.Succeeded);
        Assert.Equal(((PixelTensor)b.Image).Values, ((PixelTensor)a.Image).Values);
        Assert.Equal(b.Image.Info, a.Image.Info);
        Assert.Equal(0, isolated.WorkersKilled);
    }

    [Fact]
    public async Task PrepareFile_DecoderThatNeverReturns_IsStoppedAndTheNextFileWorks()
    {
        using var isolated = Create(new ImageDecodeOptions { Timeout = TimeSpan.FromSeconds(1) }, workers: 1);
        var hang = await isolated.PrepareFileAsync(TestPaths.Data("hostile", "pngsuite-s01i3p01.png"));
        Assert.False(hang.Succeeded);
        Assert.Equal(SkipReason.TimedOut, hang.Failure.Reason);
        Assert.Equal(1, isolated.WorkersKilled);

        var next = await isolated.PrepareFileAsync(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"));
        Assert.True(next.Succeeded, next.Failure?.ToString());
    }

    [Fact]
    public async Task PrepareBytes_ImageNeedingMoreThanTheMemoryLimit_SkippedAsTooLarge()
    {
        // 6000 x 6000 RGBA needs 144 MB to decode: under the pixel budget, over a 96 MB worker heap.
        using var big = new Image<Rgb24>(6000, 6000, new Rgb24(10, 200, 30));
        using var png = new MemoryStream();
        await big.SaveAsPngAsync(png);
        using var isolated = Create(new ImageDecodeOptions(), workers: 1, memoryLimit: 96L * 1024 * 1024);
        var result = await isolated.PrepareBytesAsync(png.ToArray());
        Assert.False(result.Succeeded);
        Assert.Equal(SkipReason.TooLarge, result.Failure.Reason);
    }

    [Fact]
    public async Task PrepareFile_WorkerThatDies_FileReportedAndRunContinues()
    {
        // A "worker" that exits at once stands for a decoder crash (a native fault kills the process the same way).
        var options = new IsolatedImagePreparerOptions { Workers = 1, Command = new WorkerCommand("/bin/sh", ["-c", "exit 3"]) };
        using var crashing = new IsolatedImagePreparer(new ImageDecodeOptions(), Preprocessor, options);
        var result = await crashing.PrepareFileAsync(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"));
        Assert.False(result.Succeeded);
        Assert.Equal(SkipReason.Corrupt, result.Failure.Reason);
        Assert.Contains("crashed", result.Failure.Detail, StringComparison.Ordinal);
        Assert.Equal(1, crashing.WorkersKilled);
    }

    [Fact]
    public async Task PrepareFile_ManyFilesOnTwoWorkers_AllPreparedInOrder()
    {
        var files = Directory.GetFiles(TestPaths.Data("tiny-clip-heldout"), "*-00?.*").Order(StringComparer.Ordinal).Take(24).ToList();
        using var isolated = Create(new ImageDecodeOptions(), workers: 2);
        var results = await Task.WhenAll(files.Select(f => isolated.PrepareFileAsync(f)));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.ToString()));
        using var inProcess = new InProcessImagePreparer(new ImageDecodeOptions(), Preprocessor);
        var expected = await inProcess.PrepareFileAsync(files[17]);
        Assert.Equal(((PixelTensor)expected.Image!).Values, ((PixelTensor)results[17].Image!).Values);
    }

    [Fact]
    public async Task WarmUp_StartsEveryWorker_AndTheFirstFilesUseThem()
    {
        using var isolated = Create(new ImageDecodeOptions { JpegDecodeSize = 224 }, workers: 2);
        await isolated.WarmUpAsync();
        Assert.Equal(2, isolated.WorkersStarted);

        var results = await Task.WhenAll(isolated.PrepareFileAsync(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg")),
            isolated.PrepareFileAsync(TestPaths.Data("tiny-clip-heldout", "green-triangle-003.jpg")));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Failure?.ToString()));
        Assert.Equal(2, isolated.WorkersStarted); // no worker started for the real files: the warm ones served them
        Assert.Equal(0, isolated.WorkersKilled);
    }

    [Fact]
    public async Task WarmUp_WorkersThatDieOrAPoolDisposed_NothingThrown()
    {
        var options = new IsolatedImagePreparerOptions { Workers = 2, Command = new WorkerCommand("/bin/sh", ["-c", "exit 3"]) };
        using (var crashing = new IsolatedImagePreparer(new ImageDecodeOptions(), Preprocessor, options))
        {
            await crashing.WarmUpAsync();
            Assert.Equal(2, crashing.WorkersKilled);
            var file = await crashing.PrepareFileAsync(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"));
            Assert.Equal(SkipReason.Corrupt, file.Failure?.Reason); // the real file meets the failure and reports it
        }

        var disposed = Create(new ImageDecodeOptions());
        disposed.Dispose();
        await disposed.WarmUpAsync();
        Assert.Equal(0, disposed.WorkersStarted);
    }

    [Fact]
    public async Task ThumbnailWarmUp_StartsEveryWorker_AndTheFirstThumbnailsUseThem()
    {
        using var renderer = new IsolatedThumbnailRenderer(new ImageDecodeOptions(), new IsolatedImagePreparerOptions
        {
            Workers = 2,
            Command = WorkerCommand.For(typeof(ClipSearchCli).Assembly),
        });
        await renderer.WarmUpAsync();
        Assert.Equal(2, renderer.WorkersStarted);

        var bytes = await File.ReadAllBytesAsync(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"));
        var results = await Task.WhenAll(renderer.RenderAsync(bytes, 64), renderer.RenderAsync(bytes, 128));
        Assert.All(results, r => Assert.True(r.Image is { Bytes.Length: > 0 }, r.Failure?.ToString()));
        Assert.Equal(2, renderer.WorkersStarted);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(224)]
    public async Task WarmUpImage_PreparedAtFullSizeAndScaled(int? jpegDecodeSize)
    {
        using var inProcess = new InProcessImagePreparer(new ImageDecodeOptions { JpegDecodeSize = jpegDecodeSize }, Preprocessor);
        var result = await inProcess.PrepareBytesAsync(WarmUpImage.Jpeg);
        Assert.True(result.Succeeded, result.Failure?.ToString());
        Assert.Equal(("jpeg", 640, 480), (result.Image.Info.Format, result.Image.Info.Width, result.Image.Info.Height));
    }

    private static IsolatedImagePreparer Create(ImageDecodeOptions decode, int workers = 2, long memoryLimit = 2L * 1024 * 1024 * 1024) =>
        new(decode, Preprocessor, new IsolatedImagePreparerOptions
        {
            Workers = workers,
            MemoryLimitBytes = memoryLimit,
            Command = WorkerCommand.For(typeof(ClipSearchCli).Assembly),
        });
}
