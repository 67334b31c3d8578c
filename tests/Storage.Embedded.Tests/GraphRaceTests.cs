using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>Searches racing the background graph as it takes in replaced vectors: a replaced point is always found.</summary>
public sealed class GraphRaceTests
{
    [Fact]
    public async Task Search_WhileTheGraphTakesInReplacedVectors_AlwaysFindsTheNewVector()
    {
        const int Dim = 16;
        using var folder = new TempIndexFolder();
        var options = new EmbeddedStoreOptions { Path = folder.Path };
        options.Ann.Threshold = 1;
        using var store = new EmbeddedVectorStore(options);
        var c = await store.CreateCollectionAsync("race", Model, Dim);
        var random = new Random(7);
        float[] RandomUnit()
        {
            var v = Enumerable.Range(0, Dim).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            var n = MathF.Sqrt(v.Sum(x => x * x));
            return v.Select(x => x / n).ToArray();
        }

        await c.UpsertAsync(Enumerable.Range(0, 200).Select(i => Point($"p{i}.jpg", RandomUnit())).ToList());
        var misses = 0;
        for (var round = 0; round < 400; round++)
        {
            var replaced = Point($"p{round % 200}.jpg", RandomUnit());
            await c.UpsertAsync([replaced]);

            // Several searches while the graph takes the new vector in, the first at once.
            for (var s = 0; s < 5; s++)
            {
                var hit = (await c.SearchAsync(new VectorQuery(replaced.Vector, 1)))[0];
                if (hit.Id != replaced.Id)
                {
                    misses++;
                }
            }
        }

        Assert.Equal(0, misses);
    }
}
