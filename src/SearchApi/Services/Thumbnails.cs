using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Thumbnails;
using ClipSearch.Core;
using ClipSearch.Core.Index;
using ClipSearch.SearchApi.Common;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// Thumbnails, made once per version of a file and size and kept on disk. The file is opened once (see
/// <see cref="CollectionFiles"/>) and the thumbnail made from that handle's bytes, in a decode worker with the indexer's
/// limits; the cache key is that opened file's identity, so a changed or replaced file never gets an old thumbnail.
/// Sizes snap to a few steps so that the cache stays small whatever sizes clients ask for. A cache folder that cannot
/// be written costs only the caching: thumbnails are then served as they are made.
/// </summary>
internal sealed partial class Thumbnails(IndexAccess index, IThumbnailRenderer renderer, IOptions<ImageDecodeOptions> decode, ILogger<Thumbnails> logger)
{
    /// <summary>The sizes served (longest side, pixels); a request gets the smallest step at least as large.</summary>
    public static readonly int[] Sizes = [64, 128, 256, 512, 1024];

    private readonly ConcurrentDictionary<string, Lazy<Task<ThumbnailResult>>> _making = new(StringComparer.Ordinal);
    private int _cacheFailed;

    public static int Snap(int size) => Sizes.FirstOrDefault(s => s >= size, Sizes[^1]);

    /// <summary>A thumbnail of the point's file, made now if not cached.</summary>
    /// <exception cref="RequestException">404 when the file cannot be served; 422 when it cannot be decoded within the limits.</exception>
    public async Task<Thumbnail> GetAsync(StoredPoint point, int size, CancellationToken cancellationToken)
    {
        byte[] source;
        string etag;
        using (var file = CollectionFiles.Open(point.Payload) ?? throw Gone(point))
        {
            var key = FormattableString.Invariant($"{point.Id}|{file.Identity}|{size}");
            etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32] + "\"";
            if (ReadCached(etag) is { } cached)
            {
                return cached;
            }

            var limits = decode.Value;
            if (file.Length > limits.MaxFileBytes)
            {
                throw TooLarge(limits);
            }

            source = file.ReadAll();
        }

        var making = _making.GetOrAdd(etag, _ => new Lazy<Task<ThumbnailResult>>(() => renderer.RenderAsync(source, size, CancellationToken.None)));
        ThumbnailResult result;
        try
        {
            result = await making.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (making.Value.IsCompleted)
            {
                _making.TryRemove(etag, out _);
            }
        }

        var image = result.Image ?? throw Unreadable(point, result.Failure!, decode.Value);
        Store(etag, image);
        return new Thumbnail(image.Bytes, image.ContentType, etag);
    }

    private string CachePath(string etag) => Path.Combine(index.ThumbnailFolder, etag[1..3], etag[1..^1]);

    private Thumbnail? ReadCached(string etag)
    {
        foreach (var (ext, type) in (ReadOnlySpan<(string, string)>)[(".jpg", "image/jpeg"), (".png", "image/png")])
        {
            try
            {
                return new Thumbnail(File.ReadAllBytes(CachePath(etag) + ext), type, etag);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // not cached in this format
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                CacheFailed(e);
                return null;
            }
        }

        return null;
    }

    private void Store(string etag, ThumbnailImage image)
    {
        var target = CachePath(etag) + (image.ContentType == "image/png" ? ".png" : ".jpg");
        var temp = $"{target}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllBytes(temp, image.Bytes);
            File.Move(temp, target, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            CacheFailed(e);
            try
            {
                File.Delete(temp);
            }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException)
            {
                // nothing was written
            }
        }
    }

    private void CacheFailed(Exception e)
    {
        if (Interlocked.Exchange(ref _cacheFailed, 1) == 0)
        {
            LogCacheFailed(logger, index.ThumbnailFolder, e.Message);
        }
    }

    private static RequestException Gone(StoredPoint point) =>
        RequestException.NotFound($"the file of image {point.Id} is gone, or now lies outside its collection root; re-index its folder.");

    private static RequestException TooLarge(ImageDecodeOptions limits) => new(StatusCodes.Status422UnprocessableEntity, "Image too large",
        $"the image is larger than the server decodes (at most {limits.MaxPixels:N0} pixels and {limits.MaxFileBytes:N0} bytes).");

    private static RequestException Unreadable(StoredPoint point, ImageFailure failure, ImageDecodeOptions limits) => failure.Reason switch
    {
        SkipReason.TooLarge => TooLarge(limits),
        SkipReason.TimedOut => new(StatusCodes.Status422UnprocessableEntity, "Unreadable image",
            $"decoding the file of image {point.Id} took longer than the {limits.Timeout.TotalSeconds:0.###} s limit; the decoder was stopped."),
        _ => new(StatusCodes.Status422UnprocessableEntity, "Unreadable image",
            $"the file of image {point.Id} can no longer be decoded (damaged, or changed since it was indexed); re-index its folder."),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Thumbnails are served without caching: the cache folder {Folder} cannot be used ({Reason})")]
    private static partial void LogCacheFailed(ILogger logger, string folder, string reason);
}
