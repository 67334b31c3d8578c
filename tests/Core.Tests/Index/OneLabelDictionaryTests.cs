using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

/// <summary>The one-set label map answers as a one-entry ordinal dictionary does, and a payload holding it equals one holding that.</summary>
public sealed class OneLabelDictionaryTests
{
    private static readonly LabelAssignment Cat = new("cat", 0.3f, "r1", "dog", 0.2f);

    [Fact]
    public void Lookups_AnswerAsAOneEntryOrdinalDictionary()
    {
        var one = new OneLabelDictionary("animals", Cat);
        var reference = new Dictionary<string, LabelAssignment>(StringComparer.Ordinal) { ["animals"] = Cat };

        Assert.Equal(reference.Count, one.Count);
        Assert.Equal(reference.Keys, one.Keys);
        Assert.Equal(reference.Values, one.Values);
        Assert.Equal(reference, one.ToDictionary(kv => kv.Key, kv => kv.Value));
        Assert.Same(Cat, one["animals"]);
        Assert.True(one.TryGetValue("animals", out var found) && ReferenceEquals(found, Cat));
        foreach (var other in new[] { "Animals", "animal", "animals ", "" })
        {
            Assert.False(one.ContainsKey(other));
            Assert.False(one.TryGetValue(other, out var none));
            Assert.Null(none);
            Assert.Throws<KeyNotFoundException>(() => one[other]);
        }
    }

    [Fact]
    public void Payload_WithIt_EqualsAPayloadWithTheSameLabelInADictionary()
    {
        var payload = new ImagePayload { Root = "/r", Path = "a.jpg" };
        Assert.Equal(payload with { Labels = new Dictionary<string, LabelAssignment> { ["animals"] = Cat } }, payload with { Labels = new OneLabelDictionary("animals", Cat) });
        Assert.NotEqual(payload with { Labels = new Dictionary<string, LabelAssignment> { ["animals"] = Cat with { Label = "owl" } } }, payload with { Labels = new OneLabelDictionary("animals", Cat) });
        var labelled = payload with { Labels = new OneLabelDictionary("animals", Cat) };
        Assert.Contains("cat", labelled.SearchText(), StringComparison.Ordinal);
    }
}
