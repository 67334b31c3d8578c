using Microsoft.Playwright;

namespace ClipSearch.WebUi.Tests.EndToEnd;

/// <summary>Results people trust (issue 17): the cut-off, the order, keyword + semantic search, paging and diversity, as a person uses them.</summary>
public sealed partial class BrowserTests
{
    [SkippableFact]
    public async Task Results_CutOrderKeywordPagingAndDiversity_AsAPersonUsesThem()
    {
        Skip.If(UiServers.Unavailable is not null, UiServers.Unavailable);
        var page = await servers.PageAsync();
        var count = page.Locator("[data-testid=result-count]");
        await page.GotoAsync("/");
        await ReadyAsync(page);

        // A query shows its strong matches only; the weaker results are counted behind one click.
        await page.Locator("#q").FillAsync("a photo of a red star.");
        await page.Locator("#q").PressAsync("Enter");
        await Assertions.Expect(count).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ match(es)?, \d+ weaker not shown in \d+ ms$"));
        var strong = await NamesAsync(page);
        var redStars = servers.Photos.Files.Count(f => Path.GetFileName(f).StartsWith("red-star", StringComparison.Ordinal));
        Assert.Equal(redStars, strong.Count);
        Assert.All(strong, n => Assert.StartsWith("red-star", n, StringComparison.Ordinal));
        await Assertions.Expect(count).ToContainTextAsync($"{servers.Photos.Files.Count - redStars} weaker not shown");

        // Ordered by date: the same matches, the order in the address.
        await page.Locator("[data-testid=sort]").SelectOptionAsync("modified");
        await UrlAsync(page, "[?&]sort=modified");
        await Assertions.Expect(count).ToContainTextAsync("weaker not shown");
        Assert.Equal(strong.Order(StringComparer.Ordinal), (await NamesAsync(page)).Order(StringComparer.Ordinal));

        // A folder name the model knows nothing of ("warm"): its images are found by their words, page after page.
        await page.Locator("#q").FillAsync("warm");
        await page.Locator("#q").PressAsync("Enter");
        await UrlAsync(page, "[?&]q=warm");
        await page.Locator("[data-testid=sort]").SelectOptionAsync("score");
        await Assertions.Expect(page.Locator("[data-testid=matched-by]").First).ToBeVisibleAsync();
        var warm = servers.Photos.Files.Where(f => f.Contains("/warm/", StringComparison.Ordinal)).Select(Path.GetFileName).ToHashSet();
        var more = page.Locator("button.more");
        while (await more.CountAsync() > 0)
        {
            var before = await page.Locator("[data-testid=name]").CountAsync();
            await more.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=name]")).Not.ToHaveCountAsync(before);
        }

        var found = await NamesAsync(page);
        Assert.Equal(found.Count, found.Distinct().Count()); // pages never overlap
        Assert.Subset(found.ToHashSet(), warm!);
        await page.ScreenshotAsync(new() { Path = Path.Combine(UiServers.Screenshots, "search-keywords.png") });

        // Diversity on: the address says so and the results come again.
        await page.Locator("[data-testid=diversity]").CheckAsync();
        await UrlAsync(page, "[?&]div=1");
        await Assertions.Expect(count).ToContainTextAsync(" ms");
        Assert.NotEmpty(await NamesAsync(page));

        // One click shows the weaker results too.
        await page.Locator("#q").FillAsync("a photo of a red star.");
        await page.Locator("#q").PressAsync("Enter");
        await page.Locator("[data-testid=show-weaker]").ClickAsync();
        await UrlAsync(page, "[?&]cut=none");
        await Assertions.Expect(count).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ results in \d+ ms$"));
        Assert.True((await NamesAsync(page)).Count > redStars);
    }
}
