using ClipSearch.Downloads.Tests;
using ClipSearch.Tests.Shared;
using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>
/// The README's "your own photos with a real CLIP model" recipe, run as written by processes: <c>models pull</c> from a
/// local hub serving a Transformers.js-layout model that has only <c>*_quantized.onnx</c> towers (the bundled model's,
/// under Xenova/clip-vit-base-patch32's names), <c>clipsearch index</c> and <c>search</c> with it, the Search API started
/// with the documented settings, and the web UI showing the results in a browser. Every default folder (models, index)
/// is a temporary one through XDG_DATA_HOME, as on a user's machine.
/// </summary>
public sealed class RealModelRecipeTests : IAsyncLifetime, IDisposable
{
    private const string Model = "openai/clip-vit-base-patch32";
    private readonly FakeHub _hub = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clipsearch-recipe-" + Guid.NewGuid().ToString("N"));

    private string Data => Path.Combine(_root, "data");

    private string Photos => Path.Combine(_root, "Pictures");

    /// <summary>The user's environment: their own data folder, the hub, and no CLIPSEARCH_* left over from the test host.</summary>
    private Dictionary<string, string?> Environment => new()
    {
        ["XDG_DATA_HOME"] = Data,
        ["XDG_STATE_HOME"] = Path.Combine(_root, "state"),
        ["HF_ENDPOINT"] = _hub.Url.ToString(),
        ["CLIPSEARCH_MODEL"] = null, ["CLIPSEARCH_VARIANT"] = null, ["CLIPSEARCH_STORE"] = null, ["CLIPSEARCH_QDRANT"] = null, ["CLIPSEARCH_MODELS"] = null,
    };

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "config.json", "preprocessor_config.json", "vocab.json", "merges.txt", "tokenizer_config.json" })
        {
            _hub.Add("Xenova/clip-vit-base-patch32", name, await File.ReadAllBytesAsync(Path.Combine(TestPaths.TinyClip, name)));
        }

        foreach (var tower in new[] { "vision_model", "text_model" })
        {
            _hub.Add("Xenova/clip-vit-base-patch32", $"onnx/{tower}_quantized.onnx", await File.ReadAllBytesAsync(Path.Combine(TestPaths.TinyClip, "onnx", tower + ".onnx")));
        }

        await _hub.StartAsync();
        Directory.CreateDirectory(Photos);
        // Two images of each red, blue and green shape: 24 photos.
        foreach (var file in Directory.EnumerateFiles(TestPaths.Data("tiny-clip-heldout")).Where(f => !f.EndsWith(".tsv", StringComparison.Ordinal))
            .Where(f => Path.GetFileName(f).Split('-')[0] is "red" or "blue" or "green")
            .GroupBy(f => string.Join('-', Path.GetFileName(f).Split('-')[..2])).SelectMany(g => g.Order(StringComparer.Ordinal).Take(2)))
        {
            File.Copy(file, Path.Combine(Photos, Path.GetFileName(file)));
        }
    }

    [SkippableTheory]
    [InlineData("name")]
    [InlineData("folder")]
    public async Task Recipe_PullIndexServeBrowse_ShowsTheModelsResults(string givenBy)
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var pull = await ClipSearchAsync("models", "pull", Model, "--variant", "quantized");
        Assert.True(pull.Exit == 0, pull.Err);
        var model = givenBy == "name" ? Model : Path.Combine(Data, "clipsearch", "models", "openai--clip-vit-base-patch32");
        Assert.True(Directory.Exists(model) || givenBy == "name", $"models pull did not fill {model}");

        var index = await ClipSearchAsync("index", Photos, "--model", model, "--variant", "quantized");
        Assert.True(index.Exit == 0, index.Err);
        Assert.Contains("openai/clip-vit-base-patch32:quantized", index.Err, StringComparison.Ordinal); // the id models pull records, whatever config.json says
        var search = await ClipSearchAsync("search", "a photo of a red star.", "--model", model, "--variant", "quantized", "-k", "1");
        Assert.True(search.Exit == 0, search.Err);
        Assert.Contains("red-star", search.Out, StringComparison.Ordinal);

        using var api = new ServerProcess(ServerProcess.ProjectAssembly("SearchApi", "ClipSearch.SearchApi.dll"), Environment,
            "--urls", "http://127.0.0.1:0", $"--ClipSearch:Model={model}", "--ClipSearch:Variant=quantized");
        var apiUrl = await api.ListeningAsync();
        using var ui = new ServerProcess(ServerProcess.ProjectAssembly("WebUi", "ClipSearch.WebUi.dll"), "--urls", "http://127.0.0.1:0", $"--ClipSearch:ApiUrl={apiUrl}");
        var uiUrl = await ui.ListeningAsync();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await UiServers.LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { BaseURL = uiUrl.ToString() });
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/?q=a+photo+of+a+red+star.");
        await page.Locator("[data-testid=name]").First.WaitForAsync();
        var names = await page.Locator("[data-testid=name]").AllTextContentsAsync();
        Assert.All(names.Take(2), n => Assert.StartsWith("red-star", n, StringComparison.Ordinal)); // both red stars of the folder come first
    }

    private Task<(int Exit, string Out, string Err)> ClipSearchAsync(params string[] arguments) => CliProcess.RunAsync(Environment, arguments);

    public async Task DisposeAsync() => await _hub.DisposeAsync();

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }
}
