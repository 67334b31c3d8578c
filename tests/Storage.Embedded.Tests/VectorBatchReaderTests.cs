using ClipSearch.Core.Index;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The embedded store's bulk vector reading gives exactly what scrolling gives, in the order points were first stored.</summary>
public sealed class VectorBatchReaderTests
{
    [Fact]
    public async Task ReadVectorBatches_EqualsScroll_InStoredOrderWithFiltersAndReusedBuffers()
    {
        using var folder = new TempIndexFolder();
        using var store = folder.Open();
        var collection = await store.CreateCollectionAsync("c", "m", 8);
        var random = new Random(3);
        var points = Enumerable.Range(0, 250).Select(i =>
        {
            var v = Enumerable.Range(0, 8).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
            Core.VectorMath.NormalizeInPlace(v);
            return new VectorPoint(PointIds.NameBased("p" + i), v, new ImagePayload { Root = "/r", Path = $"{(i % 3 == 0 ? "a" : "b")}/{i}.jpg", Width = i });
        }).ToList();
        await collection.UpsertAsync(points);
        // A point deleted and one written again: a new point takes the next key (and a freed slot), an upserted one keeps its key.
        await collection.DeleteAsync([points[10].Id]);
        var late = new VectorPoint(PointIds.NameBased("late"), points[10].Vector, points[10].Payload with { Path = "a/late.jpg" });
        await collection.UpsertAsync([late, points[20] with { Payload = points[20].Payload with { Width = 999 } }]);
        points = [.. points.Where((_, i) => i != 10).Select(p => p.Id == points[20].Id ? p with { Payload = p.Payload with { Width = 999 } } : p), late];
        var reader = Assert.IsAssignableFrom<IVectorBatchReader>(collection);

        foreach (var filter in new PointFilter?[] { null, new FolderFilter("/r/a"), new RangeFilter(NumericField.Width, 300, null) })
        {
            var scrolled = new List<StoredPoint>();
            await foreach (var page in collection.ScrollAsync(filter, 64))
            {
                scrolled.AddRange(page);
            }

            var read = new List<(Guid Id, float[] Vector, ImagePayload Payload)>();
            await reader.ReadVectorBatchesAsync(filter, 64, (batch, rows) =>
            {
                Assert.True(batch.Count <= 64);
                Assert.Equal(batch.Count * 8, rows.Length);
                Assert.All(batch, p => Assert.Null(p.Vector));
                read.AddRange(batch.Select((p, i) => (p.Id, rows.Slice(i * 8, 8).ToArray(), p.Payload)));
                return Task.CompletedTask;
            });

            // The same points, vectors and payloads as a scroll (which goes by id), in the order they were first stored.
            Assert.Equal(points.Where(p => filter?.Matches(p.Payload) ?? true).Select(p => p.Id), read.Select(r => r.Id));
            read.Sort((a, b) => a.Id.CompareTo(b.Id));
            Assert.Equal(scrolled.Select(p => p.Id), read.Select(r => r.Id));
            Assert.All(scrolled.Zip(read), x => Assert.Equal(x.First.Vector, x.Second.Vector));
            Assert.All(scrolled.Zip(read), x => Assert.Equal(x.First.Payload, x.Second.Payload));
        }
    }
}
