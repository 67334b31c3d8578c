using System.Globalization;
using ClipSearch.SearchApi.Tests;
using ClipSearch.Tests.Shared;
using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>The web UI in a real browser against the real API and index: what a user does, checked on the page.</summary>
public sealed partial class BrowserTests(UiServers servers) : IClassFixture<UiServers>
{
    private static readonly string[] SomeColours = ["red", "green", "blue", "yellow"];

    private static async Task<List<string>> NamesAsync(IPage page)
    {
        await page.Locator("[data-testid=name]").First.WaitForAsync();
        return [.. await page.Locator("[data-testid=name]").AllTextContentsAsync()];
    }

    /// <summary>
    /// Waits until the page's address matches: polled, because Blazor changes it in the page (history API) and
    /// Playwright's WaitForURL then also waits for a load event that may never come.
    /// </summary>
    private static Task UrlAsync(IPage page, string pattern) => Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(pattern));

    /// <summary>Waits until the page's image input is wired (the interactive page has connected and rendered).</summary>
    private static Task ReadyAsync(IPage page) => page.Locator(".drop[data-ready=true]").First.WaitForAsync();

    /// <summary>
    /// The names of a search's results, once they replaced what the page showed before (the collection, without a query,
    /// or another search's results: the address changes before the new results arrive).
    /// </summary>
    private static async Task<List<string>> ResultNamesAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync(Counted);
        return await NamesAsync(page);
    }

    /// <summary>A search's count line: "N results in T ms", or with the cut-off "N matches, M weaker not shown in T ms".</summary>
    private static readonly System.Text.RegularExpressions.Regex Counted = new(@"^\d+ (results?|match(es)?)\b.* in \d+ ms$");

    private static async Task<List<float>> ScoresAsync(IPage page) =>
        [.. (await page.Locator("[data-testid=score]").AllTextContentsAsync()).Select(s => float.Parse(s, CultureInfo.InvariantCulture))];

    [SkippableFact]
    public async Task TextSearch_FromTheUrl_ShowsTheExpectedImagesFirst()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+red+star.");
        var names = await NamesAsync(page);
        Assert.All(names.Take(3), n => Assert.StartsWith("red-star", n, StringComparison.Ordinal));
        Assert.Equal("a photo of a red star.", await page.InputValueAsync("#q"));
        // Only the strong matches by default, the weaker ones counted.
        Assert.Matches(@"^\d+ match(es)?, \d+ weaker not shown in \d+ ms$", await page.TextContentAsync("[data-testid=result-count]"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "search.png") });
    }

    [SkippableFact]
    public async Task TextSearch_MultilingualTextTowerOverATinyClipIndex_FindsTheShapesNamedInFrenchAndChinese()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        // A second API and UI over the same index (filled by models/tiny-clip), serving the multilingual text tower alone.
        using var api = new ServerProcess(ServerProcess.ProjectAssembly("SearchApi", "ClipSearch.SearchApi.dll"), "--urls", "http://127.0.0.1:0",
            $"--ClipSearch:Index:Embedded:Path={servers.Photos.Store}", $"--ClipSearch:Model={TestPaths.TinyClipMultilingual}", "--ClipSearch:Device=cpu",
            $"--ClipSearch:DefaultCollection={IndexedPhotos.Collection}", "--ClipSearch:RequestsPerMinute=0",
            $"--ClipSearch:ThumbnailCache={Path.Combine(servers.Photos.Root, "thumbnails-multilingual")}");
        using var ui = UiServers.StartUi(await api.ListeningAsync());
        var address = await ui.ListeningAsync();
        var context = await servers.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = address.ToString() });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();

        foreach (var (query, expected) in new[] { ("une étoile jaune", "yellow-star"), ("黄色的星星", "yellow-star"), ("ein blauer Kreis", "blue-circle") })
        {
            await page.GotoAsync("/?q=" + Uri.EscapeDataString(query));
            await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^" + expected));
            Assert.All((await NamesAsync(page)).Take(3), n => Assert.StartsWith(expected, n, StringComparison.Ordinal));
        }

        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "search-multilingual.png") });
        await context.DisposeAsync();
    }

    [SkippableFact]
    public async Task SiglipModel_SearchShowsProbabilities_AndCategorizeGivesSeveralLabelsPerImage()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        // A second API and UI serving models/tiny-siglip over the same photos indexed with it.
        var store = Path.Combine(servers.Photos.Root, "store-siglip");
        await IndexedPhotos.IndexFolderAsync(servers.Photos.Photos, store, IndexedPhotos.Collection, TestPaths.TinySiglip);
        using var api = new ServerProcess(ServerProcess.ProjectAssembly("SearchApi", "ClipSearch.SearchApi.dll"), "--urls", "http://127.0.0.1:0",
            $"--ClipSearch:Index:Embedded:Path={store}", $"--ClipSearch:Model={TestPaths.TinySiglip}", "--ClipSearch:Device=cpu",
            $"--ClipSearch:DefaultCollection={IndexedPhotos.Collection}", "--ClipSearch:RequestsPerMinute=0",
            $"--ClipSearch:ThumbnailCache={Path.Combine(servers.Photos.Root, "thumbnails-siglip")}");
        using var ui = UiServers.StartUi(await api.ListeningAsync());
        var context = await servers.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = (await ui.ListeningAsync()).ToString() });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();

        // Search: a text query's scores are the model's probabilities that the text describes each image.
        await page.GotoAsync("/?q=" + Uri.EscapeDataString("red star"));
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^red-star"));
        await Assertions.Expect(page.Locator("[data-testid=model-family]")).ToContainTextAsync("SigLIP model: a text query's scores are probabilities");
        var best = page.Locator("[data-testid=score]").First;
        Assert.True(float.Parse((await best.GetAttributeAsync("data-probability"))!, CultureInfo.InvariantCulture) > 0.5f);
        Assert.EndsWith("%", await best.TextContentAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "search-siglip.png") });

        // Categorize with several labels per image: a red star is both "red star" and "a star that is red".
        await page.GotoAsync("/categorize");
        await page.Locator("[data-testid=label-input]").FillAsync("red star, a star that is red, blue circle,");
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToHaveCountAsync(3);
        await page.Locator("[data-testid=multi-label]").CheckAsync();
        await page.Locator("[data-testid=run]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=job-state]")).ToHaveAttributeAsync("data-state", "completed");
        await Assertions.Expect(page.Locator("p.hint")).ToContainTextAsync("an image counts under each label it got");
        var redStars = servers.Photos.Files.Count(f => IndexedPhotos.ClassOf(f) == "red-star");
        await page.Locator("[data-testid=bar][data-label='a star that is red']").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=gallery] img")).ToHaveCountAsync(redStars);
        await Assertions.Expect(page.Locator("[data-testid=gallery] [data-testid=also]")).ToHaveCountAsync(redStars);
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "categorize-multi-label.png"), FullPage = true });
        await context.DisposeAsync();
    }

    [SkippableFact]
    public async Task TextSearch_Typed_PutsTheQueryInTheUrlAndBackWorks()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await page.Locator("#q").FillAsync("a photo of a green circle.");
        await page.Locator("#q").PressAsync("Enter");
        await UrlAsync(page, "[?&]q=a%20photo%20of%20a%20green%20circle\\.");
        Assert.StartsWith("green-circle", (await ResultNamesAsync(page))[0], StringComparison.Ordinal);

        await page.Locator("#q").FillAsync("a photo of a yellow square.");
        await page.Locator("#q").PressAsync("Enter");
        await UrlAsync(page, "yellow");
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^yellow-square"));
        await page.GoBackAsync();
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^green-circle"));
    }

    [SkippableFact]
    public async Task UploadImage_FindsItAtRankOne()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await ReadyAsync(page);
        await NamesAsync(page); // the collection is shown: the page has loaded
        var file = servers.Photos.FileOf("cyan-square");
        await page.Locator("[data-testid=search-upload]").SetInputFilesAsync(file);
        await UrlAsync(page, "[?&]p=u%3A");
        Assert.Equal(Path.GetFileName(file), (await ResultNamesAsync(page))[0]);
        Assert.InRange((await ScoresAsync(page))[0], 0.999f, 1.001f);
    }

    [SkippableFact]
    public async Task Filter_Format_NarrowsTheResults()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+shape.");
        var before = (await NamesAsync(page)).Count;
        await page.Locator(".filters summary").ClickAsync();
        await page.Locator("label.check", new() { HasText = "png" }).Locator("input").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await UrlAsync(page, "[?&]fmt=png");
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"\.png$"));
        var names = await NamesAsync(page);
        Assert.All(names, n => Assert.EndsWith(".png", n, StringComparison.Ordinal));
        Assert.True(names.Count < before, $"{names.Count} results with the filter, {before} without");
    }

    [SkippableFact]
    public async Task ScoreSlider_Raised_HidesLowScores()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+blue+star.&cut=none");
        await NamesAsync(page);
        var scores = await ScoresAsync(page);
        var cut = scores[5];
        var slider = page.Locator("[data-testid=min-score]");
        await slider.FillAsync(cut.ToString("0.00", CultureInfo.InvariantCulture));
        await slider.DispatchEventAsync("change"); // as releasing the handle does
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync("hidden");
        var shown = await ScoresAsync(page);
        Assert.All(shown, s => Assert.True(s >= MathF.Round(cut, 2) - 1e-6f, $"{s} shown under {cut:0.00}"));
        Assert.True(shown.Count < scores.Count);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("[?&]min=0\\.\\d+"));
    }

    [SkippableFact]
    public async Task Detail_OpenedFromAResult_ShowsTheImageAndStepsWithTheKeyboard()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+an+orange+circle.");
        var names = await ResultNamesAsync(page); // the interactive page's results, not the first render's
        await page.Locator(".card .thumb").First.ClickAsync();
        var detail = page.Locator("[data-testid=detail]");
        await Assertions.Expect(detail.Locator("h2")).ToHaveTextAsync(names[0]);
        await Assertions.Expect(detail.Locator(".neighbours img").First).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(detail.Locator("h2")).ToHaveTextAsync(names[1]);
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(detail).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task Categorize_Collection_ShowsTheDistributionAndExports()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/categorize");
        await page.Locator("[data-testid=label-input]").FillAsync("red, orange, yellow, green, cyan, blue, purple, pink,");
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToHaveCountAsync(8);
        await page.Locator("[data-testid=run]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=job-state]")).ToHaveAttributeAsync("data-state", "completed");
        var bars = page.Locator("[data-testid=bar]");
        await Assertions.Expect(bars.First).ToBeVisibleAsync();
        var counts = new Dictionary<string, int>();
        foreach (var bar in await bars.AllAsync())
        {
            counts[(await bar.GetAttributeAsync("data-label"))!] = int.Parse((await bar.GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
        }

        Assert.Equal(servers.Photos.Files.Count, counts.Values.Sum());
        Assert.All(SomeColours, c => Assert.InRange(counts.GetValueOrDefault(c), 10, 14)); // 12 of each colour

        await page.Locator("[data-testid=bar][data-label=red]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=gallery] img")).ToHaveCountAsync(counts["red"]);
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "categorize.png"), FullPage = true });

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-csv]").ClickAsync());
        var saved = Path.Combine(servers.Photos.Root, "export.csv");
        await download.SaveAsAsync(saved);
        var lines = await File.ReadAllLinesAsync(saved);
        Assert.Equal("id,path,label,score,runner_up,runner_up_score", lines[0]);
        Assert.Equal(servers.Photos.Files.Count, lines.Length - 1);
    }

    [SkippableFact]
    public async Task Classify_OneDroppedImage_ShowsABarPerLabel()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/categorize");
        await page.Locator("[data-testid=label-input]").FillAsync("red, green, blue,");
        await ReadyAsync(page);
        await page.Locator("[data-testid=classify-upload]").SetInputFilesAsync(servers.Photos.FileOf("green-star"));
        await Assertions.Expect(page.Locator("[data-testid=probability]")).ToHaveCountAsync(3);
        Assert.Equal("green", await page.Locator("[data-testid=probability]").First.GetAttributeAsync("data-label"));
        // The page names the model's family and what its probabilities mean (CLIP: shares among the labels typed).
        await Assertions.Expect(page.Locator("[data-testid=model-family]")).ToContainTextAsync("CLIP: labels compete");
        await Assertions.Expect(page.Locator("[data-testid=independent]")).ToHaveCountAsync(0);
        Assert.Equal("none", await page.Locator("[data-testid=min-probability]").GetAttributeAsync("placeholder"));
    }

    [SkippableFact]
    public async Task BadUpload_NotAnImage_SaysWhy()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await ReadyAsync(page);
        await page.Locator("[data-testid=search-upload]").SetInputFilesAsync(new FilePayload { Name = "notes.jpg", MimeType = "image/jpeg", Buffer = "hello"u8.ToArray() });
        await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("not an image");
    }

    [SkippableFact]
    public async Task PasteImage_FromTheClipboard_SearchesWithIt()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await ReadyAsync(page);
        await NamesAsync(page); // the collection is shown: the page has loaded
        var file = servers.Photos.FileOf("orange-triangle");
        // What Ctrl+V of a copied image delivers: a paste event whose clipboard data holds the image file.
        await page.EvaluateAsync(@"([b64, name]) => {
            const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], name, { type: name.endsWith('.png') ? 'image/png' : 'image/jpeg' }));
            document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true }));
        }", new object[] { Convert.ToBase64String(await File.ReadAllBytesAsync(file)), Path.GetFileName(file) });
        await UrlAsync(page, "[?&]p=u%3A");
        Assert.Equal(Path.GetFileName(file), (await ResultNamesAsync(page))[0]);
    }

    [SkippableFact]
    public async Task CollectionOfAnotherModel_ShowsTheModelMismatch()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync($"/?q=a+cat&c={UiServers.OtherModelCollection}");
        var error = page.Locator("[data-testid=error]");
        await Assertions.Expect(error).ToContainTextAsync("Model mismatch");
        await Assertions.Expect(error).ToContainTextAsync("openai/clip-vit-base-patch32");
        Assert.Equal(1, await page.Locator($"#collection option[value={UiServers.OtherModelCollection}][disabled]").CountAsync());
    }

    [SkippableFact]
    public async Task Page_PhoneWidth_StillSearches()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync(390, 844);
        await page.GotoAsync("/?q=a+photo+of+a+pink+square.");
        Assert.StartsWith("pink-square", (await NamesAsync(page))[0], StringComparison.Ordinal);
        var width = await page.EvaluateAsync<int>("document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"the page is {width} px wide on a 390 px screen");
    }

    [SkippableFact]
    public async Task ApiUnreachable_ShowsTheErrorState()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        using var ui = UiServers.StartUi(new Uri("http://127.0.0.1:9")); // discard port: nothing listens
        var address = await ui.ListeningAsync();
        var context = await servers.Browser.NewContextAsync(new() { BaseURL = address.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/?q=anything");
        await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("cannot be reached", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeVisibleAsync();
    }
}
