namespace ClipSearch.Indexing;

/// <summary>
/// Tells when indexed folders have changed: file-system events (FileSystemWatcher, recursive), settled for a
/// quiet period so that a copy of a thousand photos becomes one pass, with a periodic rescan as the fallback
/// for events the operating system drops (inotify queue overflow, network shares that send none).
/// </summary>
public sealed class FolderWatcher : IDisposable
{
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly TimeSpan _rescan;
    private readonly TimeSpan _quiet;
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DateTime _lastEvent;

    public FolderWatcher(IEnumerable<string> paths, TimeSpan rescan, TimeSpan? quiet = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        _rescan = rescan;
        _quiet = quiet ?? TimeSpan.FromSeconds(1.5);
        foreach (var path in paths)
        {
            var full = Path.GetFullPath(path);
            var isFile = File.Exists(full);
            var watcher = new FileSystemWatcher(isFile ? Path.GetDirectoryName(full)! : full)
            {
                IncludeSubdirectories = !isFile,
                Filter = isFile ? Path.GetFileName(full) : "",
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                InternalBufferSize = 64 * 1024,
            };
            watcher.Created += OnEvent;
            watcher.Changed += OnEvent;
            watcher.Deleted += OnEvent;
            watcher.Renamed += OnEvent;
            watcher.Error += (_, _) => Signal(); // events were lost: a pass rescans everything anyway
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>Events seen so far (for tests and diagnostics).</summary>
    public int Events { get; private set; }

    private void OnEvent(object sender, FileSystemEventArgs e) => Signal();

    private void Signal()
    {
        lock (_gate)
        {
            Events++;
            _lastEvent = DateTime.UtcNow;
            _changed.TrySetResult();
        }
    }

    /// <summary>Returns once something changed and then stayed quiet for a moment, or the rescan interval passed.</summary>
    public async Task WaitForChangesAsync(CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            changed = _changed.Task;
        }

        await Task.WhenAny(changed, Task.Delay(_rescan, cancellationToken)).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        while (true)
        {
            TimeSpan wait;
            lock (_gate)
            {
                wait = _quiet - (DateTime.UtcNow - _lastEvent);
                if (wait <= TimeSpan.Zero || !_changed.Task.IsCompleted)
                {
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    return;
                }
            }

            await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }
    }
}
