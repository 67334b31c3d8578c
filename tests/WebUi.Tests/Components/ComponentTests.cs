using Bunit;
using ClipSearch.SearchApi.Contracts;
using ClipSearch.WebUi.Components.Categorize;
using ClipSearch.WebUi.Components.Search;
using ClipSearch.WebUi.State;

namespace ClipSearch.WebUi.Tests.Components;

/// <summary>bUnit tests of the components with logic: query editor, label chips, distribution chart, filter panel.</summary>
public sealed class ComponentTests : BunitContext
{
    [Fact]
    public void QueryEditor_AddToggleWeightRemove_ReportsTheNewTerms()
    {
        IReadOnlyList<SearchTerm> terms = [new SearchTerm(TermKind.Image, Guid.Empty.ToString(), 1f, false, "beach.jpg")];
        var cut = Render<QueryEditor>(p => p.Add(c => c.Terms, terms).Add(c => c.TermsChanged, t => terms = t));

        cut.Find("#term-text").Input("people");
        cut.FindAll(".term-add button")[1].Click(); // − exclude
        Assert.Equal(new SearchTerm(TermKind.Text, "people", 1f, Negative: true), terms[1]);

        cut.Render(p => p.Add(c => c.Terms, terms));
        cut.FindAll(".term input[type=number]")[0].Change("2.5");
        Assert.Equal(2.5f, terms[0].Weight);
        cut.Render(p => p.Add(c => c.Terms, terms));
        cut.FindAll(".term input[type=number]")[0].Change("-3"); // refused: weights are positive
        Assert.Equal(2.5f, terms[0].Weight);

        cut.FindAll(".term .sign")[1].Click();
        Assert.False(terms[1].Negative);
        cut.Render(p => p.Add(c => c.Terms, terms));
        cut.FindAll(".term .remove")[0].Click();
        Assert.Equal([new SearchTerm(TermKind.Text, "people")], terms);
        Assert.Contains("image beach.jpg", cut.Markup);
    }

    [Fact]
    public void QueryEditor_EnterInTheBox_AddsATextTerm()
    {
        IReadOnlyList<SearchTerm> terms = [];
        var cut = Render<QueryEditor>(p => p.Add(c => c.TermsChanged, t => terms = t));
        cut.Find("#term-text").Input("snow");
        cut.Find("#term-text").KeyDown("Enter");
        Assert.Equal([new SearchTerm(TermKind.Text, "snow")], terms);
    }

    [Fact]
    public void ProbabilityBars_SigmoidModel_SaysTheProbabilitiesAreIndependent()
    {
        var result = new ClassifyResponse([new LabelProbability("cat", 0.92f, 0.31f), new LabelProbability("dog", 0.71f, 0.27f)], "cat", 3);

        var sigmoid = Render<ProbabilityBars>(p => p.Add(c => c.Result, result).Add(c => c.Independent, true));
        var softmax = Render<ProbabilityBars>(p => p.Add(c => c.Result, result));

        Assert.Contains("need not add up to 100%", sigmoid.Find("[data-testid=independent]").TextContent, StringComparison.Ordinal);
        Assert.Empty(softmax.FindAll("[data-testid=independent]"));
        Assert.Equal(2, sigmoid.FindAll("[data-testid=probability]").Count);
        Assert.Contains("92.0%", sigmoid.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LabelChips_FinishedLabelsFromTheBrowser_BecomeChipsThatCanBeRemoved()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var labels = new LabelList();
        var changes = 0;
        var cut = Render<LabelChips>(p => p.Add(c => c.Labels, labels).Add(c => c.OnChanged, () => changes++));
        Assert.Single(JSInterop.Invocations, i => i.Identifier == "clipsearch.chipInput"); // the box is edited in the browser

        await cut.InvokeAsync(() => cut.Instance.AddLabelsAsync("cat, dog")); // what the browser sends before the last comma
        await cut.InvokeAsync(() => cut.Instance.AddLabelsAsync("bird"));     // Enter
        Assert.Equal(["cat", "dog", "bird"], labels.Labels);
        Assert.Equal(3, cut.FindAll("[data-testid=chip]").Count);

        cut.Find("button[aria-label='Remove label dog']").Click();
        Assert.Equal(["cat", "bird"], labels.Labels);
        await cut.InvokeAsync(cut.Instance.RemoveLastAsync); // Backspace in the empty box
        Assert.Equal(["cat"], labels.Labels);
        Assert.Equal(4, changes);
    }

    [Fact]
    public void DistributionChart_Rows_DrawsBarsToScaleWithCountsAndShares()
    {
        string? selected = null;
        IReadOnlyList<LabelCount> rows = [new("cat", 30, 0.6), new("dog", 15, 0.3), new("", 5, 0.1)];
        var cut = Render<DistributionChart>(p => p.Add(c => c.Rows, rows).Add(c => c.OnSelect, l => selected = l));

        var bars = cut.FindAll("[data-testid=bar]");
        Assert.Equal(3, bars.Count);
        Assert.Equal(["100", "50", "16.67"], cut.FindAll("rect").Select(r => r.GetAttribute("width")));
        Assert.Contains("30 · 60.0%", bars[0].TextContent);
        Assert.Contains("none of these", bars[2].TextContent);
        bars[1].Click();
        Assert.Equal("dog", selected);
    }

    [Fact]
    public void FilterPanel_FieldsApplied_GiveTheFilterAndClearEmptiesIt()
    {
        FilterState? applied = null;
        List<LabelSetSummary> sets = [new("category", 12, [new("dog", 7, 7 / 12.0), new("cat", 5, 5 / 12.0)])];
        var cut = Render<FilterPanel>(p => p.Add(c => c.Value, new FilterState()).Add(c => c.ValueChanged, f => applied = f).Add(c => c.LabelSets, sets));
        Assert.Equal(["", "category"], cut.FindAll("select[name=lset] option").Select(o => o.GetAttribute("value")));
        cut.Find("input[name=folder]").Change("/photos/2024");
        cut.Find("input[name=minw]").Change("1200");
        cut.FindAll("input[type=checkbox]")[1].Change(true); // png
        cut.Find("select[name=lset]").Change("category");
        Assert.Equal(["any", "dog (7)", "cat (5)"], cut.FindAll("select[name=label] option").Select(o => o.TextContent));
        cut.Find("select[name=label]").Change("cat");
        cut.Find("form").Submit();
        Assert.Equal("folder:/photos/2024 and format:png and width>=1200 and label:category=cat", applied!.ToExpression());

        cut.Render(p => p.Add(c => c.Value, applied));
        cut.FindAll(".filter-actions button")[1].Click();
        Assert.True(applied.IsEmpty);
    }
}
