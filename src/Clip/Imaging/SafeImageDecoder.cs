using System.Buffers.Binary;
using ClipSearch.Core;
using ClipSearch.Core.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Pbm;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tga;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ClipSearch.Clip.Imaging;

/// <summary>
/// Decodes untrusted image files into their first frame without letting any file crash, hang or
/// exhaust the process: a pixel budget checked from the header before allocation, first-frame-only
/// GIF and TIFF decoding, a time limit that really stops the decoder, and every exception mapped to a
/// <see cref="SkipReason"/>. Thread-safe.
/// </summary>
public sealed class SafeImageDecoder
{
    // A decode that ignores its stream deadline (a CPU loop that reads nothing) is abandoned after this grace.
    private static readonly TimeSpan WatchdogGrace = TimeSpan.FromSeconds(2);

    private readonly ImageDecodeOptions _options;
    private readonly Configuration _configuration;
    private readonly Configuration _withoutMetadata;

    // The images libjpeg-turbo decodes into: one block of memory each, so that it writes the whole picture in one call.
    private readonly Configuration _contiguous;

    public SafeImageDecoder(ImageDecodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _configuration = FirstFrameOnly(ignoreMetadata: false);
        _withoutMetadata = FirstFrameOnly(ignoreMetadata: true);
        _contiguous = FirstFrameOnly(ignoreMetadata: true);
        _contiguous.PreferContiguousImageBuffers = true;
    }

    private static Configuration FirstFrameOnly(bool ignoreMetadata)
    {
        // A configuration of its own: Configuration.Default.Clone() shares the format manager, so setting a decoder
        // on a clone would change it for every user of the default configuration in the process.
        var configuration = new Configuration(new PngConfigurationModule(), new JpegConfigurationModule(), new GifConfigurationModule(),
            new BmpConfigurationModule(), new PbmConfigurationModule(), new TgaConfigurationModule(), new TiffConfigurationModule(), new WebpConfigurationModule());
        // Identify reports one modest frame for a 40,000-frame GIF or a multi-page TIFF; Load would then
        // allocate every frame. Only the first frame is ever embedded.
        var formats = configuration.ImageFormatsManager;
        formats.SetDecoder(GifFormat.Instance, new GifDecoder { DecodingMode = FrameDecodingMode.First, MaxFrames = 1, IgnoreMetadata = ignoreMetadata });
        formats.SetDecoder(TiffFormat.Instance, new TiffDecoder { DecodingMode = FrameDecodingMode.First, IgnoreMetadata = ignoreMetadata });
        formats.SetDecoder(JpegFormat.Instance, new JpegDecoder { IgnoreMetadata = ignoreMetadata });
        formats.SetDecoder(PngFormat.Instance, new PngDecoder { IgnoreMetadata = ignoreMetadata });
        formats.SetDecoder(WebpFormat.Instance, new WebpDecoder { IgnoreMetadata = ignoreMetadata });
        return configuration;
    }

