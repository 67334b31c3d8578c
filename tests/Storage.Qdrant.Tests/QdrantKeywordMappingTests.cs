using ClipSearch.Core.Index;
using Qdrant.Client.Grpc;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Qdrant.Tests;

/// <summary>Keyword search as Qdrant.Client 1.20 messages: the payload fields written and the condition built per term, without a server.</summary>
public sealed class QdrantKeywordMappingTests
{
    private static readonly ImagePayload Labelled = Payload("Trips/Été 2019/IMG_0042.jpg") with
    {
        Labels = new Dictionary<string, LabelAssignment> { ["animals"] = new("cat", 0.3f, "run", Also: [new("Sea Gull", 0.2f)]) },
    };

    [Fact]
    public void PointStruct_LabelledImage_WordsAndEveryPrefixOfThem()
    {
        var s = QdrantCollection.ToPointStruct(new VectorPoint(Guid.NewGuid(), AtAngle(0), Labelled));

        Assert.Equal(["trips", "ete", "2019", "img", "0042", "jpg", "cat", "sea", "gull"], Strings(s.Payload["words"]));
        Assert.Equal(
            ["t", "tr", "tri", "trip", "trips", "e", "et", "ete", "2", "20", "201", "2019", "i", "im", "img", "0", "00", "004", "0042",
             "j", "jp", "jpg", "c", "ca", "cat", "s", "se", "sea", "g", "gu", "gul", "gull"],
            Strings(s.Payload["word_prefixes"]));
        Assert.Equal(Labelled, QdrantPayloads.FromQdrant(s.Payload));
    }

    [Fact]
    public void Fields_WordLongerThanTheLongestPrefix_PrefixesStopThere()
    {
        var fields = QdrantKeywords.Fields(new ImagePayload { Path = "supercalifragilistic.png", Root = "/r" });

        Assert.Equal(["supercalifragilistic", "png"], Strings(fields["words"]));
        var prefixes = Strings(fields["word_prefixes"]);
        Assert.Equal(16 + 3, prefixes.Count);
        Assert.Contains("supercalifragili", prefixes);
        Assert.DoesNotContain("supercalifragilis", prefixes);
    }

    [Fact]
    public void TermFilter_EachKindOfTerm_OneKeywordMatchBesideTheFilter()
    {
        var whole = QdrantKeywords.TermFilter(new KeywordTerm("sea", Whole: true), null);
        Assert.Equal(("words", "sea"), (Assert.Single(whole.Must).Field.Key, whole.Must[0].Field.Match.Keyword));
        Assert.False(QdrantKeywords.NeedsCheck(new KeywordTerm("sea", Whole: true)));

        var prefix = QdrantKeywords.TermFilter(new KeywordTerm("beach", Whole: false), new FolderFilter("/photos/misc"));
        Assert.Equal(2, prefix.Must.Count);
        Assert.Equal(("word_prefixes", "beach"), (prefix.Must[0].Field.Key, prefix.Must[0].Field.Match.Keyword));
        Assert.Equal(("folders", "/photos/misc"), (prefix.Must[1].Field.Key, prefix.Must[1].Field.Match.Keyword));
        Assert.False(QdrantKeywords.NeedsCheck(new KeywordTerm("beach", Whole: false)));

        // Longer than the prefixes stored: the first 16 characters select, the hit's words decide.
        var longPrefix = new KeywordTerm("supercalifragilis", Whole: false);
        Assert.Equal("supercalifragili", Assert.Single(QdrantKeywords.TermFilter(longPrefix, null).Must).Field.Match.Keyword);
        Assert.True(QdrantKeywords.NeedsCheck(longPrefix));
        var longWhole = new KeywordTerm("supercalifragilistic", Whole: true);
        Assert.Equal(("words", "supercalifragilistic"), (QdrantKeywords.TermFilter(longWhole, null).Must[0].Field.Key, QdrantKeywords.TermFilter(longWhole, null).Must[0].Field.Match.Keyword));
        Assert.False(QdrantKeywords.NeedsCheck(longWhole));
    }

    [Fact]
    public void SetOperation_LabelWrite_RewritesOnlyTheKeywordFieldsOfThatPoint()
    {
        var id = Guid.NewGuid();
        var relabelled = QdrantCollection.WithLabel(Labelled, "scenes", new LabelAssignment("lighthouse", 0.3f, "run-2"));
        var op = QdrantKeywords.SetOperation(id, relabelled).SetPayload;

        Assert.False(op.HasKey);
        Assert.Equal(id.ToString("D"), Assert.Single(op.PointsSelector.Points.Ids).Uuid);
        Assert.Equal(["word_prefixes", "words"], op.Payload.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["trips", "ete", "2019", "img", "0042", "jpg", "cat", "sea", "gull", "lighthouse"], Strings(op.Payload["words"]));

        var cleared = QdrantCollection.WithLabel(relabelled, "animals", null);
        Assert.Equal(["trips", "ete", "2019", "img", "0042", "jpg", "lighthouse"], Strings(QdrantKeywords.SetOperation(id, cleared).SetPayload.Payload["words"]));
        Assert.Equal(["animals"], Labelled.Labels.Keys); // the payload written from is left as it was
    }

    [Fact]
    public void PointStruct_MetadataText_StoredAsAnObjectRoundTrippedAndInTheWords()
    {
        var text = new ImageText { Make = "Canon", Title = "Lisboa", Keywords = ["street art", "Portugal"] };
        var payload = Payload("a.jpg") with { Text = text };
        var s = QdrantCollection.ToPointStruct(new VectorPoint(Guid.NewGuid(), AtAngle(0), payload));

        var fields = s.Payload["text"].StructValue.Fields;
        Assert.Equal(["keywords", "make", "title"], fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(("Canon", "Lisboa"), (fields["make"].StringValue, fields["title"].StringValue));
        Assert.Equal(["street art", "Portugal"], Strings(fields["keywords"]));
        Assert.Equal(["a", "jpg", "canon", "lisboa", "street", "art", "portugal"], Strings(s.Payload["words"]));
        Assert.Equal(payload, QdrantPayloads.FromQdrant(s.Payload));
        Assert.Contains("text", QdrantKeywords.SourceFields().Include.Fields);
    }

    [Fact]
    public void Indexed_KeywordFields_HaveKeywordIndexes()
    {
        Assert.Contains(("words", PayloadSchemaType.Keyword), QdrantPayloads.Indexed);
        Assert.Contains(("word_prefixes", PayloadSchemaType.Keyword), QdrantPayloads.Indexed);
    }

    [Fact]
    public void PayloadWithoutWords_Reads_LeaveTheKeywordFieldsOnTheServer()
    {
        var selector = QdrantKeywords.PayloadWithoutWords();
        Assert.Equal(["words", "word_prefixes"], selector.Exclude.Fields);
    }

    private static List<string> Strings(Value list) => list.ListValue.Values.Select(v => v.StringValue).ToList();
}
