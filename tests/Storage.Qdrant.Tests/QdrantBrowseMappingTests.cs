using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;

namespace ClipSearch.Storage.Qdrant.Tests;

/// <summary>The requests browsing sends to Qdrant (no server here: the conformance suite runs the orders against one).</summary>
public sealed class QdrantBrowseMappingTests
{
    [Fact]
    public void Newest_DateField_IsADescendingOrderBy()
    {
        var order = QdrantBrowser.Newest(QdrantPayloads.TakenAt);
        Assert.Equal(("taken_at", Direction.Desc), (order.Key, order.Direction));
        Assert.Null(order.StartFrom);
    }

    [Fact]
    public void Dated_Filter_KeepsTheFilterAndAsksForTakenAtOrItsAbsence()
    {
        var png = QdrantFilters.ToQdrant(new FormatFilter(["png"]));
        var dated = QdrantBrowser.Dated(png, true);
        Assert.Equal(png, dated.Must.Single().Filter);
        Assert.Equal("taken_at", dated.MustNot.Single().IsEmpty.Key);

        var undated = QdrantBrowser.Dated(null, false);
        Assert.Equal("taken_at", undated.Must.Single().IsEmpty.Key);
        Assert.Empty(undated.MustNot);
    }

    [Fact]
    public void Near_TheNthDate_ReadsEveryPossibleTieWithinASecond()
    {
        var date = new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc).AddTicks(1234567);
        var near = QdrantBrowser.Near(null, QdrantPayloads.ModifiedAt, date);
        var range = near.Must.Single().Field;
        Assert.Equal("modified_at", range.Key);
        Assert.Equal(date - TimeSpan.FromSeconds(1), range.DatetimeRange.Gte.ToDateTime());
        Assert.Equal(date + TimeSpan.FromSeconds(1), range.DatetimeRange.Lte.ToDateTime());
    }

    [Theory]
    [InlineData(0, 10, 100, 10, 0, 0)]   // within the dated images
    [InlineData(95, 10, 100, 100, 0, 5)] // the last dated ones, then the first undated ones
    [InlineData(120, 10, 100, 100, 20, 30)] // past them: undated only (the dated are not read)
    [InlineData(0, 10, 0, 0, 0, 10)]     // none dated
    public void TakenSplit_Page_ReadsTheDatedThenTheUndatedItNeeds(int offset, int limit, long dated, int datedEnd, int undatedStart, int undatedEnd) =>
        Assert.Equal((datedEnd, undatedStart, undatedEnd), QdrantBrowser.TakenSplit(offset, limit, dated));
}
