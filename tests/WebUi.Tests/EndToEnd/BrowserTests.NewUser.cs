using System.Globalization;
using ClipSearch.SearchApi.Tests;
using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>The defects a new user found in the web UI (issue 17 point 7), one test each.</summary>
public sealed partial class BrowserTests
{
    [SkippableFact]
    public async Task LabelChips_TypedAtFullSpeed_KeepsEveryCharacter()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/categorize");
        await ReadyAsync(page);
        // A server a little farther away than 127.0.0.1: every message to and from it takes 100 ms.
        var devtools = await page.Context.NewCDPSessionAsync(page);
        await devtools.SendAsync("Network.enable");
        await devtools.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 100, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });
        await page.Locator("[data-testid=label-input]").PressSequentiallyAsync("green, blue, purple cat, dog,", new() { Delay = 0 });
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToHaveCountAsync(4);
        Assert.Equal(["green", "blue", "purple cat", "dog"], await ChipsAsync(page));
        Assert.Equal("", await page.Locator("[data-testid=label-input]").InputValueAsync());

        // Enter ends a label too; Backspace in the empty box removes the last chip.
        await page.Locator("[data-testid=label-input]").PressSequentiallyAsync("bird", new() { Delay = 0 });
        await page.Locator("[data-testid=label-input]").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToHaveCountAsync(5);
        await page.Locator("[data-testid=label-input]").PressAsync("Backspace");
        await Assertions.Expect(page.Locator("[data-testid=chip]")).ToHaveCountAsync(4);
    }

    [SkippableFact]
    public async Task MoreLikeThis_OnAResult_LeavesTheImageItselfOut()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+purple+triangle.");
        var first = (await NamesAsync(page))[0];
        await page.Locator("[data-testid=more-like-this]").First.ClickAsync();
        await UrlAsync(page, "[?&]p=i%3A");
        await Assertions.Expect(page.Locator("[data-testid=name]").First).Not.ToHaveTextAsync(first);
        var names = await NamesAsync(page);
        Assert.DoesNotContain(first, names);
        Assert.Equal(IndexedPhotos.ClassOf(first), IndexedPhotos.ClassOf(names[0]));
    }

    [SkippableFact]
    public async Task ResultCount_SliderAtZero_HidesNothing()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        // The tiny model's scores go below 0 for the weakest results: a slider at 0 is off and hides none of them.
        await page.GotoAsync("/?q=a+photo+of+a+shape.&cut=none");
        await NamesAsync(page);
        await page.Locator("button.more").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync($"{servers.Photos.Files.Count} results in");
        Assert.Contains(await ScoresAsync(page), s => s < 0);
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).Not.ToContainTextAsync("hidden");
    }

    [SkippableFact]
    public async Task ShowMore_FetchesTheNextPageOfMatches_AndIsNotOfferedWhenTheRestIsUnderTheSlider()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+shape.&cut=none");
        await NamesAsync(page);
        var more = page.Locator("button.more");
        await more.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=name]")).ToHaveCountAsync(servers.Photos.Files.Count);
        await Assertions.Expect(more).ToHaveCountAsync(0); // every image is shown: nothing more to fetch

        // Results come best first: once the slider hides some, no further page can hold a match.
        await page.GotoAsync("/?q=a+photo+of+a+shape.&cut=none");
        await NamesAsync(page);
        var scores = await ScoresAsync(page);
        var slider = page.Locator("[data-testid=min-score]");
        await slider.FillAsync(scores[10].ToString("0.00", CultureInfo.InvariantCulture));
        await slider.DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync("hidden");
        await Assertions.Expect(more).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task FilterClear_KeepsThePanelOpen()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+shape.&fmt=png");
        await NamesAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("fmt="));
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" })).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task Detail_SmallImage_IsScaledUpToTheView()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/?q=a+photo+of+a+blue+circle.");
        await NamesAsync(page);
        await page.Locator(".card .thumb").First.ClickAsync();
        var image = page.Locator("[data-testid=detail] img.full");
        await Assertions.Expect(image).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('[data-testid=detail] img.full').complete");
        var natural = await image.EvaluateAsync<int>("i => i.naturalWidth");
        var box = (await image.BoundingBoxAsync())!;
        Assert.True(natural < 400, $"the test image is {natural} px wide");
        Assert.True(box.Width >= 400 || box.Height >= 400, $"a {natural} px wide image is shown {box.Width:0}x{box.Height:0}");
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "detail-small-image.png") });
    }

    [SkippableFact]
    public async Task QueryBox_PhoneWidth_TakesMostOfTheWidth()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync(375, 740);
        await page.GotoAsync("/");
        var box = (await page.Locator("#q").BoundingBoxAsync())!;
        Assert.True(box.Width >= 0.6 * 375, $"the query box is {box.Width:0} px wide on a 375 px screen");
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "search-phone.png") });
    }

    [SkippableFact]
    public async Task UploadImage_ShowsAPreviewOfTheUpload()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await ReadyAsync(page);
        await page.Locator("[data-testid=search-upload]").SetInputFilesAsync(servers.Photos.FileOf("cyan-square"));
        await UrlAsync(page, "[?&]p=u%3A");
        var preview = page.Locator("[data-testid=upload-preview]");
        await Assertions.Expect(preview).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=upload-preview]'); return i.complete && i.naturalWidth > 0; }");
    }

    [SkippableFact]
    public async Task CategorizeGallery_ClickingAThumbnail_OpensTheDetail()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/categorize");
        await ReadyAsync(page);
        await page.Locator("[data-testid=label-input]").FillAsync("red, green, blue,");
        await page.Locator("[data-testid=run]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=job-state]")).ToHaveAttributeAsync("data-state", "completed");
        await page.Locator("[data-testid=bar][data-label=green]").ClickAsync();
        var first = page.Locator("[data-testid=gallery] img").First;
        var name = await first.GetAttributeAsync("alt");
        await first.ClickAsync();
        var detail = page.Locator("[data-testid=detail]");
        await Assertions.Expect(detail.Locator("h2")).ToHaveTextAsync(name!);
        await Assertions.Expect(detail).ToBeFocusedAsync(); // the keys go to the dialog once it has rendered
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(detail).ToHaveCountAsync(0);
    }

    [SkippableFact]
    public async Task LabelFilter_OffersTheLabelSetsAndLabelsOfTheCollection()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        // Labels applied from the categorize page, under a label set of this test's own.
        var set = "ui" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("/categorize");
        await ReadyAsync(page);
        await page.Locator("[data-testid=label-input]").FillAsync("red, green, blue,");
        await page.Locator("[data-testid=run]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=job-state]")).ToHaveAttributeAsync("data-state", "completed");
        var greens = int.Parse((await page.Locator("[data-testid=bar][data-label=green]").GetAttributeAsync("data-count"))!, CultureInfo.InvariantCulture);
        await page.Locator("form.apply input").First.FillAsync(set);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply labels" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.ok")).ToContainTextAsync(set);

        await page.GotoAsync("/");
        await NamesAsync(page);
        await page.Locator(".filters summary").ClickAsync();
        await page.Locator("select[name=lset]").SelectOptionAsync(set);
        await Assertions.Expect(page.Locator("select[name=label] option[value=green]")).ToHaveTextAsync($"green ({greens})");
        await page.Locator("select[name=label]").SelectOptionAsync("green");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await UrlAsync(page, $"[?&]lset={set}&label=green");
        await Assertions.Expect(page.Locator("[data-testid=name]")).ToHaveCountAsync(greens);
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "label-filter.png") });
    }

    private static async Task<List<string>> ChipsAsync(IPage page) =>
        [.. (await page.Locator("[data-testid=chip]").AllInnerTextsAsync()).Select(c => c.TrimEnd('×').Trim())];
}
