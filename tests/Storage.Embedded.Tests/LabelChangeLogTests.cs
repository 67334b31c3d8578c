using ClipSearch.Core.Index;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>
/// Another process catches up with label writes through the change log (label_changes: the row keys of each write), and,
/// once it is further behind than the log reaches, by reading the collection's label rows whole; either way it ends with
/// what a fresh process reads.
/// </summary>
public sealed class LabelChangeLogTests
{
    [Fact]
    public async Task Reader_WithinTheLogAndBeyondIt_CatchesUpWithEveryLabelWrite()
    {
        using var folder = new TempIndexFolder();
        // The writer keeps a log of at most 4 row keys, so a write of 3 drops the one before it.
        using var writerStore = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = folder.Path, LabelLogKeys = 4 });
        using var readerStore = folder.Open();
        var writer = await writerStore.CreateCollectionAsync("c", Model, Dimension);
        var names = Enumerable.Range(0, 8).Select(i => $"p{i}.jpg").ToArray();
        await writer.UpsertAsync([.. names.Select((n, i) => Point(n, Axis(i % Dimension)))]);
        var reader = await readerStore.OpenCollectionAsync("c", Model, Dimension);
        Guid Id(int i) => PointIds.ForImage("/photos", names[i]);
        KeyValuePair<Guid, LabelAssignment> Label(int i, string label) => new(Id(i), new LabelAssignment(label, 0.3f, "r"));

        // Within the log: the reader is one write behind each time.
        await writer.SetLabelsAsync("animals", [Label(0, "cat"), Label(1, "dog"), Label(2, "owl")]);
        Assert.Equal("0", folder.Sql("SELECT label_log_from FROM collections WHERE name = 'c'"));
        Assert.Equal(3, await reader.CountAsync(new LabelFilter("animals", ["cat", "dog", "owl"])));
        await writer.SetLabelsAsync("scenes", [Label(0, "beach"), Label(5, "city"), Label(7, "forest")]);
        Assert.Equal("1", folder.Sql("SELECT count(*) FROM label_changes")); // the first write's entry was dropped
        Assert.Equal(["p0.jpg"], (await reader.SearchAsync(new VectorQuery(Axis(0), 10, Filter: new LabelFilter("scenes", ["beach"])))).Select(h => h.Payload.Path));

        // Beyond it: three writes (a relabel, a clear, a new set) while the reader looks away.
        var readerSeq = long.Parse(folder.Sql("SELECT seq FROM collections WHERE name = 'c'")!, System.Globalization.CultureInfo.InvariantCulture);
        await writer.SetLabelsAsync("animals", [Label(1, "wolf"), Label(3, "fox"), Label(4, "cat")]);
        Assert.Equal(2, await writer.ClearLabelsAsync("scenes", new LabelFilter("scenes", ["city", "forest"])));
        await writer.SetLabelsAsync("mood", [Label(6, "calm"), Label(2, "busy"), Label(0, "calm")]);
        Assert.True(long.Parse(folder.Sql("SELECT label_log_from FROM collections WHERE name = 'c'")!, System.Globalization.CultureInfo.InvariantCulture) > readerSeq);

        string Labels(IReadOnlyList<StoredPoint?> points) => string.Join("; ", points.Select(p =>
            string.Join(" ", p!.Payload.Labels.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}={kv.Value.Label}"))));
        const string Expected = "animals=cat mood=calm scenes=beach; animals=wolf; animals=owl mood=busy; animals=fox; animals=cat; ; mood=calm; ";
        var ids = Enumerable.Range(0, names.Length).Select(Id).ToList();
        Assert.Equal(Expected, Labels(await Task.WhenAll(ids.Select(id => reader.GetAsync(id)))));
        using var fresh = folder.Open();
        var again = await fresh.OpenCollectionAsync("c", Model, Dimension);
        Assert.Equal(Expected, Labels(await Task.WhenAll(ids.Select(id => again.GetAsync(id)))));
        Assert.Equal(Expected, Labels(await Task.WhenAll(ids.Select(id => writer.GetAsync(id)))));
    }
}