    /// <summary>Reads and decodes a file. Never throws for a bad file; only <paramref name="cancellationToken"/> cancels.</summary>
    public ImageDecodeResult DecodeFile(string path, CancellationToken cancellationToken = default)
    {
        byte[] data;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > _options.MaxFileBytes)
            {
                return ImageDecodeResult.Fail(SkipReason.TooLarge, $"{length:N0} bytes is over the {_options.MaxFileBytes:N0}-byte limit");
            }

            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return ImageDecodeResult.Fail(SkipReason.Unreadable, e.Message);
        }

        return Decode(data, cancellationToken);
    }

    /// <summary>Decodes an image held in memory. Never throws for bad data; only <paramref name="cancellationToken"/> cancels.</summary>
    public ImageDecodeResult Decode(byte[] data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        cancellationToken.ThrowIfCancellationRequested();
        if (data.LongLength > _options.MaxFileBytes)
        {
            return ImageDecodeResult.Fail(SkipReason.TooLarge, $"{data.LongLength:N0} bytes is over the {_options.MaxFileBytes:N0}-byte limit");
        }

        var deadline = Environment.TickCount64 + (long)_options.Timeout.TotalMilliseconds;
        // A thread of its own, not a pool thread: callers block on it below, and with the pool saturated by such
        // callers (many concurrent in-process decodes) a queued decode could wait past its limit before starting
        // and be reported as timed out (seen under load in CI).
        var work = Task.Factory.StartNew(() => DecodeGuarded(data, deadline, cancellationToken), CancellationToken.None, TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        try
        {
            if (work.Wait(_options.Timeout + WatchdogGrace, cancellationToken))
            {
                return work.Result;
            }
        }
        catch (OperationCanceledException)
        {
            DisposeWhenDone(work);
            throw;
        }

        DisposeWhenDone(work);
        return ImageDecodeResult.Fail(SkipReason.TimedOut, $"decoding took longer than {_options.Timeout.TotalSeconds:0.###} s");
    }

    private static void DisposeWhenDone(Task<ImageDecodeResult> work) =>
        work.ContinueWith(t => t.Result.Image?.Dispose(), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private ImageDecodeResult DecodeGuarded(byte[] data, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            return DecodeWithoutBrokenExif(data, deadline, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutException)
        {
            return ImageDecodeResult.Fail(SkipReason.TimedOut, $"decoding took longer than {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e)
        {
            return DecodeFailures.From(e);
        }
    }

    private ImageDecodeResult DecodeWithoutBrokenExif(byte[] data, long deadline, CancellationToken cancellationToken)
    {
        try
        {
            return DecodeCore(data, deadline, _configuration, cancellationToken);
        }
        catch (Exception e) when (e is not (OperationCanceledException or TimeoutException) && DecodeFailures.IsInExif(e))
        {
            // A broken EXIF block (an IFD loop, bad offsets) costs the orientation and date, not the picture.
            return DecodeCore(data, deadline, _withoutMetadata, cancellationToken);
        }
    }

    private ImageDecodeResult DecodeCore(byte[] data, long deadline, Configuration configuration, CancellationToken cancellationToken)
    {
        var format = Image.DetectFormat(configuration, data);
        if (format is null)
        {
            return Unrecognised(data);
        }

        IImageInfo? info;
        using (var stream = new DeadlineStream(data, deadline, cancellationToken))
        {
            info = Image.Identify(configuration, stream, out _);
        }

        if (info is null)
        {
            return Unrecognised(data);
        }

        var (declaredWidth, declaredHeight) = DeclaredSize(format, data, info);
        if (declaredWidth <= 0 || declaredHeight <= 0)
        {
            return ImageDecodeResult.Fail(SkipReason.Corrupt, $"{format.Name} header declares {declaredWidth}x{declaredHeight} pixels");
        }

        var pixels = (long)declaredWidth * declaredHeight;
        if (pixels > _options.MaxPixels)
        {
            return ImageDecodeResult.Fail(SkipReason.TooLarge,
                $"{declaredWidth}x{declaredHeight} ({pixels / 1e6:0.#} megapixels) is over the {_options.MaxPixels / 1e6:0.#}-megapixel limit");
        }

        // Decoded pixels take 4 bytes each, outside the GC heap (ImageSharp's unmanaged buffers): past the memory this
        // process may use (a decode worker's heap limit), refuse before allocating rather than exhaust the machine.
        var budget = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (pixels * 4 > budget)
        {
            return ImageDecodeResult.Fail(SkipReason.TooLarge,
                $"{declaredWidth}x{declaredHeight} needs {pixels * 4 / 1e6:0} MB to decode, over the {budget / 1e6:0} MB this process may use");
        }

        if ((declaredWidth, declaredHeight) != (info.Width, info.Height))
        {
            return ImageDecodeResult.Fail(SkipReason.UnsupportedFormat, $"{format.Name} images over 32,767 pixels wide or tall are not read by the decoder");
        }

        // Photos: libjpeg-turbo (Pillow's decoder), at a reduced scale when allowed (the model only needs a small picture),
        // else at full size with Pillow's exact pixels. A file it does not decode cleanly goes to ImageSharp, which judges damage.
        var image = format != JpegFormat.Instance ? null
            : _options.JpegDecodeSize is { } minSide ? SkiaJpegDecoder.TryDecodeScaled(data, minSide, _contiguous)
            : SkiaJpegDecoder.TryDecodeFull(data, _contiguous);
        var bySkia = image is not null;
        if (image is null)
        {
            using var stream = new DeadlineStream(data, deadline, cancellationToken);
            image = Image.Load<Rgba32>(configuration, stream);
        }
        else
        {
            image.Metadata.ExifProfile = info.Metadata.ExifProfile; // orientation and date, read by Identify
        }

        try
        {
            var (storedWidth, storedHeight) = bySkia ? (info.Width, info.Height) : (image.Width, image.Height);
            var takenAt = ReadTakenAt(image.Metadata.ExifProfile);
            var text = ImageTextReader.Read(bySkia ? info.Metadata : image.Metadata);
            if (format == JpegFormat.Instance && !bySkia)
            {
                // ImageSharp upsamples chroma its own way: redo it as libjpeg does.
                JpegChromaUpsampler.Apply(image, image.Metadata.GetJpegMetadata().ColorType);
            }

            var (decodedWidth, decodedHeight) = (image.Width, image.Height);
            if (_options.ApplyExifOrientation)
            {
                image.Mutate(x => x.AutoOrient());
            }

            // The size people see: the stored size, turned when the orientation turned the picture.
            var turned = image.Width != decodedWidth;
            var (width, height) = turned ? (storedHeight, storedWidth) : (storedWidth, storedHeight);
            // A JPEG has no alpha channel (every decoder fills it opaque): no need to read every pixel to know.
            var hasAlpha = format != JpegFormat.Instance && AnyTransparent(image);
            return new ImageDecodeResult(
                new DecodedImage(image, format.Name.ToLowerInvariant(), storedWidth, storedHeight, hasAlpha, takenAt, width, height, text), null);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A header the decoder does not recognise: damaged when the content starts like a format the decoder reads
    /// (a JPEG of nothing but start and end markers, a PNG cut inside its header), else a format it does not read.
    /// </summary>
    private static ImageDecodeResult Unrecognised(byte[] data) => FormatSniffer.RecogniseSupported(data) is { } name
        ? ImageDecodeResult.Fail(SkipReason.Corrupt, $"starts like {name} but its header is damaged or cut short ({data.Length:N0} bytes)")
        : ImageDecodeResult.Fail(SkipReason.UnsupportedFormat, FormatSniffer.Describe(data));

    /// <summary>The size the header declares. ImageSharp 2.1 reads TGA sizes as signed 16-bit numbers (65535 becomes -1): read them unsigned.</summary>
    private static (int Width, int Height) DeclaredSize(IImageFormat format, byte[] data, IImageInfo info) =>
        format == TgaFormat.Instance && data.Length >= 16
            ? (BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(12)), BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(14)))
            : (info.Width, info.Height);

    private static bool AnyTransparent(Image<Rgba32> image)
    {
        var found = false;
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height && !found; y++)
            {
                foreach (var p in rows.GetRowSpan(y))
                {
                    if (p.A != 255)
                    {
                        found = true;
                        break;
                    }
                }
            }
        });
        return found;
    }

    private static DateTime? ReadTakenAt(ExifProfile? exif)
    {
        if (exif is null)
        {
            return null;
        }

        var text = exif.GetValue(ExifTag.DateTimeOriginal)?.Value ?? exif.GetValue(ExifTag.DateTime)?.Value;
        return DateTime.TryParseExact(text?.Trim('\0', ' '), "yyyy:MM:dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var taken) ? taken : null;
    }
}
