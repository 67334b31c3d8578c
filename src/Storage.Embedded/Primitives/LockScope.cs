namespace ClipSearch.Storage.Embedded.Primitives;

/// <summary>
/// A read or write hold on a <see cref="ReaderWriterLockSlim"/>, released when disposed:
/// <c>using (LockScope.Read(gate)) { ... }</c> instead of an enter and a try/finally exit at every use.
/// A ref struct: nothing is allocated, and a hold cannot escape the method that took it.
/// </summary>
internal readonly ref struct LockScope
{
    private readonly ReaderWriterLockSlim _lock;
    private readonly bool _write;

    private LockScope(ReaderWriterLockSlim @lock, bool write)
    {
        _lock = @lock;
        _write = write;
    }

    public static LockScope Read(ReaderWriterLockSlim @lock)
    {
        @lock.EnterReadLock();
        return new LockScope(@lock, write: false);
    }

    public static LockScope Write(ReaderWriterLockSlim @lock)
    {
        @lock.EnterWriteLock();
        return new LockScope(@lock, write: true);
    }

    /// <summary>Releases the hold (nothing for a default scope, which holds nothing).</summary>
    public void Dispose()
    {
        if (_lock is null)
        {
            return;
        }

        if (_write)
        {
            _lock.ExitWriteLock();
        }
        else
        {
            _lock.ExitReadLock();
        }
    }
}
