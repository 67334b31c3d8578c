using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Clip.Imaging.Thumbnails;
using ClipSearch.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// Files and thumbnails come only from inside the collection root, even while an attacker who can rename entries inside
/// it swaps a link to an outside folder in and out (issue 15, item 1); thumbnail decoding is isolated, limited and
/// rate-limited; an unwritable thumbnail cache costs only the caching.
/// </summary>
public sealed partial class FileServingTests : IDisposable
{
    private const string Collection = "race";
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clipsearch-file-test-" + Guid.NewGuid().ToString("N"));
    private readonly IndexedPhotos _photos = new();

    private string Photos => Path.Combine(_root, "photos");

    [SkippableFact]
    public async Task FileAndThumbnail_LinkSwappedInDuringRequests_NeverServeTheOutsideFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "renameat2(RENAME_EXCHANGE) is Linux's");
        // photos/inside/photo.png (blue) is indexed; photos/link -> outside/ holds photo.png too (red): exchanging the names
        // "inside" and "link" makes photos/inside/photo.png the outside file.
        var inside = Path.Combine(Photos, "inside", "photo.png");
        var outside = Path.Combine(_root, "outside", "photo.png");
        WriteSolid(inside, new Rgba32(20, 40, 230));
        WriteSolid(outside, new Rgba32(230, 30, 20));
        var insideBytes = await File.ReadAllBytesAsync(inside);
        var outsideBytes = await File.ReadAllBytesAsync(outside);
        var summary = await IndexedPhotos.IndexFolderAsync(Photos, Store, Collection);
        Assert.Equal(1, summary.Indexed);
        File.CreateSymbolicLink(Path.Combine(Photos, "link"), Path.GetDirectoryName(outside)!);

        using var factory = Api();
        var id = PointId(inside);
        var (ok, refused, leaks) = (new ConcurrentBag<string>(), new ConcurrentBag<string>(), new ConcurrentBag<string>());
        using var stop = new CancellationTokenSource();
        var swapped = 0;
        var swapper = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                Assert.Equal(0, RenameAt2(AtCurrentFolder, Path.Combine(Photos, "inside"), AtCurrentFolder, Path.Combine(Photos, "link"), RenameExchange));
                swapped++;
            }
        });
        swapper.Start();
        const int Requests = 10_000;
        var next = -1;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                var client = factory.CreateClient();
                for (var i = Interlocked.Increment(ref next); i < Requests; i = Interlocked.Increment(ref next))
                {
                    var route = i % 2 == 0 ? "file" : $"thumbnail?size={(i % 4 == 1 ? 64 : 128)}";
                    using var response = await client.GetAsync($"/api/images/{id}/{route}&collection={Collection}".Replace("file&", "file?", StringComparison.Ordinal));
                    var body = await response.Content.ReadAsByteArrayAsync();
                    if (response.StatusCode == HttpStatusCode.NotFound)
                    {
                        refused.Add(route);
                        continue;
                    }

                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var served = route == "file" ? Classify(body, insideBytes, outsideBytes) : ColourOf(body);
                    (served == "inside" ? ok : leaks).Add($"{route}: {served}");
                }
            })));
        }
        finally
        {
            stop.Cancel();
            swapper.Join();
        }

        if (swapped % 2 == 1)
        {
            RenameAt2(AtCurrentFolder, Path.Combine(Photos, "inside"), AtCurrentFolder, Path.Combine(Photos, "link"), RenameExchange);
        }

        Assert.Empty(leaks);
        Assert.True(swapped > 100, $"the names were exchanged only {swapped} times");
        Assert.True(refused.Count > 50 && ok.Count > 50, $"the race was not run: {ok.Count} served, {refused.Count} refused");

        // After the race, the cached thumbnails are the inside file's.
        var client = factory.CreateClient();
        foreach (var size in (int[])[64, 128])
        {
            var thumbnail = await client.GetAsync($"/api/images/{id}/thumbnail?size={size}&collection={Collection}");
            Assert.Equal("inside", ColourOf(await thumbnail.Content.ReadAsByteArrayAsync()));
        }
    }

    [Fact]
    public async Task Thumbnail_FileReplacedAfterIndexing_IsMadeFromTheNewFileNotAnOldCachedOne()
    {
        var file = Path.Combine(Photos, "photo.png");
        WriteSolid(file, new Rgba32(20, 40, 230));
        await IndexedPhotos.IndexFolderAsync(Photos, Store, Collection);
        using var factory = Api();
        var client = factory.CreateClient();
        var url = $"/api/images/{PointId(file)}/thumbnail?size=64&collection={Collection}";
        Assert.Equal("inside", ColourOf(await client.GetByteArrayAsync(url)));

        WriteSolid(file, new Rgba32(230, 30, 20));
        Assert.Equal("outside", ColourOf(await client.GetByteArrayAsync(url)));
    }

    [Fact]
    public async Task Thumbnail_DecodeNeverEnds_Is422WithTheLimitAndLeavesNoWorkRunning()
    {
        var file = Path.Combine(Photos, "photo.png");
        WriteSolid(file, new Rgba32(20, 40, 230));
        await IndexedPhotos.IndexFolderAsync(Photos, Store, Collection);
        // Replaced after indexing by a valid PNG that ImageSharp 2.1.13 never finishes decoding.
        File.Copy(TestPaths.Data("hostile", "pngsuite-s01i3p01.png"), file, overwrite: true);
        using var factory = Api(new() { ["ClipSearch:Decoding:Timeout"] = "00:00:02" });
        var client = factory.CreateClient();

        var response = await client.GetAsync($"/api/images/{PointId(file)}/thumbnail?size=128&collection={Collection}");

        await HostileRequestTests.AssertAnswerAsync(response, 422, false);
        Assert.Contains("took longer than the 2 s limit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The decode ran in a worker process, which was killed: nothing of it runs in the API's process.
        var renderer = Assert.IsType<IsolatedThumbnailRenderer>(factory.Services.GetRequiredService<IThumbnailRenderer>());
        Assert.Equal(1, renderer.WorkersKilled);
    }

    [Fact]
    public async Task Thumbnail_ClientOverItsBudget_Gets429()
    {
        var file = Path.Combine(Photos, "photo.png");
        WriteSolid(file, new Rgba32(20, 40, 230));
        await IndexedPhotos.IndexFolderAsync(Photos, Store, Collection);
        using var factory = Api(new() { ["ClipSearch:RequestsPerMinute"] = "3" });
        var client = factory.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            statuses.Add((await client.GetAsync($"/api/images/{PointId(file)}/thumbnail?size=64&collection={Collection}")).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Thumbnail_CacheFolderCannotBeWritten_IsServedUncached()
    {
        var file = Path.Combine(Photos, "photo.png");
        WriteSolid(file, new Rgba32(20, 40, 230));
        await IndexedPhotos.IndexFolderAsync(Photos, Store, Collection);
        // A cache "folder" below a plain file can be neither created nor written, whoever runs the test (root included).
        var blocker = Path.Combine(_root, "not-a-folder");
        await File.WriteAllTextAsync(blocker, "x");
        using var factory = Api(new() { ["ClipSearch:ThumbnailCache"] = Path.Combine(blocker, "thumbnails") });
        var client = factory.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            var response = await client.GetAsync($"/api/images/{PointId(file)}/thumbnail?size=64&collection={Collection}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("inside", ColourOf(await response.Content.ReadAsByteArrayAsync()));
        }
    }

    [Fact]
    public async Task Search_CollectionMissing_AnswersWithoutTheServersPaths()
    {
        using var factory = Api();
        var response = await factory.CreateClient().GetAsync("/api/search?q=x&collection=nonexist");

        await HostileRequestTests.AssertAnswerAsync(response, 404, false);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Collection 'nonexist' does not exist", body, StringComparison.Ordinal);
        Assert.DoesNotContain(Store, body, StringComparison.Ordinal);
        Assert.DoesNotContain(Path.GetTempPath(), body, StringComparison.Ordinal);
    }

    private string Store => Path.Combine(_root, "store");

    private ApiFactory Api(Dictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ClipSearch:Index:Embedded:Path"] = Store,
            ["ClipSearch:DefaultCollection"] = Collection,
            ["ClipSearch:ThumbnailCache"] = Path.Combine(_root, "thumbnails"),
        };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        return new ApiFactory(_photos, values);
    }

    private Guid PointId(string file) => Core.Index.PointIds.ForImage(Photos, Path.GetRelativePath(Photos, file).Replace('\\', '/'));

    private static void WriteSolid(string path, Rgba32 colour)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgba32>(96, 96, colour);
        image.SaveAsPng(path);
    }

    private static string Classify(byte[] body, byte[] inside, byte[] outside) =>
        body.AsSpan().SequenceEqual(inside) ? "inside" : body.AsSpan().SequenceEqual(outside) ? "outside" : $"{body.Length} unknown bytes";

    /// <summary>"inside" for the blue image's thumbnail, "outside" for the red one's.</summary>
    private static string ColourOf(byte[] thumbnail)
    {
        using var image = Image.Load<Rgba32>(thumbnail);
        var pixel = image[image.Width / 2, image.Height / 2];
        return pixel.B > 150 && pixel.R < 100 ? "inside" : pixel.R > 150 && pixel.B < 100 ? "outside" : $"an image coloured {pixel}";
    }

    private const int AtCurrentFolder = -100;
    private const uint RenameExchange = 2;

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2(int oldFolder, string oldPath, int newFolder, string newPath, uint flags);

    public void Dispose()
    {
        _photos.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a thumbnail being written as the test host stops; the temp folder is cleaned by the OS
        }
    }
}
