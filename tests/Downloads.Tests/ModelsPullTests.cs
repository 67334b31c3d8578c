using System.Text.Json;
using ClipSearch.Clip.Models.Download;
using ClipSearch.Indexer.Tests;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Downloads.Tests;

/// <summary>
/// <c>clipsearch models pull</c> against a local hub (no model hub is reachable from here): the tiny model's
/// files are served under the paths of Xenova/clip-vit-base-patch32, as huggingface.co would serve that repository.
/// </summary>
public sealed class ModelsPullTests : IAsyncLifetime, IDisposable
{
    private const string Repo = "Xenova/clip-vit-base-patch32";
    private const string Vision = Repo + "/resolve/main/onnx/vision_model_quantized.onnx";
    private readonly FakeHub _hub = new();
    private readonly TempModelFolder _target = new();
    private readonly Dictionary<string, byte[]> _served = new(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "config.json", "preprocessor_config.json", "vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json" })
        {
            if (File.Exists(Path.Combine(TestPaths.TinyClip, name)))
            {
                Serve(name, File.ReadAllBytes(Path.Combine(TestPaths.TinyClip, name)));
            }
        }

        Serve("onnx/vision_model_quantized.onnx", File.ReadAllBytes(Path.Combine(TestPaths.TinyClip, "onnx", "vision_model.onnx")));
        Serve("onnx/text_model_quantized.onnx", File.ReadAllBytes(Path.Combine(TestPaths.TinyClip, "onnx", "text_model.onnx")));
        await _hub.StartAsync();
    }

    private void Serve(string path, byte[] content)
    {
        _hub.Add(Repo, path, content);
        _served[path] = content;
    }

    private Task<(int Exit, string Out, string Err)> PullAsync(string model = "openai/clip-vit-base-patch32") =>
        CliRunner.RunAsync("models", "pull", model, "--variant", "quantized", "--dir", _target.Root, "--endpoint", _hub.Url.ToString());

    private void AssertFilesAreTheServedOnes()
    {
        foreach (var (path, content) in _served)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(_target.Root, path)));
        }

        Assert.Empty(Directory.EnumerateFiles(_target.Root, "*.part", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Pull_FromTheHub_DownloadsVerifiedFilesThatLoadAsAModel()
    {
        var (exit, _, stderr) = await PullAsync();
        Assert.True(exit == 0, stderr);
        AssertFilesAreTheServedOnes();
        Assert.Contains("use it with --model openai/clip-vit-base-patch32 --variant quantized", stderr, StringComparison.Ordinal);

        var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(_target.Root, ModelDownloader.RecordFile))).RootElement;
        Assert.Equal(FakeHub.Sha256(_served["onnx/vision_model_quantized.onnx"]), record.GetProperty("onnx/vision_model_quantized.onnx").GetProperty("Sha256").GetString());

        var (embedExit, stdout, _) = await CliRunner.RunAsync("embed", "--model", _target.Root, "--variant", "quantized", "--text", "a photo of a red star.");
        Assert.Equal(0, embedExit);
        Assert.Equal(96, JsonDocument.Parse(stdout).RootElement.GetProperty("embedding").GetArrayLength());

        // A second pull finds everything complete and fetches nothing.
        var gets = _hub.Gets.Values.Sum();
        Assert.Equal(0, (await PullAsync()).Exit);
        Assert.Equal(gets, _hub.Gets.Values.Sum());
    }

    [Fact]
    public async Task Pull_TransferCutMidFile_ResumesFromWhereItStopped()
    {
        _hub.CutNext[Vision] = 1;
        var (exit, _, stderr) = await PullAsync();
        Assert.True(exit == 0, stderr);
        AssertFilesAreTheServedOnes();
        var half = _served["onnx/vision_model_quantized.onnx"].Length / 2;
        Assert.Contains($"{Vision}: {half}", _hub.Ranges); // the second request asked for the rest only
        Assert.Equal(2, _hub.Gets[Vision]);
    }

    [Fact]
    public async Task Pull_PartialFileFromAnInterruptedRun_IsResumed()
    {
        var content = _served["onnx/vision_model_quantized.onnx"];
        Directory.CreateDirectory(Path.Combine(_target.Root, "onnx"));
        File.WriteAllBytes(Path.Combine(_target.Root, "onnx", "vision_model_quantized.onnx.part"), content[..1000]);
        var (exit, _, stderr) = await PullAsync();
        Assert.True(exit == 0, stderr);
        AssertFilesAreTheServedOnes();
        Assert.Contains($"{Vision}: 1000", _hub.Ranges);
    }

    [Fact]
    public async Task Pull_CorruptedOnce_IsDetectedAndFetchedAgain()
    {
        _hub.CorruptNext[Vision] = 1;
        _hub.CorruptNext[Repo + "/resolve/main/vocab.json"] = 1; // a small file, checked by its git SHA-1
        var (exit, _, stderr) = await PullAsync();
        Assert.True(exit == 0, stderr);
        AssertFilesAreTheServedOnes();
        Assert.Equal(2, _hub.Gets[Vision]);
        Assert.Equal(2, _hub.Gets[Repo + "/resolve/main/vocab.json"]);
    }

    [Fact]
    public async Task Pull_AlwaysCorrupted_FailsNamingTheFileAndKeepsNothingOfIt()
    {
        _hub.CorruptNext[Vision] = 100;
        var (exit, _, stderr) = await PullAsync();
        Assert.Equal(3, exit);
        Assert.Contains("onnx/vision_model_quantized.onnx: the download is corrupt (SHA-256", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_target.Root, "onnx", "vision_model_quantized.onnx")));
        Assert.False(File.Exists(Path.Combine(_target.Root, "onnx", "vision_model_quantized.onnx.part")));
    }

    [Fact]
    public async Task Pull_MissingRequiredFileOrUnknownModel_FailsClearly()
    {
        var (exit, _, stderr) = await PullAsync("Qdrant/clip-ViT-B-32");
        Assert.Equal(2, exit);
        Assert.Contains("has no quantized variant; it has full", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CliRunner.RunAsync("models", "pull", "Qdrant/clip-ViT-B-32", "--dir", _target.Root, "--endpoint", _hub.Url.ToString());
        Assert.Equal(3, exit); // nothing of it is served here
        Assert.Contains("Qdrant/clip-ViT-B-32-vision/model.onnx: not found", stderr, StringComparison.Ordinal);

        (exit, _, stderr) = await CliRunner.RunAsync("models", "pull", "no/such-model", "--dir", _target.Root);
        Assert.Equal(2, exit);
        Assert.Contains("known: openai/clip-vit-base-patch32", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pull_IntoTheModelsFolder_IsFoundByNameWithModel()
    {
        // CLIPSEARCH_MODELS is read at each call; only this class of this assembly uses it.
        Environment.SetEnvironmentVariable("CLIPSEARCH_MODELS", _target.Root);
        try
        {
            var (exit, _, stderr) = await CliRunner.RunAsync("models", "pull", "openai/clip-vit-base-patch32", "--variant", "quantized", "--endpoint", _hub.Url.ToString());
            Assert.True(exit == 0, stderr);
            Assert.True(File.Exists(Path.Combine(_target.Root, "openai--clip-vit-base-patch32", "onnx", "vision_model_quantized.onnx")));
            var (embedExit, stdout, embedErr) = await CliRunner.RunAsync("embed", "--model", "openai/clip-vit-base-patch32", "--variant", "quantized", "--text", "a cat");
            Assert.True(embedExit == 0, embedErr);
            Assert.Equal(96, JsonDocument.Parse(stdout).RootElement.GetProperty("embedding").GetArrayLength());
            var (_, list, _) = await CliRunner.RunAsync("models", "list");
            Assert.Contains("pulled (quantized)", list, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CLIPSEARCH_MODELS", null);
        }
    }

    [Fact]
    public async Task List_NamesEveryCatalogueModelAndItsVariants()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("models", "list", "--json");
        Assert.Equal(0, exit);
        var models = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(models, m => m.GetProperty("name").GetString() == "openai/clip-vit-base-patch32"
            && m.GetProperty("variants").EnumerateArray().Select(v => v.GetString()).SequenceEqual(["full", "quantized", "fp16"]));
        Assert.Contains(models, m => m.GetProperty("name").GetString() == "Qdrant/clip-ViT-B-32");
    }

    public Task DisposeAsync() => _hub.DisposeAsync().AsTask();

    public void Dispose() => _target.Dispose();
}
