using ClipSearch.SearchApi.Tests;
using ClipSearch.Tests.Shared;
using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>
/// The whole product on 127.0.0.1: an indexed folder (the real indexer, the bundled model), SearchApi and WebUi
/// as processes started the documented way, and Debian's chromium driven by Playwright (never a downloaded browser).
/// </summary>
public sealed class UiServers : IAsyncLifetime, IDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    /// <summary>A collection of the index that another model filled.</summary>
    public const string OtherModelCollection = "vitb32";

    private ServerProcess? _api;
    private ServerProcess? _ui;
    private IPlaywright? _playwright;

    public IndexedPhotos Photos { get; } = new();

    public Uri Api { get; private set; } = null!;

    public Uri Ui { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Why the browser tests cannot run here, or null when they can.</summary>
    public static string? Unavailable => File.Exists(Chromium) ? null : $"{Chromium} is missing: ./test.sh installs Debian's chromium with apt (tools/apt-ensure.sh chromium).";

    /// <summary>Where the tests save screenshots (artifacts/screenshots in the checkout).</summary>
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(TestPaths.RepoRoot, "artifacts", "screenshots")).FullName;

    public async Task InitializeAsync()
    {
        if (Unavailable is not null)
        {
            return;
        }

        // A collection filled by another model, for the model-mismatch state.
        using (var store = new Storage.Embedded.EmbeddedVectorStore(new Storage.Embedded.EmbeddedStoreOptions { Path = Photos.Store }))
        {
            await store.CreateCollectionAsync(OtherModelCollection, "openai/clip-vit-base-patch32", 512);
        }

        _api = new ServerProcess(ServerProcess.ProjectAssembly("SearchApi", "ClipSearch.SearchApi.dll"), "--urls", "http://127.0.0.1:0",
            $"--ClipSearch:Index:Embedded:Path={Photos.Store}", $"--ClipSearch:Model={TestPaths.TinyClip}", "--ClipSearch:Device=cpu",
            $"--ClipSearch:DefaultCollection={IndexedPhotos.Collection}", "--ClipSearch:RequestsPerMinute=0",
            $"--ClipSearch:ThumbnailCache={Path.Combine(Photos.Root, "thumbnails")}");
        Api = await _api.ListeningAsync();
        _ui = StartUi(Api);
        Ui = await _ui.ListeningAsync();
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchAsync(_playwright);
    }

    /// <summary>Debian's chromium, headless.</summary>
    internal static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Chromium,
        Headless = true,
        // As root in a sandbox without network: no Chromium sandbox, no background connections.
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A web UI process talking to <paramref name="api"/>.</summary>
    internal static ServerProcess StartUi(Uri api) =>
        new(ServerProcess.ProjectAssembly("WebUi", "ClipSearch.WebUi.dll"), "--urls", "http://127.0.0.1:0", $"--ClipSearch:ApiUrl={api}");

    /// <summary>A fresh page (own context) on the web UI.</summary>
    public async Task<IPage> PageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = Ui.ToString(), ViewportSize = new() { Width = width, Height = height } });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Dispose();
    }

    public void Dispose()
    {
        _playwright?.Dispose();
        _playwright = null;
        _ui?.Dispose();
        _api?.Dispose();
        Photos.Dispose();
    }
}
