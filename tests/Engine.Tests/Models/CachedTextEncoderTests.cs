using ClipSearch.Core.Embeddings;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Models;

namespace ClipSearch.Engine.Tests.Models;

public sealed class CachedTextEncoderTests
{
    /// <summary>Encodes a text as (length, 1), counting what it was asked.</summary>
    private sealed class CountingEncoder : ITextEncoder
    {
        public List<string> Asked { get; } = [];

        public string ModelId => "counting";

        public int Dimension => 2;

        public ZeroShotScoring Scoring { get; } = ZeroShotScoring.Softmax(7f);

        public float[][] Encode(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
        {
            Asked.AddRange(texts);
            return [.. texts.Select(t => new[] { (float)t.Length, 1f })];
        }
    }

    [Fact]
    public void Encode_RepeatedTexts_AreEncodedOnceAndAnsweredInOrder()
    {
        var inner = new CountingEncoder();
        using var cached = new CachedTextEncoder(inner, 100);
        var first = cached.Encode(["a", "bbb", "a"]);
        var second = cached.Encode(["bbb", "cc", "a"]);
        Assert.Equal(["a", "bbb", "cc"], inner.Asked);
        Assert.Equal([1f, 3f, 1f], first.Select(v => v[0]));
        Assert.Equal([3f, 2f, 1f], second.Select(v => v[0]));
        Assert.Equal(3, cached.Encoded);
        Assert.Same(inner.Scoring, cached.Scoring);
        Assert.Equal(("counting", 2), (cached.ModelId, cached.Dimension));
    }

    [Fact]
    public void Encode_NoEntries_PassesEveryTextThrough()
    {
        var inner = new CountingEncoder();
        using var cached = new CachedTextEncoder(inner, 0);
        cached.Encode(["a"]);
        cached.Encode(["a"]);
        Assert.Equal(["a", "a"], inner.Asked);
    }

    [Fact]
    public void Encode_MoreTextsThanEntries_StaysBoundedAndStillAnswersCorrectly()
    {
        var inner = new CountingEncoder();
        using var cached = new CachedTextEncoder(inner, 10);
        for (var round = 0; round < 3; round++)
        {
            var texts = Enumerable.Range(0, 50).Select(i => new string('x', i + 1)).ToList();
            Assert.Equal(texts.Select(t => (float)t.Length), cached.Encode(texts).Select(v => v[0]));
        }

        // A cache of 10 cannot hold 50 texts: most are encoded again each round.
        Assert.True(inner.Asked.Count > 100, $"asked {inner.Asked.Count}");
    }
}
