using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

public sealed class FilterExpressionTests
{
    [Fact]
    public void Parse_EachCondition_BuildsTheMatchingFilter()
    {
        Assert.Equal(new FolderFilter("/photos/2020"), FilterExpression.Parse("folder:/photos/2020"));
        Assert.Equal(new FolderFilter("/my photos/trip"), FilterExpression.Parse("folder:\"/my photos/trip\""));
        var format = Assert.IsType<FormatFilter>(FilterExpression.Parse("format:JPG,png,tif"));
        Assert.Equal(["jpeg", "png", "tiff"], format.Formats);
        Assert.Equal(new RangeFilter(NumericField.Width, 1024, null), FilterExpression.Parse("width>=1024"));
        Assert.Equal(new RangeFilter(NumericField.Width, 1025, null), FilterExpression.Parse("width>1024"));
        Assert.Equal(new RangeFilter(NumericField.Height, null, 599), FilterExpression.Parse("height<600"));
        Assert.Equal(new RangeFilter(NumericField.SizeBytes, null, 5000), FilterExpression.Parse("size<=5000"));
        Assert.Equal(new RangeFilter(NumericField.Height, 480, 480), FilterExpression.Parse("height=480"));
        var day = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateRangeFilter(DateField.TakenAt, day, null), FilterExpression.Parse("taken>=2020-01-01"));
        Assert.Equal(new DateRangeFilter(DateField.ModifiedAt, null, day.AddTicks(-1)), FilterExpression.Parse("modified<2020-01-01T00:00:00Z"));
        var label = Assert.IsType<LabelFilter>(FilterExpression.Parse("label:animals=cat,dog>=0.3"));
        Assert.Equal(("animals", "cat|dog", 0.3f), (label.LabelSet, string.Join('|', label.Labels), label.MinScore!.Value));
    }

    [Fact]
    public void Parse_BooleanOperators_NotBindsTightestThenAndThenOr()
    {
        var filter = FilterExpression.Parse("format:png or not width<100 and folder:/a");
        var or = Assert.IsType<OrFilter>(filter);
        Assert.IsType<FormatFilter>(or.Filters[0]);
        var and = Assert.IsType<AndFilter>(or.Filters[1]);
        Assert.IsType<NotFilter>(and.Filters[0]);
        Assert.IsType<FolderFilter>(and.Filters[1]);

        var grouped = Assert.IsType<AndFilter>(FilterExpression.Parse("(format:png OR format:gif) AND width>=10"));
        Assert.IsType<OrFilter>(grouped.Filters[0]);
    }

    [Fact]
    public void Parse_Expression_MatchesPayloadsAsWritten()
    {
        var filter = FilterExpression.Parse("folder:/p/2020 and (format:jpeg or width>=4000) and not label:kind=screenshot");
        var photo = new ImagePayload { Root = "/p", Path = "2020/summer/a.jpg", Format = "jpeg", Width = 800 };
        Assert.True(filter.Matches(photo));
        Assert.False(filter.Matches(photo with { Path = "2021/a.jpg" }));
        Assert.False(filter.Matches(photo with { Format = "png" }));
        Assert.True(filter.Matches(photo with { Format = "png", Width = 4000 }));
        var labelled = photo with { Labels = new Dictionary<string, LabelAssignment> { ["kind"] = new("screenshot", 0.9f, "r", "photo", 0.1f) } };
        Assert.False(filter.Matches(labelled));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("colour:red", "unknown filter 'colour:'")]
    [InlineData("depth>3", "unknown field 'depth'")]
    [InlineData("width>=wide", "not a whole number")]
    [InlineData("taken>=yesterday", "ISO 8601")]
    [InlineData("format:png and", "ends where a condition was expected")]
    [InlineData("(format:png", "not closed")]
    [InlineData("format:png format:gif", "join conditions with 'and' or 'or'")]
    [InlineData("folder:\"/a", "not closed")]
    [InlineData("label:animals", "label:SET=LABEL")]
    [InlineData("label:a=b>=NaN", "'NaN' is not a score")]
    [InlineData("label:x=y>=1e999", "'1e999' is not a score")]
    [InlineData("label:x=y>=-Infinity", "'-Infinity' is not a score")]
    [InlineData("size<=1e309", "not a whole number")]
    [InlineData("width<=10 and width>=20 or width>=5 and width<=1", "")]
    public void Parse_Mistakes_AreRefusedWithAMessageNamingThem(string text, string message)
    {
        if (message.Length == 0)
        {
            Assert.NotNull(FilterExpression.Parse(text)); // contradictions are valid, they just match nothing
            return;
        }

        var e = Assert.Throws<FormatException>(() => FilterExpression.Parse(text));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
