using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Tests.Storage;

/// <summary>Keyword search (<see cref="IKeywordSearchable"/>): expected hits are worked out by hand from the contract.</summary>
public abstract partial class VectorStoreConformanceTests
{
    /// <summary>
    /// Image n's id. Canonical UUID order is n's order, while the first byte read little-endian ((0x10 - n)) runs the other way,
    /// so a backend ordering ids by their .NET byte layout instead of their canonical form puts them in the wrong order.
    /// </summary>
    private static Guid KeywordId(int n) => new($"{n:x2}0000{0x10 - n:x2}-0000-4000-8000-000000000000");

    private static VectorPoint KeywordPoint(int n, string path, Dictionary<string, LabelAssignment>? labels = null, string format = "jpeg") =>
        new(KeywordId(n), AtAngle(n * 10), Payload(path, format: format) with { Labels = (IReadOnlyDictionary<string, LabelAssignment>?)labels ?? ImagePayload.NoLabels });

    /// <summary>
    /// Words (see KeywordQuery.Words): 1 trips beach 2019 img 0042 jpg; 2 trips beaches of spain sunset png; 3 ete plage jpg;
    /// 4 misc beachball jpg cat; 5 misc x jpg beach sea sky (labels: beach, and sea and sky as further labels); 6 sea img 0043 jpg.
    /// </summary>
    private static List<VectorPoint> KeywordFixture() =>
    [
        KeywordPoint(1, "Trips/Beach 2019/IMG_0042.jpg"),
        KeywordPoint(2, "Trips/Beaches of Spain/sunset.png", format: "png"),
        KeywordPoint(3, "Été/Plage.jpg"),
        KeywordPoint(4, "misc/beachball.jpg", new() { ["animals"] = new("cat", 0.3f, "run-1") }),
        KeywordPoint(5, "misc/x.jpg", new() { ["scenes"] = new("beach", 0.3f, "run-2", Also: [new("sea", 0.25f), new("sky", 0.2f)]) }),
        KeywordPoint(6, "Sea/IMG_0043.JPG"),
    ];

    public static TheoryData<string, string> KeywordCases() => new()
    {
        // query => expected "image:matched" hits, in order
        { "beach", "1:1 2:1 4:1 5:1" },                  // prefix: beach, beaches, beachball, the label beach
        { "\"beach\"", "1:1 5:1" },                       // quoted: whole words only
        { "Beach", "1:1 2:1 4:1 5:1" },                   // case does not matter
        { "sea", "5:1 6:1" },                             // under four letters: whole word (a further label, a folder)
        { "sky", "5:1" },                                 // a further label (Also)
        { "cat", "4:1" },                                 // a label name
        { "été", "3:1" },                                 // diacritics removed on both sides
        { "ETE", "3:1" },
        { "trips beach", "1:2 2:2 4:1 5:1" },             // most terms matched first, then id
        { "the beach", "1:1 2:1 4:1 5:1" },               // "the" is a filler word
        { "\"of\"", "2:1" },                              // ... but not in quotes
        { "img_0042", "1:2 6:1" },                        // img (whole) and 0042 (prefix)
        { "spai", "2:1" },                                // prefix of a folder word
        { "sunsets", "" },                                // a prefix longer than the word
        { "beach sea sky", "5:3 1:1 2:1 4:1 6:1" },
        { "zebra", "" },
    };

