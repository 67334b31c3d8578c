using System.Runtime.InteropServices;
using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

public sealed class ModelsInspectCommandTests
{
    [Fact]
    public async Task Inspect_BundledModelJson_DescribesTowersAndPreprocessing()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("models", "inspect", "--json", "--device", "cpu");
        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("clipsearch/tiny-clip-shapes", root.GetProperty("model_id").GetString());
        Assert.Equal("hugging-face", root.GetProperty("layout").GetString());
        Assert.Equal(96, root.GetProperty("dimension").GetInt32());
        Assert.Equal(77, root.GetProperty("context_length").GetInt32());
        Assert.Equal("pixel_values", root.GetProperty("vision").GetProperty("inputs")[0].GetProperty("name").GetString());
        Assert.Equal("int64", root.GetProperty("text").GetProperty("inputs")[0].GetProperty("type").GetString());
        Assert.Equal(224, root.GetProperty("preprocessing").GetProperty("crop_size").GetInt32());
        Assert.InRange(root.GetProperty("logit_scale").GetSingle(), 1f, 100f);
    }

    [Fact]
    public async Task Inspect_FastEmbedFolder_HumanOutputOnStdout()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        var (exit, stdout, _) = await CliRunner.RunAsync("models", "inspect", temp.Root, "--device", "cpu");
        Assert.Equal(0, exit);
        Assert.Contains("layout      fastembed", stdout, StringComparison.Ordinal);
        Assert.Contains("dimension   8", stdout, StringComparison.Ordinal);
        Assert.Contains("attention_mask int32[?,77]", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_ModelOption_IsTheSameAsTheFolderArgument()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        var byArgument = await CliRunner.RunAsync("models", "inspect", temp.Root, "--device", "cpu", "--json");
        var byOption = await CliRunner.RunAsync("models", "inspect", "--model", temp.Root, "--device", "cpu", "--json");
        Assert.Equal((0, 0), (byArgument.Exit, byOption.Exit));
        Assert.Equal(byArgument.Out, byOption.Out);
        Assert.Equal(temp.Root, JsonDocument.Parse(byOption.Out).RootElement.GetProperty("folder").GetString());

        var both = await CliRunner.RunAsync("models", "inspect", temp.Root, "--model", temp.Root);
        Assert.Equal(2, both.Exit);
    }

    [Fact]
    public async Task Inspect_RankThreeOutput_ModelErrorNamesFile()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_rank3_d8.onnx");
        var (exit, _, stderr) = await CliRunner.RunAsync("models", "inspect", temp.Root, "--device", "cpu");
        Assert.Equal(3, exit);
        Assert.Contains("model.onnx", stderr, StringComparison.Ordinal);
        Assert.Contains("rank 2", stderr, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Inspect_CudaWithoutCuda_DeviceError()
    {
        Skip.If(NativeLibrary.TryLoad("libcudart.so.13", out _), "CUDA 13 runtime is present on this machine");
        var (exit, _, stderr) = await CliRunner.RunAsync("models", "inspect", "--device", "cuda");
        Assert.Equal(4, exit);
        Assert.Contains("CUDA", stderr, StringComparison.Ordinal);
    }
}
