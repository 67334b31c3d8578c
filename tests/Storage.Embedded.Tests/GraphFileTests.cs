namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The graph file of a collection: its name, atomic writes, loading and which files count as stale.</summary>
public sealed class GraphFileTests
{
    private const string Current = "0123456789abcdef0123456789abcdef";
    private const string Other = "fedcba9876543210fedcba9876543210";

    [Fact]
    public void PathFor_CollectionAndGeneration_FileInTheAnnFolder()
    {
        var file = new GraphFile("/data/index", "photos");
        Assert.Equal(Path.Combine("/data/index", "ann", $"photos-{Current}.hnsw"), file.PathFor(Current));
    }

    [Theory]
    [InlineData("g-" + Other + ".hnsw", true)]
    [InlineData("g-" + Other + ".hnsw.seq", true)]
    [InlineData("g-" + Other + ".hnsw.tmp", true)]
    [InlineData("g-" + Other + ".hnsw.seq.tmp", true)]
    [InlineData("g-" + Other + ".usearch", true)]
    [InlineData("g-" + Current + ".hnsw", false)]
    [InlineData("g-" + Current + ".hnsw.seq", false)]
    [InlineData("g-2-" + Other + ".hnsw", false)]
    [InlineData("g-2-" + Current + ".hnsw.seq", false)]
    [InlineData("gg-" + Other + ".hnsw", false)]
    [InlineData("g-" + Other + ".txt", false)]
    [InlineData("g-notagenerationatall.hnsw", false)]
    public void IsStale_FileName_OnlyThisCollectionsOtherGenerations(string fileName, bool stale)
    {
        // Collection "g" must never take "g-2"'s files for its own: names are matched whole.
        Assert.Equal(stale, new GraphFile("/data/index", "g").IsStale(fileName, Current));
    }

    [Fact]
    public void Save_ThenTryLoad_SameGraphAndSequenceNumber()
    {
        using var folder = new TempIndexFolder();
        using var factory = new FakeGraphFactory();
        var graph = (FakeGraph)factory.Create(4, 1f);
        graph.Add(3, []);
        graph.Add(8, []);
        var file = new GraphFile(folder.Path, "g");
        file.Save(Current, seq: 42, graph.Save);

        var (loaded, seq) = file.TryLoad(Current, stream => factory.Load(stream, 4)) ?? throw new InvalidOperationException("not loaded");
        Assert.Equal(42, seq);
        Assert.Equal([3UL, 8UL], ((FakeGraph)loaded).Keys());
        Assert.Null(file.TryLoad(Other, stream => factory.Load(stream, 4)));
    }

    [Fact]
    public void Save_FilesOfOtherGenerationsAndCollections_DeletesOnlyThisCollectionsStaleOnes()
    {
        using var folder = new TempIndexFolder();
        var file = new GraphFile(folder.Path, "g");
        Directory.CreateDirectory(file.Folder);
        string[] kept = [$"g-2-{Other}.hnsw", $"g-2-{Other}.hnsw.seq", $"g-2-{Current}.hnsw", "notes.txt"];
        string[] stale = [$"g-{Other}.hnsw", $"g-{Other}.hnsw.seq", $"g-{Other}.usearch", $"g-{Other}.hnsw.tmp"];
        foreach (var name in kept.Concat(stale))
        {
            File.WriteAllText(Path.Combine(file.Folder, name), "x");
        }

        file.Save(Current, seq: 1, stream => stream.WriteByte(7));

        var left = Directory.GetFiles(file.Folder).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(kept.Append($"g-{Current}.hnsw").Append($"g-{Current}.hnsw.seq").Order(StringComparer.Ordinal), left);
    }

    [Fact]
    public void Save_WriterFails_OldFileKeptWholeAndNoTemporaryLeft()
    {
        using var folder = new TempIndexFolder();
        var file = new GraphFile(folder.Path, "g");
        file.Save(Current, seq: 1, stream => stream.Write([1, 2, 3]));

        Assert.Throws<IOException>(() => file.Save(Current, seq: 2, stream =>
        {
            stream.Write([9, 9]);
            throw new IOException("disk full");
        }));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(file.PathFor(Current)));
        Assert.Equal("1", File.ReadAllText(file.PathFor(Current) + ".seq"));
        Assert.Empty(Directory.GetFiles(file.Folder, "*.tmp"));
    }

    [Theory]
    [InlineData("no files")]
    [InlineData("no sequence number")]
    [InlineData("bad sequence number")]
    [InlineData("damaged graph")]
    public void TryLoad_MissingOrDamaged_Null(string damage)
    {
        using var folder = new TempIndexFolder();
        using var factory = new FakeGraphFactory();
        var file = new GraphFile(folder.Path, "g");
        var graph = factory.Create(4, 1f);
        graph.Add(1, []);
        file.Save(Current, seq: 5, graph.Save);
        var path = file.PathFor(Current);
        switch (damage)
        {
            case "no files":
                File.Delete(path);
                File.Delete(path + ".seq");
                break;
            case "no sequence number":
                File.Delete(path + ".seq");
                break;
            case "bad sequence number":
                File.WriteAllText(path + ".seq", "five");
                break;
            case "damaged graph":
                File.AppendAllText(path, "trailing");
                break;
        }

        Assert.Null(file.TryLoad(Current, stream => factory.Load(stream, 4)));
    }
}
