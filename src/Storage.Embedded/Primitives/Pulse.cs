namespace ClipSearch.Storage.Embedded.Primitives;

/// <summary>
/// A repeating event to await: the task of <see cref="Next"/> completes at the following <see cref="Fire"/>. A waiter
/// takes <see cref="Next"/> before it checks what it waits for, so a firing between the check and the await is not missed.
/// </summary>
internal sealed class Pulse
{
    private TaskCompletionSource _next = NewSource();

    public Task Next => Volatile.Read(ref _next).Task;

    public void Fire() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    // Continuations run on the pool, not inline on the thread that fires (the graph's loop must not run a waiter's code).
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
