using System.Text.Json;
using ClipSearch.Clip;
using ClipSearch.Clip.Inference;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Models.Download;
using ClipSearch.Indexer.Tests;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Downloads.Tests;

/// <summary>
/// <c>models pull</c> of every catalogue entry against a local hub serving, under each repository's published file
/// names, stand-ins with the publisher's configuration (towers: the tiny models), and for a sigmoid model the original
/// checkpoint's two scalars in a safetensors file: the pulled folder loads as the entry's family with its id, shared
/// space and scoring.
/// </summary>
public sealed class CataloguePullTests : IAsyncLifetime, IAsyncDisposable, IDisposable
{
    private readonly FakeHub _hub = new();
    private readonly TempModelFolder _target = new();

    public static TheoryData<string> Names => [.. ModelCatalogue.Models.Select(m => m.Name)];

    public Task InitializeAsync() => _hub.StartAsync();

    Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask; // the hub goes in DisposeAsync below, which xunit also calls

    public ValueTask DisposeAsync() => _hub.DisposeAsync();

    public void Dispose() => _target.Dispose();

    private Task<(int Exit, string Out, string Err)> PullAsync(string name) =>
        CliRunner.RunAsync("models", "pull", name, "--dir", _target.Root, "--endpoint", _hub.Url.ToString());

    [Fact]
    public void Catalogue_EveryEntry_HasAPublisherStandIn() =>
        Assert.Equal(CatalogueHub.Publishers.Keys.Order(StringComparer.Ordinal), ModelCatalogue.Models.Select(m => m.Name).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Pull_CatalogueEntry_LoadsAsItsFamilyWithItsIdSpaceAndScoring(string name)
    {
        var entry = ModelCatalogue.Find(name)!;
        var (served, scale, bias) = CatalogueHub.Publish(_hub, entry);

        var (exit, _, stderr) = await PullAsync(name);

        Assert.True(exit == 0, stderr);
        foreach (var (path, content) in served)
        {
            Assert.Equal(content, File.ReadAllBytes(Path.Combine(_target.Root, path)));
        }

        using var model = ClipModel.Load(_target.Root, new ClipEngineOptions { Device = ExecutionDevice.Cpu });
        Assert.Equal((entry.Id, entry.Family, !entry.IsTextOnly), (model.ModelId, model.Family, model.HasImageTower));
        Assert.Equal(entry.Spaces, model.SharedSpaces);
        Assert.Equal(entry.Languages, model.Folder.Languages);
        var text = model.Encode(["a photo of a yellow star."])[0];
        Assert.Equal(96, text.Length); // the stand-in towers' dimension (the real model's is entry.Dimension)
        if (entry.Family == ModelFamily.SigLip)
        {
            Assert.True(model.Scoring is { IsSigmoid: true, HasProbabilities: true }, model.Scoring.Missing);
            Assert.Equal((MathF.Exp(scale), bias), (model.Scoring.LogitScale, model.Scoring.LogitBias));
            Assert.StartsWith(entry.Scoring!.ToString(), ModelManifest.Read(_target.Root).ScoringSource, StringComparison.Ordinal);

            // A second pull finds the files and the recorded scalars complete: nothing is fetched or read again.
            var (gets, bytes) = (_hub.Gets.Values.Sum(), _hub.BytesServed.Values.Sum());
            Assert.Equal(0, (await PullAsync(name)).Exit);
            Assert.Equal((gets, bytes), (_hub.Gets.Values.Sum(), _hub.BytesServed.Values.Sum()));
        }
        else
        {
            Assert.False(model.Scoring.IsSigmoid);
            Assert.Null(entry.Scoring);
        }
    }

    [Fact]
    public async Task Pull_SigmoidEntryWhoseCheckpointLacksTheBias_FailsAndRecordsNoScoring()
    {
        var entry = ModelCatalogue.Find("google/siglip-base-patch16-224")!;
        CatalogueHub.Publish(_hub, entry);
        _hub.Add(entry.Scoring!.Repository, entry.Scoring.Path, SafetensorsFile.Build(SafetensorsFile.F32("logit_scale", 4.7f, 1)));

        var (exit, _, stderr) = await PullAsync(entry.Name);

        Assert.Equal(3, exit);
        Assert.Contains("google/siglip-base-patch16-224/model.safetensors: expected a tensor named logit_bias", stderr, StringComparison.Ordinal);
        Assert.Null(ModelManifest.Read(_target.Root).LogitBias);
    }

    [Fact]
    public async Task List_ShowsFamilyDimensionLanguagesAndOnlyKnownSizes()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("models", "list", "--json");
        Assert.Equal(0, exit);
        var models = CliRunner.Lines(stdout).Select(l => JsonDocument.Parse(l).RootElement).ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Equal(ModelCatalogue.Models.Count, models.Count);
        var siglip2 = models["immich-app/ViT-B-16-SigLIP2__webli"];
        Assert.Equal(("SigLIP", 768, "multilingual"), (siglip2.GetProperty("family").GetString(), siglip2.GetProperty("dimension").GetInt32(), siglip2.GetProperty("languages")[0].GetString()));
        var mclip = models["immich-app/XLM-Roberta-Large-Vit-B-32"];
        Assert.True(mclip.GetProperty("text_only").GetBoolean());
        Assert.Equal(ModelCatalogue.OpenAiVitB32, mclip.GetProperty("shares_space_with").EnumerateArray().Select(s => s.GetString()));
        Assert.Empty(siglip2.GetProperty("approximate_bytes").EnumerateObject()); // no source states it: nothing is guessed

        var (_, text, _) = await CliRunner.RunAsync("models", "list");
        var b32 = CliRunner.Lines(text).Single(l => l.StartsWith("openai/clip-vit-base-patch32\t", StringComparison.Ordinal));
        Assert.Contains("CLIP, 512-d, languages: en", b32, StringComparison.Ordinal);
        Assert.Contains("full (~606 MB), quantized (~155 MB), fp16 (size unknown)", b32, StringComparison.Ordinal);
        Assert.Contains("text tower only (queries collections of openai/clip-vit-base-patch32)",
            CliRunner.Lines(text).Single(l => l.StartsWith("immich-app/XLM-Roberta-Large-Vit-B-32\t", StringComparison.Ordinal)), StringComparison.Ordinal);
    }
}
