using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

public sealed class KeywordRankingTests
{
    [Fact]
    public void Top_EqualMatches_CanonicalUuidOrderThenLimit()
    {
        // Canonical order a < b < c; read as .NET's little-endian bytes the first byte runs c < b < a.
        var a = Guid.Parse("01000003-0000-4000-8000-000000000000");
        var b = Guid.Parse("02000002-0000-4000-8000-000000000000");
        var c = Guid.Parse("03000001-0000-4000-8000-000000000000");
        var matched = new Dictionary<Guid, int> { [c] = 1, [a] = 1, [b] = 2, [Guid.NewGuid()] = 0 };

        Assert.Equal([new KeywordHit(b, 2), new KeywordHit(a, 1), new KeywordHit(c, 1)], KeywordRanking.Top(matched, 10));
        Assert.Equal([new KeywordHit(b, 2), new KeywordHit(a, 1)], KeywordRanking.Top(matched, 2));
    }

    [Fact]
    public void DistinctTerms_TermRepeatedInAHandBuiltQuery_CountsOnce()
    {
        var query = new KeywordQuery([new("beach", false), new("sea", true), new("beach", false), new("beach", true)]);
        Assert.Equal([new KeywordTerm("beach", false), new KeywordTerm("sea", true), new KeywordTerm("beach", true)], KeywordRanking.DistinctTerms(query));
    }

    [Fact]
    public void IndexedWords_PathAndLabels_NormalisedOnceEach()
    {
        var payload = new ImagePayload
        {
            Path = "Été/Beach/beach-été.JPG",
            Root = "/photos",
            Labels = new Dictionary<string, LabelAssignment> { ["s"] = new("Beach", 0.3f, "r", Also: [new("sea", 0.2f)]), ["none"] = new("", 0.1f, "r") },
        };
        Assert.Equal(["ete", "beach", "jpg", "sea"], KeywordRanking.IndexedWords(payload));
    }

    [Theory]
    [InlineData(0, "beach", true)]
    [InlineData(VectorQuery.MaxK + 1, "beach", true)]
    [InlineData(VectorQuery.MaxK, "beach", false)]
    [InlineData(1, "Beach", true)]
    [InlineData(1, "été", true)]
    [InlineData(1, "a b", true)]
    [InlineData(1, "", true)]
    public void ValidateKeywordQuery_LimitAndTerms_RefusedAsInvalidRequest(int limit, string word, bool refused)
    {
        var query = new KeywordQuery([new KeywordTerm(word, Whole: false)], Limit: limit);
        var e = Record.Exception(() => VectorChecks.ValidateKeywordQuery(query));
        Assert.Equal(refused, e is VectorStoreException { Kind: VectorStoreErrorKind.InvalidRequest });
        Assert.Equal(refused, e is not null);
    }
}
