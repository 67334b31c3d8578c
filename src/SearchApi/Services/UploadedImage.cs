using ClipSearch.Core;
using ClipSearch.SearchApi.Hosting;
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

    /// <summary>The problem for an upload that is not a usable image.</summary>
    public static RequestException Rejected(ImageFailure failure) => failure.Reason switch
    {
        SkipReason.UnsupportedFormat => new RequestException(StatusCodes.Status415UnsupportedMediaType, "Not a supported image",
            $"the upload is not an image the server can read ({failure.Detail}); send JPEG, PNG, GIF, BMP, TIFF, WebP, TGA or PBM."),
        SkipReason.TooLarge => new RequestException(StatusCodes.Status413PayloadTooLarge, "Image too large", $"the image is too large: {failure.Detail}."),
        _ => new RequestException(StatusCodes.Status422UnprocessableEntity, "Unreadable image", $"the image could not be decoded: {failure.Detail}."),
    };

    private static RequestException TooLarge(ClipSearchOptions options) =>
        new(StatusCodes.Status413PayloadTooLarge, "Upload too large", $"uploads are limited to {options.MaxUploadBytes:N0} bytes.");
}
