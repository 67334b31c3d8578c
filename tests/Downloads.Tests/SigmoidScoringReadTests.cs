using ClipSearch.Clip.Models.Download;

namespace ClipSearch.Downloads.Tests;

/// <summary>
/// Reading a SigLIP checkpoint's logit_scale and logit_bias from its model.safetensors with Range requests: the
/// header length, the header, the two tensors, and nothing of the weights around them.
/// </summary>
public sealed class SigmoidScoringReadTests : IAsyncLifetime, IAsyncDisposable
{
    private const string Repo = "google/siglip-base-patch16-224";
    private const string File = "model.safetensors";
    private readonly FakeHub _hub = new();

    public Task InitializeAsync() => _hub.StartAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the hub goes in DisposeAsync below, which xunit also calls

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    private async Task<(float Scale, float Bias)> ReadAsync(byte[] checkpoint)
    {
        _hub.Add(Repo, File, checkpoint);
        using var downloader = new ModelDownloader(_hub.Url) { RetryDelay = TimeSpan.FromMilliseconds(10) };
        return await downloader.ReadSigmoidScoringAsync(new ScoringCheckpoint(Repo, File));
    }

    [Fact]
    public async Task Read_HuggingFaceCheckpointF32ShapeOne_ReadsBothValuesAndOnlyTheirBytes()
    {
        // As transformers' SiglipModel saves them: nn.Parameter of shape [1], float32, among the weights.
        var checkpoint = SafetensorsFile.Build(
            SafetensorsFile.Filler("text_model.embeddings.token_embedding.weight", 256 * 1024),
            SafetensorsFile.F32("logit_bias", -12.932437f, 1),
            SafetensorsFile.Filler("vision_model.post_layernorm.weight", 256 * 1024),
            SafetensorsFile.F32("logit_scale", 4.7622223f, 1));

        var (scale, bias) = await ReadAsync(checkpoint);

        Assert.Equal(4.7622223f, scale);
        Assert.Equal(-12.932437f, bias);
        var key = $"{Repo}/resolve/main/{File}";
        Assert.True(_hub.BytesServed[key] < 4096, $"{_hub.BytesServed[key]} of {checkpoint.Length} bytes were sent");
        Assert.Equal(4, _hub.Ranges.Count); // length, header, scale, bias: each a bounded range
        Assert.All(_hub.Ranges, r => Assert.Matches(@": \d+-\d+$", r));
    }

    [Fact]
    public async Task Read_OpenClipCheckpointBf16ScalarShape_ReadsBothValues()
    {
        // open_clip keeps them as 0-d parameters; a bf16 checkpoint holds values exact in 8 significant bits.
        var (scale, bias) = await ReadAsync(SafetensorsFile.Build(
            SafetensorsFile.Bf16("logit_scale", 4.75f),
            SafetensorsFile.Bf16("logit_bias", -16.5f),
            SafetensorsFile.Filler("visual.trunk.pos_embed", 1024)));

        Assert.Equal(4.75f, scale);
        Assert.Equal(-16.5f, bias);
    }

    [Fact]
    public async Task Read_CheckpointWithoutBias_FailsNamingTheTensorAndInventsNothing()
    {
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => ReadAsync(SafetensorsFile.Build(
            SafetensorsFile.F32("logit_scale", 4.7f, 1), SafetensorsFile.Filler("w", 16))));

        Assert.Contains("a tensor named logit_bias", e.Message, StringComparison.Ordinal);
        Assert.Contains($"{Repo}/{File}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_TensorThatIsNotAScalar_Refused()
    {
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => ReadAsync(SafetensorsFile.Build(
            SafetensorsFile.Filler("logit_scale", 2), SafetensorsFile.F32("logit_bias", -10f, 1))));

        Assert.Contains("logit_scale: a scalar (shape [] or [1]); found shape [2]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_NotASafetensorsFile_RefusedWithoutDownloadingIt()
    {
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => ReadAsync(new byte[1 << 20]));
        Assert.Contains("header length between 1 and", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ServerIgnoringRange_RefusedRatherThanFetchingTheWholeCheckpoint()
    {
        _hub.IgnoreRanges = true;
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => ReadAsync(SafetensorsFile.Build(
            SafetensorsFile.F32("logit_scale", 4.7f, 1), SafetensorsFile.F32("logit_bias", -10f, 1))));

        Assert.Contains("expected 206 Partial Content", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_MissingCheckpoint_FailsNamingIt()
    {
        using var downloader = new ModelDownloader(_hub.Url);
        var e = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.ReadSigmoidScoringAsync(new ScoringCheckpoint("google/nothing", File)));
        Assert.Contains("not found (HTTP 404)", e.Message, StringComparison.Ordinal);
    }
}
