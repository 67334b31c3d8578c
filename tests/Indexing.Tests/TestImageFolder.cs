using ClipSearch.Core.Index;
using ClipSearch.Storage.Embedded;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;

namespace ClipSearch.Indexing.Tests;

/// <summary>A temporary folder of generated images and an embedded index beside it.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1852", Justification = "Indexer.Tests, where this file is linked too, derives its CLI helpers from it.")]
internal class TestImageFolder : IDisposable
{
    public TestImageFolder()
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

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
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
