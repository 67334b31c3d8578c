using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;
using ClipSearch.SearchApi.Common;
using Microsoft.AspNetCore.Http.Features;

namespace ClipSearch.SearchApi.Services;

/// <summary>Reading one image upload (multipart/form-data, field "file") within the configured size limit.</summary>
internal static class UploadedImage
{
    /// <summary>The form (with its other fields) and the file's bytes; 415, 413 or 400 problems for what is wrong.</summary>
    public static async Task<(IFormCollection Form, byte[] Bytes)> ReadAsync(HttpRequest request, ClipSearchOptions options, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType || !request.ContentType!.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new RequestException(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "send the image as multipart/form-data with the image in a field named 'file'.");
        }

        if (request.ContentLength > options.MaxUploadBytes + 64 * 1024)
        {
            throw TooLarge(options);
        }

        // Kestrel enforces the endpoint's body limit; this one also holds where no server limit applies.
        request.HttpContext.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions
        {
            MultipartBodyLengthLimit = options.MaxUploadBytes + 64 * 1024,
            ValueCountLimit = 64,
            ValueLengthLimit = RequestRules.MaxFilterLength * 4,
        }));
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw TooLarge(options);
        }
        catch (InvalidDataException e)
        {
            throw RequestException.Invalid($"the multipart body is malformed: {e.Message}");
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            throw RequestException.Invalid("the multipart body ends before its closing boundary.");
        }

        var file = form.Files.GetFile("file") ?? (form.Files.Count == 1 ? form.Files[0] : null)
            ?? throw RequestException.Invalid("no image in the upload: put it in a form field named 'file'.");
        if (file.Length > options.MaxUploadBytes)
        {
            throw TooLarge(options);
        }

        if (file.Length == 0)
        {
            throw RequestException.Invalid("the uploaded file is empty.");
        }

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(bytes, cancellationToken).ConfigureAwait(false);
        }

        return (form, bytes);
    }

    /// <summary>
    /// The problem for an upload that is not a usable image, in the API's words: decoder messages (library
    /// exception text) stay in the indexer's skip reports and never reach a client.
    /// </summary>
    public static RequestException Rejected(ImageFailure failure, byte[] bytes, ImageLimits limits)
    {
        const string Formats = "send JPEG, PNG, GIF, BMP, TIFF, WebP, TGA or PBM";
        var format = FormatSniffer.Recognise(bytes);
        if (format is null && failure.Reason is SkipReason.UnsupportedFormat or SkipReason.Corrupt)
        {
            return new RequestException(StatusCodes.Status415UnsupportedMediaType, "Not an image", $"the upload is not an image: its first bytes match no image format; {Formats}.");
        }

        return failure.Reason switch
        {
            SkipReason.UnsupportedFormat => new RequestException(StatusCodes.Status415UnsupportedMediaType, "Unsupported image format",
                $"the upload is a {format} image, which the server does not read; {Formats}."),
            SkipReason.TooLarge => new RequestException(StatusCodes.Status413PayloadTooLarge, "Image too large",
                $"the image is larger than the server decodes (at most {limits.MaxPixels:N0} pixels and {limits.MaxFileBytes:N0} bytes)."),
            SkipReason.TimedOut => new RequestException(StatusCodes.Status422UnprocessableEntity, "Unreadable image",
                $"decoding the image took longer than the {limits.Timeout.TotalSeconds:0.###} s limit."),
            _ => new RequestException(StatusCodes.Status422UnprocessableEntity, "Unreadable image", $"the {format} data is damaged and could not be decoded."),
        };
    }

    private static RequestException TooLarge(ClipSearchOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, "Upload too large", $"uploads are limited to {options.MaxUploadBytes:N0} bytes.");
}
