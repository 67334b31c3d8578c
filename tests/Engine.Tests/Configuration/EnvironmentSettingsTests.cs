using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Models;
using ClipSearch.Engine.Stores;
using Microsoft.Extensions.Configuration;

namespace ClipSearch.Engine.Tests.Configuration;

public sealed class EnvironmentSettingsTests
{
    private static IConfiguration From(Dictionary<string, string> environment, Dictionary<string, string?>? over = null) => new ConfigurationBuilder()
        .AddClipSearchEnvironment(v => environment.GetValueOrDefault(v))
        .AddInMemoryCollection(over ?? [])
        .Build();

    [Fact]
    public void Variables_FillTheEngineSettings()
    {
        var configuration = From(new()
        {
            ["CLIPSEARCH_MODEL"] = "openai/clip-vit-base-patch32",
            ["CLIPSEARCH_VARIANT"] = "quantized",
            ["CLIPSEARCH_DEVICE"] = "cpu",
            ["CLIPSEARCH_MODELS"] = "/models",
            ["CLIPSEARCH_STORE"] = "/data/index",
            ["CLIPSEARCH_QDRANT"] = "http://qdrant:6334",
            ["CLIPSEARCH_QDRANT_API_KEY"] = "secret",
            ["CLIPSEARCH_UNKNOWN"] = "ignored",
        });
        var model = configuration.GetSection(ModelSettings.SectionName).Get<ModelSettings>()!;
        Assert.Equal(("openai/clip-vit-base-patch32", "quantized", "/models"), (model.Model, model.Variant, model.ModelsFolder));
        Assert.Equal(Clip.Inference.ExecutionDevice.Cpu, configuration.GetSection(SettingKeys.Section).Get<Clip.Inference.ClipEngineOptions>()!.Device);
        var index = new IndexSettings();
        configuration.GetSection(IndexSettings.SectionName).Bind(index);
        Assert.Equal("/data/index", index.Embedded.Path);
        Assert.Equal(new Uri("http://qdrant:6334"), index.Qdrant.Url);
        Assert.Equal("secret", index.Qdrant.ApiKey);
        Assert.True(index.UsesQdrant);
    }

    [Fact]
    public void Variables_EmptyOnesAndLaterSources_GiveWay()
    {
        var configuration = From(new() { ["CLIPSEARCH_MODEL"] = "  ", ["CLIPSEARCH_QDRANT"] = "http://qdrant:6334" },
            new() { [SettingKeys.QdrantUrl] = "", [SettingKeys.StorePath] = "/elsewhere" });
        var index = new IndexSettings();
        configuration.GetSection(IndexSettings.SectionName).Bind(index);
        Assert.False(index.UsesQdrant); // an explicit empty URL (the CLI's --store) beats the variable
        Assert.Equal("/elsewhere", index.Embedded.Path);
        Assert.Null(configuration[SettingKeys.Model]);
    }

    [Fact]
    public void Defaults_AreTheSameForEveryFrontEnd()
    {
        var index = new IndexSettings();
        Assert.Equal(UserFolders.Data("index"), index.Embedded.Path);
        Assert.False(index.UsesQdrant);
        Assert.Equal(UserFolders.Data("models"), new ModelSettings().ModelsFolder);
    }
}
