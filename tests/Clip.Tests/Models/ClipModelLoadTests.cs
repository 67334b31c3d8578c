using System.Runtime.InteropServices;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Clip.Tests.Models;

public sealed class ClipModelLoadTests
{
    [Fact]
    public void Load_BundledModel_ReadsSignatureFromGraphMetadata()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        Assert.Equal(96, model.Dimension);
        Assert.Equal(77, model.ContextLength);
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
        Assert.Equal(("pixel_values", "image_embeds"), model.VisionTensors);
        Assert.Equal(("input_ids", (string?)null, "text_embeds"), model.TextTensors);
        Assert.Equal("int64", Assert.Single(model.TextInputs).ElementType);
    }

    [Fact]
    public void EncodeTexts_AnyText_ReturnsUnitVectorsInOrder()
    {
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cpu, BatchSize = 2 });
        string[] texts = ["a photo of a red circle.", "a photo of a blue star.", "a photo of a red circle.", ""];
        var e = model.Encode(texts);
        Assert.Equal(4, e.Length);
        Assert.All(e, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 5));
        Assert.Equal(e[0], e[2]); // same text, different batch position (batch size 2 splits them)
        Assert.NotEqual(e[0], e[1]);
    }

    [Fact]
    public void Load_FastEmbedInt32IdsWithMask_FeedsBothAndMatchesClosedForm()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        using var model = ClipModel.Load(temp.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        Assert.Equal(8, model.Dimension);
        Assert.Equal("attention_mask", model.TextTensors.Mask);
        Assert.Equal("int32", model.TextInputs.Single(t => t.Name == "input_ids").ElementType);

        var row = model.Tokenizer.Tokenize("a red star");
        var expected = new double[8];
        for (var i = 0; i < row.Length; i++)
        {
            for (var j = 0; j < 8; j++)
            {
                expected[j] += row.Ids[i] * (Math.Sin((0.37 * ((i * 8) + j)) + 1.0) / 49407.0);
            }
        }

        AssertDirection(expected, model.Encode(["a red star"])[0]);
    }

    [Fact]
    public void EncodePixelTensors_FixtureVisionTower_MatchesClosedForm()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_d8.onnx");
        using var model = ClipModel.Load(temp.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        var decoded = new SafeImageDecoder(new ImageDecodeOptions()).DecodeFile(TestPaths.Data("tiny-clip-heldout", "red-star-000.jpg"));
        using var image = decoded.Image!;
        var tensor = model.Preprocessor.Preprocess(image);
        var plane = 224 * 224;
        var expected = new double[8];
        for (var c = 0; c < 3; c++)
        {
            var mean = tensor.Skip(c * plane).Take(plane).Average(v => (double)v);
            for (var j = 0; j < 8; j++)
            {
                expected[j] += mean * Math.Sin((0.37 * ((c * 8) + j)) + 2.0);
            }
        }

        AssertDirection(expected.Select(v => v + 0.1).ToArray(), model.EncodePixelTensors([tensor])[0]);
    }

    [Fact]
    public void Load_RankThreeOutput_RefusedNamingFileAndRank()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d8.onnx", "vision_rank3_d8.onnx");
        var e = Assert.Throws<ClipModelException>(() => ClipModel.Load(temp.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu }));
        Assert.Contains(Path.Combine("clip-ViT-B-32-vision", "model.onnx"), e.Message, StringComparison.Ordinal);
        Assert.Contains("rank 2", e.Message, StringComparison.Ordinal);
        Assert.Contains("found rank 3", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TowersWithDifferentDimensions_Refused()
    {
        using var temp = TempModelFolder.FastEmbed("text_int32_mask_d6.onnx", "vision_d8.onnx");
        var e = Assert.Throws<ClipModelException>(() => ClipModel.Load(temp.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu }));
        Assert.Contains("outputs 8", e.Message, StringComparison.Ordinal);
        Assert.Contains("outputs 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnreadableOnnx_RefusedNamingFile()
    {
        using var temp = TempModelFolder.CopyOfTinyClip();
        temp.Write("onnx/text_model.onnx", "this is not a protobuf");
        var e = Assert.Throws<ClipModelException>(() => ClipModel.Load(temp.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu }));
        Assert.Equal(Path.Combine(temp.Root, "onnx", "text_model.onnx"), e.Path);
        Assert.Contains("readable ONNX model", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Load_CudaRequiredWithoutCudaLibraries_RefusedWithClearMessage()
    {
        Skip.If(CudaRuntimePresent(), "CUDA 13 runtime libraries are present on this machine; the refusal path cannot be shown");
        var e = Assert.Throws<ClipDeviceException>(() => ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Cuda }));
        Assert.Contains("CUDA 13", e.Message, StringComparison.Ordinal);
        Assert.Contains("--device cpu", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Load_AutoWithoutCudaLibraries_FallsBackToCpu()
    {
        Skip.If(CudaRuntimePresent(), "CUDA 13 runtime libraries are present on this machine; auto would use them");
        using var model = ClipModel.Load(TestPaths.TinyClip, new ClipEngineOptions { Device = ExecutionDevice.Auto });
        Assert.Equal(ExecutionDevice.Cpu, model.Device);
        Assert.Equal(96, model.Encode(["a red star"])[0].Length);
    }

    private static bool CudaRuntimePresent()
    {
        foreach (var lib in new[] { "libcudart.so.13", "libcublasLt.so.13" })
        {
            if (!NativeLibrary.TryLoad(lib, out var handle))
            {
                return false;
            }

            NativeLibrary.Free(handle);
        }

        return true;
    }

    private static void AssertDirection(double[] expected, float[] actual)
    {
        var norm = Math.Sqrt(expected.Sum(v => v * v));
        Assert.Equal(expected.Length, actual.Length);
        for (var j = 0; j < expected.Length; j++)
        {
            Assert.Equal(expected[j] / norm, actual[j], 4);
        }
    }
}
