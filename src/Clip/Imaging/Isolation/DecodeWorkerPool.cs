using System.Collections.Concurrent;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>
/// Worker processes for untrusted decoding, started on demand and reused: at most <see cref="IsolatedImagePreparerOptions.Workers"/>
/// run at once; one that overruns its time limit, crashes or answers garbage is killed and replaced, so that no decode can
/// keep a thread of this process or hang it.
/// </summary>
internal sealed class DecodeWorkerPool : IDisposable
{
    private readonly IsolatedImagePreparerOptions _options;
    private readonly WorkerCommand _command;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentBag<DecodeWorkerProcess> _idle = [];
    private int _killed, _started;
    private bool _disposed;

    public DecodeWorkerPool(IsolatedImagePreparerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _command = options.Command ?? WorkerCommand.ForCurrentProcess();
        Size = options.Workers > 0 ? options.Workers : Environment.ProcessorCount;
        _slots = new SemaphoreSlim(Size, Size);
    }

    /// <summary>How many workers run at once.</summary>
    public int Size { get; }

    /// <summary>Worker processes killed so far (each one stopped a runaway decode or had crashed).</summary>
    public int WorkersKilled => Volatile.Read(ref _killed);

    /// <summary>Worker processes started so far.</summary>
    public int WorkersStarted => Volatile.Read(ref _started);

    /// <summary>
    /// Sends one request to a worker and reads its answer (at most <paramref name="maxAnswerBytes"/> of payload) within
    /// <paramref name="limit"/>. <paramref name="interpret"/> turns the answer into a result and says whether the worker may
    /// be reused; <paramref name="timedOut"/> and <paramref name="crashed"/> give the results when its process had to be killed.
    /// </summary>
    public async Task<T> RunAsync<T>(WorkerRequest request, ReadOnlyMemory<byte> payload, long maxAnswerBytes, TimeSpan limit,
        Func<WorkerResponse, byte[], (T Result, bool Healthy)> interpret, Func<T> timedOut, Func<T> crashed, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        DecodeWorkerProcess? worker = null;
        var reusable = false;
        try
        {
            worker = _idle.TryTake(out var idle) && !idle.HasExited ? idle : Start();
            var exchange = ExchangeAsync(worker, request, payload, maxAnswerBytes);
            var deadline = Task.Delay(limit, cancellationToken);
            if (await Task.WhenAny(exchange, deadline).ConfigureAwait(false) != exchange)
            {
                Kill(worker);
                _ = exchange.ContinueWith(t => t.Exception, TaskScheduler.Default);
                cancellationToken.ThrowIfCancellationRequested();
                return timedOut();
            }

            T result;
            try
            {
                var (response, data) = await exchange.ConfigureAwait(false);
                (result, reusable) = interpret(response, data);
            }
            catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or System.Text.Json.JsonException)
            {
                Kill(worker);
                return crashed();
            }

            if (!reusable)
            {
                Kill(worker);
            }

            return result;
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

    private static async Task<(WorkerResponse, byte[])> ExchangeAsync(DecodeWorkerProcess worker, WorkerRequest request, ReadOnlyMemory<byte> payload, long maxAnswerBytes)
    {
        await WorkerProtocol.WriteAsync(worker.Input, request, payload, CancellationToken.None).ConfigureAwait(false);
        return await WorkerProtocol.ReadAsync<WorkerResponse>(worker.Output, maxAnswerBytes, CancellationToken.None).ConfigureAwait(false)
            ?? throw new EndOfStreamException("the decode worker exited");
    }

    private DecodeWorkerProcess Start()
    {
        var worker = DecodeWorkerProcess.Start(_command, _options.MemoryLimitBytes);
        Interlocked.Increment(ref _started);
        return worker;
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
