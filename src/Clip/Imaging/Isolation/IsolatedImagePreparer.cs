using ClipSearch.Core;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.Imaging;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// Prepares images in a pool of worker processes, so that a decode that hangs is really stopped (its
/// process is killed and replaced) and a decoder crash or memory blow-up costs one file, not the run.
/// Requests are spread over <see cref="IsolatedImagePreparerOptions.Workers"/> processes started on demand.
/// </summary>
public sealed class IsolatedImagePreparer : IImagePreparer
{
    // Beyond the decode time limit: worker start-up (first request) and the transfer of the tensor.
    internal static readonly TimeSpan HardTimeoutMargin = TimeSpan.FromSeconds(5);

    private readonly ImageDecodeOptions _decode;
    private readonly ClipImagePreprocessor _preprocessor;
    private readonly DecodeWorkerPool _pool;

    public IsolatedImagePreparer(ImageDecodeOptions decode, ClipImagePreprocessor preprocessor, IsolatedImagePreparerOptions options)
    {
        _decode = decode;
        _preprocessor = preprocessor;
        _pool = new DecodeWorkerPool(options);
    }

    /// <summary>Worker processes killed so far (each one stopped a runaway decode or had crashed).</summary>
    public int WorkersKilled => _pool.WorkersKilled;

    /// <summary>Worker processes started so far.</summary>
    internal int WorkersStarted => _pool.WorkersStarted;

    public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync(Path.GetFullPath(path), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) =>
        RunAsync(null, data, cancellationToken);

    private Task<PrepareResult> RunAsync(string? path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var request = new WorkerRequest(path, _decode.MaxPixels, _decode.MaxFileBytes, (int)_decode.Timeout.TotalMilliseconds,
            _decode.ApplyExifOrientation, _preprocessor.Config, _decode.JpegDecodeSize);
        return _pool.RunAsync(request, payload, _preprocessor.TensorLength * sizeof(float), _decode.Timeout + HardTimeoutMargin, Interpret,
            () => PrepareResult.Fail(SkipReason.TimedOut, $"decoding took longer than {_decode.Timeout.TotalSeconds:0.###} s; the decoder process was stopped"),
            () => PrepareResult.Fail(SkipReason.Corrupt, "the decoder process crashed on this file"), cancellationToken);
    }

    private (PrepareResult, bool Healthy) Interpret(WorkerResponse response, byte[] data)
    {
        if (!response.Ok)
        {
            var reason = Enum.TryParse<SkipReason>(response.Reason, out var r) ? r : SkipReason.Corrupt;
            // A worker that timed out may still hold a spinning decode thread: never reuse it.
            return (PrepareResult.Fail(reason, response.Detail ?? reason.ToString()), reason != SkipReason.TimedOut);
        }

        var tensor = WorkerProtocol.ToFloats(data);
        if (tensor.Length != _preprocessor.TensorLength)
        {
            throw new InvalidDataException($"the decode worker returned {tensor.Length} floats, expected {_preprocessor.TensorLength}");
        }

        var info = new ImageInfo(response.Format ?? "unknown", response.Width, response.Height, response.HasAlpha, response.TakenAt, response.Text);
        var prepared = new PixelTensor(tensor, info)
        {
            DecodeTime = TimeSpan.FromMilliseconds(response.DecodeMs),
            PreprocessTime = TimeSpan.FromMilliseconds(response.PreprocessMs),
        };
        return (new PrepareResult(prepared, null), true);
    }

    /// <summary>One warm-up image per worker the pool runs at once, sent together, so that each starts its own worker.</summary>
    public Task WarmUpAsync() => WarmUpImage.PrepareQuietlyAsync(() => PrepareBytesAsync(WarmUpImage.Jpeg), _pool.Size);

    public void Dispose() => _pool.Dispose();
}
