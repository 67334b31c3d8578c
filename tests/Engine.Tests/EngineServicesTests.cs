using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Models;
using ClipSearch.Engine.Stores;
using ClipSearch.Tests.Shared;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ClipSearch.Engine.Tests;

public sealed class EngineServicesTests : IDisposable
{
    private readonly string _store = Path.Combine(Path.GetTempPath(), "clipsearch-engine-" + Guid.NewGuid().ToString("N"));

    private ServiceProvider Compose(Dictionary<string, string?> settings)
    {
        settings.TryAdd(SettingKeys.StorePath, _store);
        settings.TryAdd(SettingKeys.Device, "cpu");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddClipSearchEngine(configuration, new EngineHost(typeof(EngineServicesTests).Assembly, SettingNames.Configuration))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public void Compose_AModelFolder_GivesEncodersOfItsIdAndTheConfiguredStore()
    {
        using var services = Compose(new() { [SettingKeys.Model] = TestPaths.TinyClip });
        services.GetRequiredService<IStartupValidator>().Validate();
        var text = services.GetRequiredService<ITextEncoder>();
        var images = services.GetRequiredService<IImageEncoder>();
        Assert.Equal("clipsearch/tiny-clip-shapes", text.ModelId);
        Assert.Equal(text.ModelId, images.ModelId);
        Assert.Equal(96, images.Dimension);
        Assert.Same(text, services.GetRequiredService<ITextEncoder>());
        var loaded = services.GetRequiredService<LoadedModel>();
        Assert.Equal(("cpu", "folder"), (loaded.Device, loaded.Location.Source));
        Assert.Equal(Path.GetFullPath(_store), services.GetRequiredService<StoreContext>().EmbeddedFolder);
        Assert.Equal(512L * 1024 * 1024, images.Limits.MaxFileBytes);
    }

    [Fact]
    public void Compose_TextQueries_LoadOnlyTheTextTowerAndCacheItsOptimisedGraph()
    {
        var cache = _store + "-graphs";
        using var services = Compose(new() { [SettingKeys.Model] = TestPaths.TinyClip, [SettingKeys.GraphCacheFolder] = cache });
        var model = services.GetRequiredService<ClipSearch.Clip.ClipModel>();
        Assert.Equal(ClipSearch.Clip.ModelTowers.None, model.LoadedTowers);

        _ = services.GetRequiredService<ITextEncoder>().Encode(["a red star"]);
        Assert.Equal(96, services.GetRequiredService<LoadedModel>().Dimension);
        Assert.Equal(ClipSearch.Clip.ModelTowers.Text, model.LoadedTowers); // a text search never pays for the image tower
        Assert.Single(Directory.GetFiles(cache, "*text_model*.ort"));
        Directory.Delete(cache, recursive: true);
    }

    [Theory]
    [InlineData("none", "")]
    [InlineData(null, "clipsearch/onnx")]
    [InlineData("/srv/graphs", "/srv/graphs")]
    public void Compose_GraphCacheSetting_DefaultsToTheUserCacheAndNoneTurnsItOff(string? value, string expectedEnd)
    {
        using var services = Compose(new() { [SettingKeys.GraphCacheFolder] = value });
        var folder = services.GetRequiredService<IOptions<ClipSearch.Clip.Inference.ClipEngineOptions>>().Value.GraphCacheFolder;
        Assert.EndsWith(expectedEnd, folder, StringComparison.Ordinal);
        Assert.Equal(expectedEnd.Length == 0, folder!.Length == 0);
    }

    [Theory]
    [InlineData("ClipSearch:BatchSize", "0", "BatchSize")]
    [InlineData("ClipSearch:Variant", "../x", "ClipSearch:Variant must be a variant name")]
    [InlineData("ClipSearch:Store", "/data/index", "ClipSearch:Store is now called ClipSearch:Index:Embedded:Path")]
    [InlineData("ClipSearch:Index:Qdrant:Url", "ftp://qdrant:6334", "ClipSearch:Index:Qdrant:Url: 'ftp://qdrant:6334/' is not an http(s) URL")]
    [InlineData("ClipSearch:Index:Qdrant:MaxAttempts", "0", "MaxAttempts", "ClipSearch:Index:Qdrant:Url", "http://qdrant:6334")]
    [InlineData("ClipSearch:Index:Embedded:Ann:Connectivity", "1", "ClipSearch:Index:Embedded:Ann:Connectivity")]
    [InlineData("ClipSearch:Decoding:Timeout", "00:00:00", "Timeout")]
    public void Validate_ABadSetting_FailsNamingIt(string key, string value, string expected, string? other = null, string? otherValue = null)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (other is not null)
        {
            settings[other] = otherValue;
        }

        using var services = Compose(settings);
        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(expected, string.Join("\n", e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AStoreThatIsAFile_IsRefused()
    {
        var file = _store + ".file";
        File.WriteAllText(file, "");
        try
        {
            using var services = Compose(new() { [SettingKeys.StorePath] = file });
            var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
            Assert.Contains($"ClipSearch:Index:Embedded:Path: {file} is a file", string.Join("\n", e.Failures), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_store))
        {
            Directory.Delete(_store, recursive: true);
        }
    }
}
