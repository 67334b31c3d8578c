using ClipSearch.WebUi.State;

namespace ClipSearch.WebUi.Tests.Components;

/// <summary>The URL form of a search (shareable, bookmarkable) and the filter expression sent to the API.</summary>
public sealed class StateTests
{
    [Fact]
    public void SearchState_ThroughItsUrl_ComesBackEqual()
    {
        var state = new SearchState
        {
            Query = "red car & co",
            Collection = "photos",
            MinScore = 0.25f,
            Terms = [new SearchTerm(TermKind.Text, "beach", 2f), new SearchTerm(TermKind.Image, Guid.Empty.ToString(), 1f, false, "a b.jpg"),
                new SearchTerm(TermKind.Text, "people", 0.5f, Negative: true)],
            Filter = new FilterState { Folder = "/photos/my trip", Formats = ["jpeg", "png"], MinWidth = 800, TakenFrom = new DateOnly(2024, 1, 2) },
        };
        var url = state.ToUrl();
        Assert.StartsWith("/?q=red%20car%20%26%20co&", url);
        var back = SearchState.FromUrl("http://host" + url);
        Assert.Equal(state.Query, back.Query);
        Assert.Equal(state.Collection, back.Collection);
        Assert.Equal(state.MinScore, back.MinScore);
        Assert.Equal(state.Terms, back.Terms);
        Assert.Equal(state.Filter.ToExpression(), back.Filter.ToExpression());
    }

    [Fact]
    public void SearchState_HandEditedUrl_KeepsWhatParses()
    {
        var state = SearchState.FromUrl("http://host/?q=cat&min=banana&p=t:abc:x&p=t:1:dog&n=z:1:q&fmt=jpeg,exe&minw=-5");
        Assert.Equal("cat", state.Query);
        Assert.Equal(0, state.MinScore);
        Assert.Equal([new SearchTerm(TermKind.Text, "dog")], state.Terms);
        Assert.Equal("format:jpeg", state.Filter.ToExpression());
    }

    [Fact]
    public void SearchState_BrowseOrder_InTheUrlOnlyWhenNotTheDefault()
    {
        Assert.Equal("/?order=name", new SearchState { Order = "name" }.ToUrl());
        Assert.Equal("/", new SearchState { Order = "taken" }.ToUrl());
        Assert.Equal("modified", SearchState.FromUrl("http://host/?order=modified").Order);
        Assert.Null(SearchState.FromUrl("http://host/?order=random").Order);
    }

    [Fact]
    public void SearchState_ToRequest_SplitsTermsAndLeavesTheScoreToThePage()
    {
        var request = new SearchState { Query = " cat ", Terms = [new SearchTerm(TermKind.Upload, "u1"), new SearchTerm(TermKind.Text, "dog", 2, true)], MinScore = 0.5f }
            .ToRequest(48, 96);
        Assert.Equal("cat", request.Text);
        Assert.Equal("u1", Assert.Single(request.Positive!).UploadId);
        Assert.Equal(2, Assert.Single(request.Negative!).Weight);
        Assert.Null(request.MinScore);
        Assert.Equal((48, 96), (request.K, request.Offset));
    }

    [Fact]
    public void FilterState_AllFields_MakeOneExpressionTheApiParses()
    {
        var filter = new FilterState
        {
            Folder = "/photos/my \"best\" trip/",
            TakenFrom = new DateOnly(2024, 5, 1),
            TakenTo = new DateOnly(2024, 5, 31),
            Formats = ["jpeg", "png"],
            MinWidth = 1000,
            MinHeight = 500,
            LabelSet = "category",
            Label = "cat",
        };
        var expression = filter.ToExpression();
        Assert.Equal("folder:\"/photos/my \\\"best\\\" trip\" and taken>=2024-05-01 and taken<2024-06-01 and format:jpeg,png and width>=1000 and height>=500 and label:category=cat",
            expression);
        var parsed = Assert.IsType<Core.Index.AndFilter>(Core.Index.FilterExpression.Parse(expression!));
        Assert.Equal(7, parsed.Filters.Count);
        Assert.Contains(parsed.Filters, f => f is Core.Index.FolderFilter { Folder: "/photos/my \"best\" trip" });
        Assert.Null(new FilterState().ToExpression());
    }

    [Fact]
    public void LabelList_CommaSeparatedAndRepeated_AddsEachOnce()
    {
        var labels = new LabelList();
        Assert.Equal(3, labels.Add(" cat, dog ,bird,"));
        Assert.Equal(1, labels.Add("Dog\nfish"));
        Assert.Equal(["cat", "dog", "bird", "fish"], labels.Labels);
        Assert.True(labels.Remove("dog"));
        Assert.Equal(0, labels.Add(new string('x', 201)));
    }
}
