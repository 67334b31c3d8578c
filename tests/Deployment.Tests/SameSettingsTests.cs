using System.Net.Http.Json;
using System.Text.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.Deployment.Tests;

/// <summary>
/// The CLI and the Search API, started as processes with the same settings in each form users give them (CLIPSEARCH_*
/// variables, flags and configuration keys, nothing at all), agree on the model and the index: the API finds the
/// collection the CLI filled, holding what the CLI put there, searchable by its model.
/// </summary>
public sealed class SameSettingsTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clipsearch-same-" + Guid.NewGuid().ToString("N"));
    private readonly TempModelFolder _quantizedOnly = TempModelFolder.CopyOfTinyClip();

    public SameSettingsTests()
    {
        // A model folder holding only quantized towers (as a quantized pull leaves it).
        foreach (var tower in new[] { "vision_model", "text_model" })
        {
            File.Move(Path.Combine(_quantizedOnly.Root, "onnx", tower + ".onnx"), Path.Combine(_quantizedOnly.Root, "onnx", tower + "_quantized.onnx"));
        }

        Directory.CreateDirectory(Photos);
        foreach (var file in Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout"), "*-000.jpg").Order(StringComparer.Ordinal).Take(6))
        {
            File.Copy(file, Path.Combine(Photos, Path.GetFileName(file)));
        }
    }

    private string Photos => Path.Combine(_root, "photos");

    private string Store => Path.Combine(_root, "store");

    /// <summary>A user's environment: data under the test's folder, nothing of the test host's CLIPSEARCH_* settings.</summary>
    private Dictionary<string, string?> Environment(Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["XDG_DATA_HOME"] = Path.Combine(_root, "data"),
            ["XDG_STATE_HOME"] = Path.Combine(_root, "state"),
            ["CLIPSEARCH_MODEL"] = null, ["CLIPSEARCH_VARIANT"] = null, ["CLIPSEARCH_STORE"] = null, ["CLIPSEARCH_QDRANT"] = null, ["CLIPSEARCH_MODELS"] = null,
            ["CLIPSEARCH_DEVICE"] = "cpu",
        };
        foreach (var (key, value) in extra ?? [])
        {
            environment[key] = value;
        }

        return environment;
    }

    [Fact]
    public Task Settings_AsVariables_SameModelAndIndex() => AgreeAsync(
        Environment(new() { ["CLIPSEARCH_MODEL"] = _quantizedOnly.Root, ["CLIPSEARCH_VARIANT"] = "quantized", ["CLIPSEARCH_STORE"] = Store }), [], [],
        "clipsearch/tiny-clip-shapes:quantized");

    [Fact]
    public Task Settings_AsFlagsAndKeys_SameModelAndIndex() => AgreeAsync(Environment(),
        ["--model", _quantizedOnly.Root, "--variant", "quantized", "--store", Store],
        [$"--ClipSearch:Model={_quantizedOnly.Root}", "--ClipSearch:Variant=quantized", $"--ClipSearch:Index:Embedded:Path={Store}"],
        "clipsearch/tiny-clip-shapes:quantized");

    [Fact]
    public Task Settings_NoneAtAll_TheBundledModelAndTheDefaultIndex() => AgreeAsync(Environment(), [], [], "clipsearch/tiny-clip-shapes");

    [Fact]
    public async Task Settings_VariantLeftOutOfTheApi_TheOnlyVariantIsChosenAlike()
    {
        // The folder has one set of weights: with or without the variant setting it is the same model for both.
        await AgreeAsync(Environment(), ["--model", _quantizedOnly.Root, "--variant", "quantized", "--store", Store],
            [$"--ClipSearch:Model={_quantizedOnly.Root}", $"--ClipSearch:Index:Embedded:Path={Store}"], "clipsearch/tiny-clip-shapes:quantized");
    }

    private async Task AgreeAsync(Dictionary<string, string?> environment, string[] cliSettings, string[] apiSettings, string expectedModel)
    {
        var index = await CliProcess.RunAsync(environment, ["index", Photos, "--collection", "images", .. cliSettings]);
        Assert.True(index.Exit == 0, index.Err);
        string[] store = Array.IndexOf(cliSettings, "--store") is var at and >= 0 ? ["--store", cliSettings[at + 1]] : [];
        var listed = await CliProcess.RunAsync(environment, ["collections", "list", "--json", .. store]);
        Assert.True(listed.Exit == 0, listed.Err);
        var cli = JsonDocument.Parse(listed.Out.Trim()).RootElement;
        Assert.Equal(expectedModel, cli.GetProperty("model").GetString());

        using var api = new ServerProcess(ServerProcess.ProjectAssembly("SearchApi", "ClipSearch.SearchApi.dll"), environment, ["--urls", "http://127.0.0.1:0", .. apiSettings]);
        using var http = new HttpClient { BaseAddress = await api.ListeningAsync() };
        var collections = await http.GetFromJsonAsync<JsonElement>("/api/collections");
        var images = collections.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "images");
        Assert.Equal(cli.GetProperty("count").GetInt32(), images.GetProperty("count").GetInt32());
        Assert.Equal(expectedModel, images.GetProperty("modelId").GetString());
        Assert.True(images.GetProperty("searchable").GetBoolean(), $"the API's model is not the collection's: {api.Output}");
        var hits = await http.GetFromJsonAsync<JsonElement>("/api/search?q=a+photo+of+a+red+star.&k=3");
        Assert.Equal(3, hits.GetProperty("hits").GetArrayLength());
    }

    public void Dispose()
    {
        _quantizedOnly.Dispose();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