    [SkippableTheory]
    [MemberData(nameof(KeywordCases))]
    public async Task KeywordSearch_Query_ExpectedHitsInOrder(string text, string expected)
    {
        var (store, c) = await NewCollectionAsync("kw");
        using var _ = store;
        await c.UpsertAsync(KeywordFixture());

        Assert.Equal(expected, Format(await Keywords(c).KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse(text)))));
    }

    [SkippableFact]
    public async Task KeywordSearch_FilterAndLimit_AppliedAfterMatching()
    {
        var (store, c) = await NewCollectionAsync("kwf");
        using var _ = store;
        await c.UpsertAsync(KeywordFixture());
        var k = Keywords(c);

        Assert.Equal("2:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"), new FormatFilter(["png"])))));
        Assert.Equal("4:1 5:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"), new FolderFilter("/photos/misc")))));
        Assert.Equal("1:1 3:1 4:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("jpg"), Limit: 3))));
        Assert.Equal("5:3 1:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach sea sky"), Limit: 2))));
        Assert.Equal("5:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach"), new LabelFilter("scenes", ["sea"])))));
        // Every term at once: only the images that hold them all.
        Assert.Equal("5:3", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach sea sky"), All: true))));
        Assert.Equal("", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach sea sky"), new FormatFilter(["png"]), All: true))));
    }

    [SkippableFact]
    public async Task KeywordSearch_AfterUpsertRenameAndDelete_FollowsTheWrites()
    {
        var (store, c) = await NewCollectionAsync("kwu");
        using var _ = store;
        await c.UpsertAsync(KeywordFixture());
        var k = Keywords(c);

        // A moved file: the old point deleted, the new one upserted.
        await c.DeleteAsync([KeywordId(1)]);
        await c.UpsertAsync([KeywordPoint(7, "Trips/Dunes/IMG_0042.jpg")]);
        // The same point written again with another path.
        await c.UpsertAsync([KeywordPoint(3, "Été/Montagne.jpg")]);

        Assert.Equal("2:1 4:1 5:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("beach")))));
        Assert.Equal("7:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("dunes")))));
        Assert.Equal("", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("plage")))));
        Assert.Equal("3:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("montagne")))));

        Assert.Equal(2, await c.DeleteAsync(new FolderFilter("/photos/misc")));
        Assert.Equal("3:1 6:1 7:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("jpg")))));
        Assert.Equal("6:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("sea")))));
    }

    [SkippableFact]
    public async Task KeywordSearch_AfterLabelWritesAndClear_FindsTheCurrentLabels()
    {
        var (store, c) = await NewCollectionAsync("kwl");
        using var _ = store;
        await c.UpsertAsync(KeywordFixture());
        var k = Keywords(c);

        await c.SetLabelsAsync("scenes", [new(KeywordId(6), new LabelAssignment("lighthouse", 0.3f, "run-3", Also: [new("harbour", 0.2f)]))]);
        Assert.Equal("6:2", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("lighthouse harbour")))));
        Assert.Equal("5:1 6:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("sea")))));

        // A new label in the same set replaces the old one; another set's label stays.
        await c.SetLabelsAsync("scenes", [new(KeywordId(6), new LabelAssignment("pier", 0.3f, "run-4"))]);
        await c.SetLabelsAsync("animals", [new(KeywordId(6), new LabelAssignment("gull", 0.3f, "run-5"))]);
        Assert.Equal("", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("lighthouse harbour")))));
        Assert.Equal("6:2", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("pier gull")))));

        Assert.Equal(2, await c.ClearLabelsAsync("scenes"));
        Assert.Equal("6:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("pier gull")))));
        Assert.Equal("1:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("\"beach\"")))));
        Assert.Equal("6:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("sea")))));
        // The path stays searchable after its labels go.
        Assert.Equal("5:1", Format(await k.KeywordSearchAsync(new KeywordQuery([new KeywordTerm("x", Whole: true)]))));
    }

    [SkippableFact]
    public async Task KeywordSearch_MetadataText_RoundTrippedFoundAndKeptThroughLabelWrites()
    {
        var (store, c) = await NewCollectionAsync("kwt");
        using var _ = store;
        var text = new ImageText { Make = "Canon", Model = "EOS 5D Mark IV", Title = "Sunset over Lisboa", Description = "Tram 28, Alfama", Keywords = ["Portugal", "street art"] };
        var point = KeywordPoint(2, "DCIM/IMG_0001.JPG") with { Payload = Payload("DCIM/IMG_0001.JPG") with { Text = text } };
        await c.UpsertAsync([point, KeywordPoint(1, "DCIM/IMG_0002.JPG"), KeywordPoint(3, "Portugal/x.jpg")]);
        var k = Keywords(c);

        Assert.Equal(text, (await c.GetAsync(KeywordId(2)))!.Payload.Text);
        Assert.Null((await c.GetAsync(KeywordId(1)))!.Payload.Text);
        Assert.Equal("2:3", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("canon lisbo alfama")))));
        Assert.Equal("2:1 3:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("portugal")))));
        Assert.Equal("2:2", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("street \"mark\"")))));

        await c.SetLabelsAsync("scenes", [new(KeywordId(2), new LabelAssignment("harbour", 0.3f, "run"))]);
        Assert.Equal("2:2", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("canon harbour")))));
        await c.ClearLabelsAsync("scenes");
        Assert.Equal("2:1", Format(await k.KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("canon harbour")))));
        Assert.Equal(text, (await c.GetAsync(KeywordId(2)))!.Payload.Text);
    }

    [SkippableFact]
    public async Task KeywordSearch_WordsThatAreQuerySyntaxElsewhere_MatchedAsWords()
    {
        var (store, c) = await NewCollectionAsync("kws");
        using var _ = store;
        await c.UpsertAsync([KeywordPoint(1, "Salt AND pepper/not NEAR*.jpg"), KeywordPoint(2, "or.jpg")]);

        Assert.Equal("1:3", Format(await Keywords(c).KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("\"and\" not near")))));
        Assert.Equal("2:1", Format(await Keywords(c).KeywordSearchAsync(new KeywordQuery(KeywordQuery.Parse("\"or\"")))));
    }

    public static TheoryData<string> InvalidKeywordQueries() => ["no terms", "limit 0", "limit above max", "upper-case term", "two words in a term"];

    [SkippableTheory]
    [MemberData(nameof(InvalidKeywordQueries))]
    public async Task KeywordSearch_InvalidQuery_RefusedAsInvalidRequest(string which)
    {
        var (store, c) = await NewCollectionAsync("kwi");
        using var _ = store;
        var beach = KeywordQuery.Parse("beach");
        var query = which switch
        {
            "no terms" => new KeywordQuery(KeywordQuery.Parse("the of")),
            "limit 0" => new KeywordQuery(beach, Limit: 0),
            "limit above max" => new KeywordQuery(beach, Limit: VectorQuery.MaxK + 1),
            "upper-case term" => new KeywordQuery([new KeywordTerm("Beach", Whole: false)]),
            "two words in a term" => new KeywordQuery([new KeywordTerm("beach ball", Whole: true)]),
            _ => throw new ArgumentOutOfRangeException(nameof(which)),
        };

        var e = await Assert.ThrowsAsync<VectorStoreException>(() => Keywords(c).KeywordSearchAsync(query));
        Assert.Equal(VectorStoreErrorKind.InvalidRequest, e.Kind);
    }

    private static IKeywordSearchable Keywords(IVectorCollection c) => Assert.IsAssignableFrom<IKeywordSearchable>(c);

    /// <summary>Hits as "n:matched" (n from <see cref="KeywordId"/>), space-separated.</summary>
    private static string Format(IReadOnlyList<KeywordHit> hits) =>
        string.Join(' ', hits.Select(h => $"{Enumerable.Range(1, 15).Single(n => KeywordId(n) == h.Id)}:{h.Matched}"));
}
