using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace ClipSearch.Clip.Tests.Models;

/// <summary>
/// How a model's towers are loaded: each only when a command needs it, and each CPU graph optimised once and kept in
/// the cache folder, whose entries must give the same embeddings as the ONNX file and never be read stale or broken.
/// </summary>
public sealed class ModelLoadingTests : IDisposable
{
    private readonly string _cache = Path.Combine(Path.GetTempPath(), "clipsearch-graphs-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_cache))
        {
            Directory.Delete(_cache, recursive: true);
        }
    }

    private ClipEngineOptions Cached() => new() { Device = ExecutionDevice.Cpu, GraphCacheFolder = _cache };

    private static readonly string[] Texts = ["a photo of a red circle.", "a blue star", ""];

    [Fact]
    public void Load_NoTowersNow_TextEncodingLoadsOnlyTheTextTower()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, Cached(), load: ModelTowers.None);
        Assert.Equal(ModelTowers.None, model.LoadedTowers);

        Assert.Equal(96, model.Encode(["a red star"])[0].Length);
        Assert.Equal(ModelTowers.Text, model.LoadedTowers);
        Assert.Equal(96, model.Dimension);
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
        Assert.Equal(ModelTowers.Text, model.LoadedTowers); // the dimension and device come from the loaded tower

        Assert.Equal(96, model.EncodePixelTensors([new float[model.Preprocessor.TensorLength]])[0].Length);
        Assert.Equal(ModelTowers.Both, model.LoadedTowers);
    }

    [Fact]
    public void Load_NoTowersNow_ImageEncodingLoadsOnlyTheImageTower()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, Cached(), load: ModelTowers.None);
        Assert.Equal(96, model.EncodePixelTensors([new float[model.Preprocessor.TensorLength]])[0].Length);
        Assert.Equal(ModelTowers.Vision, model.LoadedTowers);
        Assert.Equal(96, model.Dimension);
        Assert.Equal(ModelTowers.Vision, model.LoadedTowers);
    }

    [Fact]
    public void ImageDimension_NoTowerLoaded_LoadsOnlyTheImageTower()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, Cached(), load: ModelTowers.None);
        Assert.Equal(96, model.ImageDimension);
        Assert.Equal(ModelTowers.Vision, model.LoadedTowers);
    }

    [Fact]
    public void WarmUpImageTower_LoadsAndRunsOnlyTheImageTower()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        using var model = ClipModel.Load(temp.Root, Cached(), load: ModelTowers.None);
        model.WarmUpImageTower(); // its raw output is not normalised: a blank image may embed to zero (a ViT-sized random model's does)
        Assert.Equal(ModelTowers.Vision, model.LoadedTowers);
    }

    [Fact]
    public void LazyTowers_DifferentDimensions_RefusedWhenTheSecondTowerLoads()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d6.onnx", "vision_d8.onnx");
        using var model = ClipModel.Load(temp.Root, Cached(), load: ModelTowers.None);
        Assert.Equal(6, model.Encode(["a red star"])[0].Length);
        var e = Assert.Throws<ClipModelException>(() => model.EncodePixelTensors([new float[model.Preprocessor.TensorLength]]));
        Assert.Contains("outputs 8", e.Message, StringComparison.Ordinal);
        Assert.Contains("outputs 6", e.Message, StringComparison.Ordinal);
        Assert.Equal(ModelTowers.Text, model.LoadedTowers);
    }

    [Fact]
    public void GraphCache_SecondLoad_ReadsTheCachedGraphAndEmbedsIdentically()
    {
        using var plain = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        var image = RandomTensor(plain.Preprocessor.TensorLength, seed: 3);
        var (expectedTexts, expectedImage) = (plain.Encode(Texts), plain.EncodePixelTensors([image])[0]);

        for (var run = 0; run < 2; run++)
        {
            using var model = ClipModel.Load(TestPaths.TinyClip, Cached());
            Assert.Equal(2, Directory.GetFiles(_cache, "*.ort").Length); // one per tower, written by the first run
            AssertClose(expectedTexts, model.Encode(Texts));
            AssertClose([expectedImage], model.EncodePixelTensors([image]));
        }

        using var session = OnnxSessions.Create(Path.Combine(TestPaths.TinyClip, "onnx", "text_model.onnx"), Cached(), NullLogger.Instance);
        Assert.True(session.FromCache);
    }

    [Fact]
    public void GraphCache_BrokenEntry_IsReplacedAndTheModelStillLoads()
    {
        var text = Path.Combine(TestPaths.TinyClip, "onnx", "text_model.onnx");
        var entry = OptimizedGraphCache.EntryFor(text, _cache)!;
        Directory.CreateDirectory(_cache);
        File.WriteAllText(entry.Path, "not a graph: a truncated write or another runtime's file");

        using (var session = OnnxSessions.Create(text, Cached(), NullLogger.Instance))
        {
            Assert.False(session.FromCache);
        }

        Assert.True(new FileInfo(entry.Path).Length > 1000); // rebuilt from the ONNX file
        using var again = OnnxSessions.Create(text, Cached(), NullLogger.Instance);
        Assert.True(again.FromCache);
    }

    [Fact]
    public void GraphCache_ChangedModelFile_GetsANewEntryAndTheOldOneGoes()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        var text = Path.Combine(temp.Root, "onnx", "text_model.onnx");
        OnnxSessions.Create(text, Cached(), NullLogger.Instance).Dispose();
        var first = Assert.Single(Directory.GetFiles(_cache));

        File.SetLastWriteTimeUtc(text, File.GetLastWriteTimeUtc(text).AddMinutes(1)); // a new download of the same file name
        using (var session = OnnxSessions.Create(text, Cached(), NullLogger.Instance))
        {
            Assert.False(session.FromCache);
        }

        var second = Assert.Single(Directory.GetFiles(_cache));
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void GraphCache_FolderCannotBeCreated_ModelLoadsWithoutIt()
    {
        Directory.CreateDirectory(_cache);
        var blocker = Path.Combine(_cache, "a-file");
        File.WriteAllText(blocker, "a file where the cache folder should be");
        var options = new ClipEngineOptions { Device = ExecutionDevice.Cpu, GraphCacheFolder = Path.Combine(blocker, "graphs") };

        using var model = ClipModel.Load(TestPaths.TinyClip, options);
        Assert.Equal(96, model.Encode(["a red star"])[0].Length);
        Assert.Single(Directory.GetFileSystemEntries(_cache));
    }

    [Fact]
    public void GraphCache_Off_WritesNothing()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu, GraphCacheFolder = string.Empty });
        Assert.Equal(96, model.Encode(["a red star"])[0].Length);
        Assert.False(Directory.Exists(_cache));
    }

    private static float[] RandomTensor(int length, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 4) - 2)];
    }

    private static void AssertClose(float[][] expected, float[][] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            for (var j = 0; j < expected[i].Length; j++)
            {
                Assert.Equal(expected[i][j], actual[i][j], 5);
            }
        }
    }
}
