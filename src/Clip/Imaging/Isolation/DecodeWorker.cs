using ClipSearch.Clip.Models;
using ClipSearch.Core;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// The loop a decode worker process runs (<c>clipsearch __decode-worker</c>): read a request from stdin,
/// decode and preprocess in-process, write the tensor to stdout, until stdin closes. A hang or a crash
/// here costs only this process, which the parent kills and replaces.
/// </summary>
public static class DecodeWorker
{
    public static async Task<int> RunAsync(Stream input, Stream output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        while (true)
        {
            var message = await WorkerProtocol.ReadAsync<WorkerRequest>(input, int.MaxValue, cancellationToken).ConfigureAwait(false);
            if (message is not { } m)
            {
                return 0;
            }

            var response = Prepare(m.Header, m.Payload, cancellationToken, out var tensor);
            await WorkerProtocol.WriteAsync(output, response, tensor is null ? ReadOnlyMemory<byte>.Empty : WorkerProtocol.ToBytes(tensor), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static WorkerResponse Prepare(WorkerRequest request, byte[] payload, CancellationToken cancellationToken, out float[]? tensor)
    {
        tensor = null;
        var decoder = new SafeImageDecoder(new ImageDecodeOptions
        {
            MaxPixels = request.MaxPixels,
            MaxFileBytes = request.MaxFileBytes,
            Timeout = TimeSpan.FromMilliseconds(request.TimeoutMs),
            ApplyExifOrientation = request.ApplyExif,
        });
        var decoded = request.Path is null ? decoder.Decode(payload, cancellationToken) : decoder.DecodeFile(request.Path, cancellationToken);
        if (!decoded.Succeeded)
        {
            return new WorkerResponse(false, decoded.Failure.Reason.ToString(), decoded.Failure.Detail, null, 0, 0, false, null);
        }

        using var image = decoded.Image;
        var preprocessor = new ClipImagePreprocessor(new PreprocessorConfig(request.Resize, request.Crop, request.Mean, request.Std));
        try
        {
            tensor = preprocessor.Preprocess(image);
        }
        catch (Exception e) when (e is OutOfMemoryException or InsufficientMemoryException)
        {
            return new WorkerResponse(false, nameof(SkipReason.TooLarge), $"not enough memory to resize ({e.GetType().Name})", null, 0, 0, false, null);
        }

        return new WorkerResponse(true, null, null, image.Format, image.Width, image.Height, image.HasAlpha, image.TakenAt);
    }
}
