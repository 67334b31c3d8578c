using ClipSearch.Core;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing.Tests;

/// <summary>The change set decided from paths, sizes and times alone: no file, encoder or store is involved.</summary>
public sealed class ChangeSetTests
{
    private const string Root = "/photos";
    private static readonly DateTimeOffset Time = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly Scope[] WholeRoot = [new Scope(Root, Root, IsFile: false)];

    private static ScannedFile File(string relative, long size = 100, int minutes = 0, string root = Root) => new(root, relative, size, Time.AddMinutes(minutes));

    private static StoredPoint Point(string relative, long size = 100, int minutes = 0, string root = Root) =>
        new(PointIds.ForImage(root, relative), null, new ImagePayload { Root = root, Path = relative, SizeBytes = size, ModifiedAt = Time.AddMinutes(minutes) });

    private static Dictionary<string, StoredPoint> Stored(params StoredPoint[] points) => points.ToDictionary(p => p.Payload.FullPath, StringComparer.Ordinal);

    private static SkippedFile Skip(string relative, SkipReason reason = SkipReason.Corrupt, long size = 100, int minutes = 0) =>
        new($"{Root}/{relative}", size, Time.AddMinutes(minutes), new ImageFailure(reason, "test"));

    private static Dictionary<string, SkippedFile> Skipped(params SkippedFile[] skips) => skips.ToDictionary(s => s.Path, StringComparer.Ordinal);

    private static ScanResult Scan(params ScannedFile[] files) => new(files, []);

    private static ChangeSet Compute(Dictionary<string, StoredPoint> stored, ScanResult scan, Dictionary<string, SkippedFile>? skipped = null,
        bool retrySkipped = false) => ChangeSet.Compute(stored, [scan], skipped ?? Skipped(), WholeRoot, retrySkipped);

    private static string[] WorkPaths(ChangeSet changes) => [.. changes.Work.Select(w => w.File.RelativePath)];

    [Fact]
    public void Compute_NewFiles_AreWorkWithoutAPreviousPoint()
    {
        var changes = Compute(Stored(), Scan(File("a.jpg"), File("b/c.png")));

        Assert.Equal(["a.jpg", "b/c.png"], WorkPaths(changes));
        Assert.All(changes.Work, w => Assert.Null(w.Previous));
        Assert.Equal(0, changes.Unchanged);
        Assert.Empty(changes.PendingDeletes);
    }

    [Fact]
    public void Compute_FilesAsStored_AreCountedUnchangedAndNotRead()
    {
        var changes = Compute(Stored(Point("a.jpg"), Point("b.jpg")), Scan(File("a.jpg"), File("b.jpg")));

        Assert.Equal(2, changes.Unchanged);
        Assert.Empty(changes.Work);
        Assert.Empty(changes.PendingDeletes);
        Assert.Empty(changes.SkipsToForget);
    }

    [Theory]
    [InlineData(100, 1)] // touched: a new time
    [InlineData(120, 0)] // rewritten in the same microsecond: a new size
    public void Compute_FileWithANewSizeOrTime_IsWorkWithItsPreviousPoint(long size, int minutes)
    {
        var before = Point("a.jpg");
        var changes = Compute(Stored(before), Scan(File("a.jpg", size, minutes)));

        Assert.Equal(before, Assert.Single(changes.Work).Previous);
        Assert.Equal(0, changes.Unchanged);
    }

    [Fact]
    public void Compute_FileFoundUnderANewRoot_IsWorkWithItsPreviousPoint()
    {
        // Indexed as /photos + "trip/a.jpg", now scanned with /photos/trip as its root: the same file, to be re-keyed.
        var before = Point("trip/a.jpg");
        var changes = Compute(Stored(before), Scan(File("a.jpg", root: Root + "/trip")));

        var item = Assert.Single(changes.Work);
        Assert.Equal((Root + "/trip", before), (item.File.Root, item.Previous));
        Assert.Empty(changes.PendingDeletes);
    }

    [Fact]
    public void Compute_IndexedFileNotFound_IsAPendingDelete()
    {
        var gone = Point("gone.jpg");
        var changes = Compute(Stored(Point("a.jpg"), gone), Scan(File("a.jpg")));

        Assert.Equal(gone, Assert.Single(changes.PendingDeletes).Value);
        Assert.Equal(gone.Id, changes.PendingDeletes.Keys.Single());
    }

