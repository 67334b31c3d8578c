using ClipSearch.Storage.Embedded.Primitives;

namespace ClipSearch.Storage.Embedded.Tests;

public sealed class PulseTests
{
    [Fact]
    public async Task Fire_TaskTakenBefore_CompletesItAndTheNextOneWaitsAgain()
    {
        var pulse = new Pulse();
        var first = pulse.Next;
        Assert.Same(first, pulse.Next);
        Assert.False(first.IsCompleted);

        pulse.Fire();
        await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(first.IsCompletedSuccessfully);
        Assert.NotSame(first, pulse.Next);
        Assert.False(pulse.Next.IsCompleted);
    }
}
