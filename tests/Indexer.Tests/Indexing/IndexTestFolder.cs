using System.Text.Json;
using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Indexer.Tests.Indexing;

/// <summary>A temporary folder of generated images and an embedded index beside it, with helpers to run the CLI on them.</summary>
internal sealed class IndexTestFolder : IDisposable
{
    public IndexTestFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "clipsearch-index-test-" + Guid.NewGuid().ToString("N"));
        Images = Path.Combine(Root, "photos");
        Store = Path.Combine(Root, "store");
        Directory.CreateDirectory(Images);
    }

    public string Root { get; }

    /// <summary>The folder that gets indexed.</summary>
    public string Images { get; }

    /// <summary>The embedded index folder.</summary>
    public string Store { get; }

    public string PathOf(string relative) => Path.Combine(Images, relative);

    /// <summary>
    /// Writes a distinct picture (a coloured block on a coloured background, from <paramref name="seed"/>) as
    /// PNG, or JPEG when the name ends in .jpg/.jpeg, and returns its path.
    /// </summary>
    public string WriteImage(string relative, int seed, int width = 48, int height = 40)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = Picture(seed, width, height);
        if (relative.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) || relative.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
        {
            image.Save(path, new JpegEncoder { Quality = 92 });
        }
        else
        {
            image.SaveAsPng(path);
        }

        return path;
    }

    public static Image<Rgb24> Picture(int seed, int width, int height)
    {
        var random = new Random(seed);
        var background = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var foreground = new Rgb24((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
        var image = new Image<Rgb24>(width, height, background);
        var x0 = random.Next(width / 2);
        var y0 = random.Next(height / 2);
        var w = random.Next(width / 4, width / 2);
        var h = random.Next(height / 4, height / 2);
        for (var y = y0; y < y0 + h; y++)
        {
            for (var x = x0; x < x0 + w; x++)
            {
                image[x, y] = foreground;
            }
        }

        return image;
    }

    public void WriteText(string relative, string text)
    {
        var path = PathOf(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>Runs <c>clipsearch index</c> on <see cref="Images"/> (plus <paramref name="extra"/> options) and parses the --json summary.</summary>
    public async Task<(int Exit, JsonElement Summary, string Err)> IndexAsync(params string[] extra)
    {
        var (exit, stdout, stderr) = await CliRunner.RunAsync(["index", Images, "--store", Store, "--json", .. extra]);
        var lines = CliRunner.Lines(stdout);
        return (exit, lines.Length > 0 ? JsonDocument.Parse(lines[^1]).RootElement.Clone() : default, stderr);
    }

    /// <summary>Every point of the collection, by path relative to <see cref="Images"/>.</summary>
    public async Task<Dictionary<string, StoredPoint>> PointsAsync(string collection = CollectionNames.Default)
    {
        using var store = new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = Store });
        var c = await store.OpenCollectionAsync(collection, null, null);
        var points = new Dictionary<string, StoredPoint>(StringComparer.Ordinal);
        await foreach (var batch in c.ScrollAsync(null, 1000, withVectors: true))
        {
            foreach (var p in batch)
            {
                points.Add(Path.GetRelativePath(Images, p.Payload.FullPath).Replace('\\', '/'), p);
            }
        }

        return points;
    }

    /// <summary>The skipped list through <c>clipsearch skipped --json</c>: relative path, reason, detail.</summary>
    public async Task<List<(string Path, string Reason, string Detail)>> SkippedAsync()
    {
        var (exit, stdout, _) = await CliRunner.RunAsync("skipped", "--store", Store, "--json");
        Assert.Equal(0, exit);
        return [.. JsonDocument.Parse(stdout).RootElement.EnumerateArray().Select(e => (
            Path.GetRelativePath(Images, e.GetProperty("path").GetString()!).Replace('\\', '/'),
            e.GetProperty("reason").GetString()!,
            e.GetProperty("detail").GetString()!))];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // a test's child process may still be going away
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

internal static class SummaryExtensions
{
    public static int Count(this JsonElement summary, string key) => summary.GetProperty(key).GetInt32();

    public static int Skipped(this JsonElement summary, string reason) =>
        summary.GetProperty("skipped").TryGetProperty(reason, out var n) ? n.GetInt32() : 0;
}

internal static partial class StderrSummary
{
    /// <summary>Images run through the model, from the "done:" line on stderr.</summary>
    public static int Encoded(string stderr)
    {
        var match = EncodedPattern().Matches(stderr).LastOrDefault();
        Assert.True(match is not null, "no 'N images encoded' in: " + stderr);
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"(\d+) images encoded")]
    private static partial System.Text.RegularExpressions.Regex EncodedPattern();
}
