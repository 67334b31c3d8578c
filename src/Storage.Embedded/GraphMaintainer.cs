using System.Collections.Concurrent;
using ClipSearch.Storage.Embedded.Ann;
using ClipSearch.Storage.Embedded.Primitives;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Storage.Embedded;

/// <summary>
/// Keeps one collection's approximate graph in step with its table, in the background: writers only mark slots
/// (indexing never waits for the graph), this loop adds what the graph lacks and removes what left, and saves the
/// graph beside the database (<see cref="GraphFile"/>) so a restart reloads it instead of rebuilding. Searches use the
/// graph for the points it holds and scan the rest exactly, so results never miss recent writes.
/// </summary>
internal sealed partial class GraphMaintainer : IDisposable
{
    private const int AddChunk = 4096;
    private static readonly TimeSpan SaveAfterIdle = TimeSpan.FromSeconds(2);

    private readonly VectorTable _table;
    private readonly AnnOptions _options;
    private readonly IGraphFactory _factory;
    private readonly GraphFile _file;
    private readonly string _collection;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<long> _removed = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();

    // Fired after every pass of the loop and every chunk it adds: waiters re-check what they wait for then.
    private readonly Pulse _passed = new();
    private readonly Task _loop;
    private IGraphIndex? _index;
    private string _generation = string.Empty;
    private long _changesSinceSave;
    private Exception? _lastFailure; // LastError's exception
    private int _saveWaiters;
    private volatile bool _caughtUp;
    private volatile bool _stopped;

    public GraphMaintainer(VectorTable table, AnnOptions options, IGraphFactory factory, GraphFile file, string collection, ILogger logger)
    {
        _table = table;
        _options = options;
        _factory = factory;
        _file = file;
        _collection = collection;
        _logger = logger;
        table.KeyRemoved += key => _removed.Enqueue(key);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>The graph when it exists and holds most of the collection; null means: search exactly.</summary>
    public IGraphIndex? Index => _index is { } index && _caughtUp ? index : null;

    /// <summary>Whether the graph in use was reloaded from its saved file rather than built.</summary>
    public bool LoadedFromFile { get; private set; }

    /// <summary>Set when the last background pass failed (the store keeps answering exactly meanwhile).</summary>
    public string? LastError { get; private set; }

    /// <summary>Whether the collection is due a graph and the graph lacks points or has changes not saved yet.</summary>
    public bool Behind => BigEnough() && (Pending() != 0 || !_caughtUp || Interlocked.Read(ref _changesSinceSave) > 0);

    /// <summary>Wakes the background pass after a write. After <see cref="Dispose"/> it does nothing: the write it follows is committed, and the next open catches the graph up.</summary>
    public void Signal()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits until the graph holds every point (benchmarks, tests, the CLI before it exits; searches never wait).</summary>
    /// <exception cref="InvalidOperationException">A background pass failed (its error is the message).</exception>
    /// <exception cref="ObjectDisposedException">The maintenance stopped (the collection was dropped or closed) before the graph caught up.</exception>
    public Task WaitUntilCaughtUpAsync(CancellationToken cancellationToken, IProgress<ApproximateIndexProgress>? progress = null) =>
        WaitForAsync(() => Pending() == 0 && (_caughtUp || !BigEnough()), progress, cancellationToken);

    /// <summary>Waits until the graph holds every point and is saved (benchmarks: the save then no longer competes with what they time).</summary>
    public async Task WaitUntilSavedAsync(CancellationToken cancellationToken, IProgress<ApproximateIndexProgress>? progress = null)
    {
        await WaitUntilCaughtUpAsync(cancellationToken, progress).ConfigureAwait(false);
        Interlocked.Increment(ref _saveWaiters);
        try
        {
            await WaitForAsync(() => _index is null || Interlocked.Read(ref _changesSinceSave) == 0, null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _saveWaiters);
        }
    }

    /// <summary>Wakes the loop, then re-checks <paramref name="done"/> after each of its passes (no timer) until it holds.</summary>
    private async Task WaitForAsync(Func<bool> done, IProgress<ApproximateIndexProgress>? progress, CancellationToken cancellationToken)
    {
        Signal();
        while (true)
        {
            // Taken before the checks, so a pass that ends between them and the await still wakes this waiter.
            var passed = _passed.Next;
            if (done())
            {
                return;
            }

            if (LastError is { } error)
            {
                // The pass's own exception as the inner one: a caller can tell a full disk (ENOSPC) from a bug.
                throw new InvalidOperationException(error, _lastFailure);
            }

            ObjectDisposedException.ThrowIf(_stopped, this);
            progress?.Report(Status());
            await passed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool SaveWanted => Volatile.Read(ref _saveWaiters) > 0;

    private ApproximateIndexProgress Status()
    {
        using var hold = _table.ReadLock();
        return new ApproximateIndexProgress(Math.Max(0, _table.Count - _table.OutsideGraphCount), _table.Count);
    }

    private bool BigEnough()
    {
        using var hold = _table.ReadLock();
        return _table.Count >= _options.Threshold;
    }

    private int Pending()
    {
        using var hold = _table.ReadLock();
        return _table.Count < _options.Threshold ? 0 : _table.OutsideGraphCount;
    }

    private async Task RunAsync()
    {
        try
        {
            await RunPassesAsync().ConfigureAwait(false);
        }
        finally
        {
            // However the loop ended, waiters must not wait for passes that will never come.
            _stopped = true;
            _passed.Fire();
        }
    }

    private async Task RunPassesAsync()
    {
        var lastWork = DateTime.UtcNow;
        var again = false;
        while (!_stop.IsCancellationRequested)
        {
            if (!again)
            {
                try
                {
                    await _signal.WaitAsync(SaveAfterIdle, _stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var changed = false;
            try
            {
                changed = Work();
                if (changed)
                {
                    lastWork = DateTime.UtcNow;
                }
                else if (Interlocked.Read(ref _changesSinceSave) > 0 && (SaveWanted || DateTime.UtcNow - lastWork >= SaveAfterIdle))
                {
                    Save();
                }

                LastError = null;
                _lastFailure = null;
            }
#pragma warning disable CA1031 // A failing background pass must not end the loop; searches fall back to exact.
            catch (Exception e)
#pragma warning restore CA1031
            {
                changed = false;
                _lastFailure = e;
                LastError = $"{e.GetType().Name}: {e.Message}";
                LogGraphFailed(_logger, _collection, e);
            }

            // Someone waits for the save: the pass after a change saves it at once rather than after the idle delay.
            again = changed && SaveWanted;
            _passed.Fire();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Maintaining the approximate index of collection {Collection} failed; searches stay exact until it recovers")]
    private static partial void LogGraphFailed(ILogger logger, string collection, Exception exception);

    /// <summary>Stops background work without saving (the collection was dropped).</summary>
    public void Stop()
    {
        EndLoop();
        Interlocked.Exchange(ref _changesSinceSave, 0);
        _index?.Dispose();
        _index = null;
    }

    public void Dispose()
    {
        EndLoop();
        try
        {
            // Catch up with the last writes so the saved graph covers everything and the next start just loads it.
            if (_index is not null && Work() | _changesSinceSave > 0)
            {
                Save();
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The graph is a cache of the database: a failed save only costs a rebuild next time.
        }

        _index?.Dispose();
        _signal.Dispose();
        _stop.Dispose();
    }

    private void EndLoop()
    {
        _stop.Cancel();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(30));
        }
        catch (AggregateException)
        {
        }
    }
}
