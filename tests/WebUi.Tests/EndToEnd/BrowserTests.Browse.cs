using System.Net.Http.Json;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.SearchApi.Tests;
using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>The home page before any query: the collection itself, newest first, filtered, paged and re-ordered (issue 17 point 5).</summary>
public sealed partial class BrowserTests
{
    private async Task<List<string>> ApiOrderAsync(string query)
    {
        using var http = new HttpClient { BaseAddress = servers.Api };
        var answer = await http.GetFromJsonAsync<SearchResponse>($"/api/images?collection={IndexedPhotos.Collection}&k=1000&{query}");
        return [.. answer!.Hits.Select(h => Path.GetFileName(h.Path))];
    }

    [SkippableFact]
    public async Task Home_NoQuery_ShowsTheCollectionNewestFirstAndShowMorePagesOn()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        var expected = await ApiOrderAsync("sort=taken");
        Assert.Equal(expected.Take(48), await NamesAsync(page));
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync($"48 of {servers.Photos.Files.Count} images shown");
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "browse.png") });

        await page.Locator("button.more").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=name]")).ToHaveCountAsync(servers.Photos.Files.Count);
        Assert.Equal(expected, await NamesAsync(page));
        await Assertions.Expect(page.Locator("button.more")).ToHaveCountAsync(0);

        // A card opens the detail view, as a search result does.
        await page.Locator(".card .thumb").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=detail] h2")).ToHaveTextAsync(expected[0]);
    }

    [SkippableFact]
    public async Task Home_OrderAndFilter_ChangeTheGridAndTheUrl()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        await page.GotoAsync("/");
        await NamesAsync(page);
        await page.Locator("[data-testid=browse-order]").SelectOptionAsync("name");
        await UrlAsync(page, "[?&]order=name");
        var byName = (await ApiOrderAsync("sort=name")).Take(48).ToList();
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(byName[0]);
        Assert.Equal(byName, await NamesAsync(page));

        await page.Locator(".filters summary").ClickAsync();
        await page.Locator("label.check", new() { HasText = "png" }).Locator("input").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply filters" }).ClickAsync();
        await UrlAsync(page, "[?&]fmt=png");
        var pngs = (await ApiOrderAsync("sort=name&filter=format%3Apng")).Take(48).ToList();
        await Assertions.Expect(page.Locator("[data-testid=name]").First).ToHaveTextAsync(pngs[0]);
        Assert.Equal(pngs, await NamesAsync(page));
        Assert.All(pngs, n => Assert.EndsWith(".png", n, StringComparison.Ordinal));

        // Typing a query leaves the collection for the results.
        await page.Locator("#q").FillAsync("a photo of a red star.");
        await page.Locator("#q").PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=browse-bar]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=result-count]")).ToContainTextAsync(" ms");
        Assert.All(await NamesAsync(page), n => Assert.EndsWith(".png", n, StringComparison.Ordinal)); // the filter still applies
    }
}