    [Fact]
    public void Compute_IndexedFileBelowAnUnlistedFolder_IsKeptWithItsSkipRecord()
    {
        var scan = new ScanResult([File("a.jpg")], [(Root + "/locked/", "permission denied")]);
        var changes = Compute(Stored(Point("a.jpg"), Point("locked/b.jpg"), Point("lockedout.jpg")), scan, Skipped(Skip("locked/c.jpg")));

        Assert.Equal(["/photos/locked"], changes.UnlistedFolders);
        Assert.Equal(["lockedout.jpg"], changes.PendingDeletes.Values.Select(p => p.Payload.Path));
        Assert.Empty(changes.SkipsToForget);
    }

    [Fact]
    public void Compute_IndexedFileOutsideTheScopes_IsKept()
    {
        var scopes = new[] { new Scope(Root, Root + "/trip", IsFile: false) };
        var changes = ChangeSet.Compute(Stored(Point("trip/a.jpg"), Point("home/b.jpg")), [Scan()], Skipped(Skip("home/c.jpg")), scopes, false);

        Assert.Equal(["trip/a.jpg"], changes.PendingDeletes.Values.Select(p => p.Payload.Path));
        Assert.Empty(changes.SkipsToForget);
    }

    [Fact]
    public void Compute_SkippedBeforeAndUnchanged_IsRememberedNotRead()
    {
        var skip = Skip("bad.jpg");
        var changes = Compute(Stored(), Scan(File("bad.jpg")), Skipped(skip));

        Assert.Empty(changes.Work);
        Assert.Equal(skip, changes.Remembered["/photos/bad.jpg"]);
        Assert.Empty(changes.SkipsToForget);
    }

    [Theory]
    [InlineData(100, 5)]
    [InlineData(300, 0)]
    public void Compute_SkippedBeforeAndChanged_IsReadAgainAndItsRecordLeftToItsWrite(long size, int minutes)
    {
        var changes = Compute(Stored(), Scan(File("bad.jpg", size, minutes)), Skipped(Skip("bad.jpg")));

        Assert.Equal(["bad.jpg"], WorkPaths(changes));
        Assert.Empty(changes.Remembered);
        Assert.Empty(changes.SkipsToForget);
    }

    [Fact]
    public void Compute_SkippedBeforeAsUnreadable_IsReadAgainEvenUnchanged()
    {
        var changes = Compute(Stored(), Scan(File("locked.jpg"), File("bad.jpg")), Skipped(Skip("locked.jpg", SkipReason.Unreadable), Skip("bad.jpg")));

        Assert.Equal(["locked.jpg"], WorkPaths(changes));
        Assert.Equal(["/photos/bad.jpg"], changes.Remembered.Keys);
    }

    [Fact]
    public void Compute_RetrySkipped_ReadsUnchangedSkippedFilesAgain()
    {
        var changes = Compute(Stored(), Scan(File("bad.jpg"), File("huge.jpg")), Skipped(Skip("bad.jpg"), Skip("huge.jpg", SkipReason.TooLarge)), retrySkipped: true);

        Assert.Equal(["bad.jpg", "huge.jpg"], WorkPaths(changes));
        Assert.Empty(changes.Remembered);
    }

    [Fact]
    public void Compute_SkipRecordOfAGoneOrIndexedFile_IsForgotten()
    {
        // indexed.jpg: indexed by a run killed before it forgot the file's old skip record.
        var changes = Compute(Stored(Point("indexed.jpg")), Scan(File("indexed.jpg")), Skipped(Skip("gone.jpg"), Skip("indexed.jpg")));

        Assert.Equal(["/photos/gone.jpg", "/photos/indexed.jpg"], changes.SkipsToForget.Order(StringComparer.Ordinal));
        Assert.Equal(1, changes.Unchanged);
    }

    [Fact]
    public void Compute_SamePathInTwoScans_IsCountedOnce()
    {
        var changes = ChangeSet.Compute(Stored(Point("a.jpg")), [Scan(File("a.jpg"), File("new.jpg")), Scan(File("new.jpg"), File("a.jpg"))], Skipped(), WholeRoot, false);

        Assert.Equal(1, changes.Unchanged);
        Assert.Equal(["new.jpg"], WorkPaths(changes));
    }

    [Fact]
    public void Compute_SeveralScans_TellsTheWorkFoundAfterEach()
    {
        var told = new List<int>();
        ChangeSet.Compute(Stored(), [Scan(File("a.jpg")), Scan(), Scan(File("b.jpg"), File("c.jpg"))], Skipped(), WholeRoot, false, told.Add);

        Assert.Equal([1, 1, 3], told);
    }
}
