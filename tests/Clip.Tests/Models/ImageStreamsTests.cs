using ClipSearch.Clip.Inference;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>Image batches encoded side by side on CPU: how many, on how many threads, and that they give what one at a time gives.</summary>
public sealed class ImageStreamsTests
{
    [Theory]
    [InlineData(0, 0, 2, 1, 2)]   // unset: one batch at a time on every core, as before streams
    [InlineData(1, 0, 4, 1, 4)]
    [InlineData(2, 0, 2, 2, 1)]   // the indexing default on the project's 2 cores: a batch per core, one thread each
    [InlineData(8, 0, 16, 8, 9)]  // the callers and the pool's other threads make one per core
    [InlineData(3, 0, 8, 3, 6)]
    [InlineData(0, 4, 8, 1, 4)]   // intra-op threads set: as given
    [InlineData(2, 3, 8, 2, 3)]
    public void CpuImageParallelism_ResolvesStreamsAndThreads(int streams, int threads, int cores, int expectedStreams, int expectedThreads)
    {
        var options = new ClipEngineOptions { ImageStreams = streams, IntraOpThreads = threads };
        Assert.Equal((expectedStreams, expectedThreads), options.CpuImageParallelism(cores));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(64, ClipEngineOptions.MaxAutoImageStreams)]
    public void IndexingStreams_OnePerCoreUpToTheCap(int cores, int expected) => Assert.Equal(expected, ClipEngineOptions.IndexingStreams(cores));

    [Fact]
    public void EncodePixelTensors_FromSeveralThreadsAtOnce_GivesWhatOneAtATimeGives()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu, ImageStreams = 3, BatchSize = 4 }, load: ModelTowers.None);
        Assert.Equal(3, model.ImageStreams);
        Assert.Equal(ModelTowers.None, model.LoadedTowers); // asking loads nothing: an indexing run with nothing to encode never loads the image tower
        var random = new Random(7);
        var batches = Enumerable.Range(0, 9).Select(_ => Enumerable.Range(0, 4).Select(_ =>
            Enumerable.Range(0, model.Preprocessor.TensorLength).Select(_ => (float)((random.NextDouble() * 4) - 2)).ToArray()).ToList()).ToList();
        var alone = batches.Select(b => model.EncodePixelTensors(b)).ToList();

        var together = new float[batches.Count][][];
        Parallel.For(0, batches.Count, new ParallelOptions { MaxDegreeOfParallelism = 3 }, i => together[i] = model.EncodePixelTensors(batches[i]));

        for (var i = 0; i < batches.Count; i++)
        {
            for (var j = 0; j < 4; j++)
            {
                Assert.Equal(alone[i][j], together[i][j]);
            }
        }
    }
}
