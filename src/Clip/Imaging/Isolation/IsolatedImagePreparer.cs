using System.Collections.Concurrent;
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
    private static readonly TimeSpan HardTimeoutMargin = TimeSpan.FromSeconds(5);

    private readonly ImageDecodeOptions _decode;
    private readonly ClipImagePreprocessor _preprocessor;
    private readonly IsolatedImagePreparerOptions _options;
    private readonly WorkerCommand _command;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<DecodeWorkerProcess> _idle = [];
    private int _killed;
    private bool _disposed;

    public IsolatedImagePreparer(ImageDecodeOptions decode, ClipImagePreprocessor preprocessor, IsolatedImagePreparerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _decode = decode;
        _preprocessor = preprocessor;
        _options = options;
        _command = options.Command ?? WorkerCommand.ForCurrentProcess();
        var workers = options.Workers > 0 ? options.Workers : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(workers, workers);
    }

    /// <summary>Worker processes killed so far (each one stopped a runaway decode or had crashed).</summary>
    public int WorkersKilled => Volatile.Read(ref _killed);

    public Task<PrepareResult> PrepareFileAsync(string path, CancellationToken cancellationToken = default) =>
        RunAsync(Path.GetFullPath(path), ReadOnlyMemory<byte>.Empty, cancellationToken);

    public Task<PrepareResult> PrepareBytesAsync(byte[] data, CancellationToken cancellationToken = default) =>
        RunAsync(null, data, cancellationToken);

    private async Task<PrepareResult> RunAsync(string? path, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        DecodeWorkerProcess? worker = null;
        var reusable = false;
        try
        {
            worker = _idle.TryTake(out var idle) && !idle.HasExited ? idle : DecodeWorkerProcess.Start(_command, _options.MemoryLimitBytes);
            var request = new WorkerRequest(path, _decode.MaxPixels, _decode.MaxFileBytes, (int)_decode.Timeout.TotalMilliseconds,
                _decode.ApplyExifOrientation, _preprocessor.Config, _decode.JpegDecodeSize);
            var exchange = ExchangeAsync(worker, request, payload);
            var limit = Task.Delay(_decode.Timeout + HardTimeoutMargin, cancellationToken);
            if (await Task.WhenAny(exchange, limit).ConfigureAwait(false) != exchange)
            {
                Kill(worker);
                _ = exchange.ContinueWith(t => t.Exception, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
                return PrepareResult.Fail(SkipReason.TimedOut, $"decoding took longer than {_decode.Timeout.TotalSeconds:0.###} s; the decoder process was stopped");
            }

            (PrepareResult Result, bool Healthy) outcome;
            try
            {
                outcome = await exchange.ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or System.Text.Json.JsonException)
            {
                Kill(worker);
                return PrepareResult.Fail(SkipReason.Corrupt, "the decoder process crashed on this file");
            }

            if (!outcome.Healthy)
            {
                Kill(worker);
            }

            reusable = outcome.Healthy;
            return outcome.Result;
        }
        finally
        {
            if (worker is not null)
            {
                if (reusable && !_disposed)
                {
                    _idle.Add(worker);
                }
                else
                {
                    worker.Dispose();
                }
            }

            _slots.Release();
        }
    }

    private async Task<(PrepareResult, bool Healthy)> ExchangeAsync(DecodeWorkerProcess worker, WorkerRequest request, ReadOnlyMemory<byte> payload)
    {
        await WorkerProtocol.WriteAsync(worker.Input, request, payload, CancellationToken.None).ConfigureAwait(false);
        var message = await WorkerProtocol.ReadAsync<WorkerResponse>(worker.Output, _preprocessor.TensorLength * sizeof(float), CancellationToken.None)
            .ConfigureAwait(false) ?? throw new EndOfStreamException("the decode worker exited");
        var (response, data) = message;
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

        var info = new ImageInfo(response.Format ?? "unknown", response.Width, response.Height, response.HasAlpha, response.TakenAt);
        var prepared = new PixelTensor(tensor, info)
        {
            DecodeTime = TimeSpan.FromMilliseconds(response.DecodeMs),
            PreprocessTime = TimeSpan.FromMilliseconds(response.PreprocessMs),
        };
        return (new PrepareResult(prepared, null), true);
    }

    private void Kill(DecodeWorkerProcess worker)
    {
        worker.Kill();
        Interlocked.Increment(ref _killed);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        while (_idle.TryTake(out var worker))
        {
            worker.Dispose();
        }

        _slots.Dispose();
    }
}
