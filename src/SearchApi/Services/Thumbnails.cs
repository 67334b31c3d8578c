using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ClipSearch.Clip.Imaging;
using ClipSearch.Core.Index;
using Microsoft.Extensions.Options;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Processing;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Thumbnails, resized once per image version and size and kept on disk. Sizes snap to a few steps so that the
/// cache stays small whatever sizes clients ask for. Sources are decoded with the indexer's limits.
/// </summary>
internal sealed class Thumbnails(IndexAccess index, IOptions<ImageDecodeOptions> decode)
{
    /// <summary>The sizes served (longest side, pixels); a request gets the smallest step at least as large.</summary>
    public static readonly int[] Sizes = [64, 128, 256, 512, 1024];

    private readonly ConcurrentDictionary<string, Lazy<Task<Thumbnail?>>> _making = new(StringComparer.Ordinal);

    public static int Snap(int size) => Sizes.FirstOrDefault(s => s >= size, Sizes[^1]);

    /// <summary>A thumbnail of the point's file (made now if not cached), or null when the file cannot be served.</summary>
    public async Task<Thumbnail?> GetAsync(StoredPoint point, int size, CancellationToken cancellationToken)
    {
        var source = CollectionFiles.Resolve(point.Payload);
        if (source is null)
        {
            return null;
        }

        var version = point.Payload.ContentHash ?? $"{point.Payload.SizeBytes}-{point.Payload.ModifiedAt.UtcTicks}";
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{point.Id}|{version}|{size}")))[..32] + "\"";
        var cached = Path.Combine(index.ThumbnailFolder, etag[1..3], etag[1..^1]);
        foreach (var ext in (string[])[".jpg", ".png"])
        {
            if (File.Exists(cached + ext))
            {
                return new Thumbnail(cached + ext, ext == ".png" ? "image/png" : "image/jpeg", etag);
            }
        }

        var making = _making.GetOrAdd(etag, _ => new Lazy<Task<Thumbnail?>>(() => Task.Run(() => Make(source, cached, size, etag), CancellationToken.None)));
        try
        {
            return await making.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (making.Value.IsCompleted)
            {
                _making.TryRemove(etag, out _);
            }
        }
    }

    private Thumbnail? Make(string source, string cached, int size, string etag)
    {
        var options = new ImageDecodeOptions
        {
            MaxPixels = decode.Value.MaxPixels,
            MaxFileBytes = decode.Value.MaxFileBytes,
            Timeout = decode.Value.Timeout,
            ApplyExifOrientation = true,
            JpegDecodeSize = size,
        };
        var decoded = new SafeImageDecoder(options).DecodeFile(source);
        if (!decoded.Succeeded)
        {
            return null;
        }

        using var image = decoded.Image;
        var pixels = image.Pixels;
        if (Math.Max(pixels.Width, pixels.Height) > size)
        {
            pixels.Mutate(p => p.Resize(new ResizeOptions { Mode = ResizeMode.Max, Size = new Size(size, size), Sampler = KnownResamplers.Lanczos3 }));
        }

        var ext = image.HasAlpha ? ".png" : ".jpg";
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        var temp = cached + ext + "." + Environment.ProcessId + ".tmp";
        using (var stream = File.Create(temp))
        {
            if (image.HasAlpha)
            {
                pixels.Save(stream, new PngEncoder());
            }
            else
            {
                pixels.Save(stream, new JpegEncoder { Quality = 85 });
            }
        }

        File.Move(temp, cached + ext, overwrite: true);
        return new Thumbnail(cached + ext, image.HasAlpha ? "image/png" : "image/jpeg", etag);
    }
}
