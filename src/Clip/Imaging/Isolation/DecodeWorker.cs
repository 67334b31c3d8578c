
using ClipSearch.Clip.Imaging.Thumbnails;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// The loop a decode worker process runs (<c>clipsearch __decode-worker</c>): read a request from stdin,
/// decode and preprocess in-process, write the tensor to stdout, until stdin closes. A hang or a crash
/// here costs only this process, which the parent kills and replaces.
/// </summary>
public static class DecodeWorker
{
    /// <summary>Whether a program was started as a decode worker (its only argument is <see cref="WorkerCommand.Verb"/>).</summary>
    public static bool IsWorkerInvocation(IReadOnlyList<string> args) => args is [WorkerCommand.Verb];

    /// <summary>Runs the worker loop on this process's standard input and output.</summary>
    public static async Task<int> RunOnStandardStreamsAsync(CancellationToken cancellationToken = default)
    {
        using var input = Console.OpenStandardInput();
        using var output = Console.OpenStandardOutput();
        return await RunAsync(input, output, cancellationToken).ConfigureAwait(false);
    }

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

            if (m.Header.ThumbnailSize is { } size)
            {
                var (answer, bytes) = Thumbnail(m.Header, m.Payload, size, cancellationToken);
                await WorkerProtocol.WriteAsync(output, answer, bytes, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var response = Prepare(m.Header, m.Payload, cancellationToken, out var tensor);
            await WorkerProtocol.WriteAsync(output, response, tensor is null ? ReadOnlyMemory<byte>.Empty : WorkerProtocol.ToBytes(tensor), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    private static (WorkerResponse, byte[]) Thumbnail(WorkerRequest request, byte[] payload, int size, CancellationToken cancellationToken)
    {
        var limits = new ImageDecodeOptions { MaxPixels = request.MaxPixels, MaxFileBytes = request.MaxFileBytes, Timeout = TimeSpan.FromMilliseconds(request.TimeoutMs) };
        var result = ThumbnailRendering.Render(limits, payload, size, cancellationToken);
        return result.Image is { } image
            ? (new WorkerResponse(true, null, null, image.ContentType, 0, 0, false, null, 0, 0), image.Bytes)
            : (new WorkerResponse(false, result.Failure!.Reason.ToString(), result.Failure.Detail, null, 0, 0, false, null, 0, 0), []);
    }

    private static WorkerResponse Prepare(WorkerRequest request, byte[] payload, CancellationToken cancellationToken, out float[]? tensor)
    {
        var decoder = new SafeImageDecoder(new ImageDecodeOptions
        {
            MaxPixels = request.MaxPixels,
            MaxFileBytes = request.MaxFileBytes,
            Timeout = TimeSpan.FromMilliseconds(request.TimeoutMs),
            ApplyExifOrientation = request.ApplyExif,
            JpegDecodeSize = request.JpegDecodeSize,
        });
        var preprocessor = new ClipImagePreprocessor(request.Transform ?? throw new InvalidDataException("a prepare request without its transform"));
        var result = ImagePreparation.Prepare(decoder, preprocessor, request.Path is null ? payload : null, request.Path, cancellationToken);
        tensor = (result.Image as PixelTensor)?.Values;
        if (!result.Succeeded)
        {
            return new WorkerResponse(false, result.Failure.Reason.ToString(), result.Failure.Detail, null, 0, 0, false, null, 0, 0);
        }

        var (image, info) = (result.Image, result.Image.Info);
        return new WorkerResponse(true, null, null, info.Format, info.Width, info.Height, info.HasAlpha, info.TakenAt,
            image.DecodeTime.TotalMilliseconds, image.PreprocessTime.TotalMilliseconds, info.Text);
    }
}
