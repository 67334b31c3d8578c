using System.Threading.Channels;

namespace ClipSearch.Indexing.Tests;

public sealed class ChannelBatchesTests
{
    // Only guards against a hang: no test depends on how fast anything is.
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Forever = TimeSpan.FromHours(1);

    /// <summary>An open channel holding 1 to <paramref name="count"/>.</summary>
    private static Channel<int> Holding(int count)
    {
        var channel = Channel.CreateUnbounded<int>();
        for (var i = 1; i <= count; i++)
        {
            channel.Writer.TryWrite(i);
        }

        return channel;
    }

    private static async Task<IReadOnlyList<int>> NextAsync(IAsyncEnumerator<IReadOnlyList<int>> batches)
    {
        Assert.True(await batches.MoveNextAsync().AsTask().WaitAsync(Hang));
        return batches.Current;
    }

    [Fact]
    public async Task ReadAsync_FullBatchWaiting_ReturnsItWithoutWaiting()
    {
        var channel = Holding(5);
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 3, Forever, CancellationToken.None).GetAsyncEnumerator();

        Assert.Equal([1, 2, 3], await NextAsync(batches));
    }

    [Fact]
    public async Task ReadAsync_ItemsArrivingWithinTheWait_JoinTheBatch()
    {
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 3, Forever, CancellationToken.None).GetAsyncEnumerator();
        channel.Writer.TryWrite(1);
        var next = batches.MoveNextAsync().AsTask();
        channel.Writer.TryWrite(2);
        channel.Writer.TryWrite(3);

        Assert.True(await next.WaitAsync(Hang));
        Assert.Equal([1, 2, 3], batches.Current);
    }

    [Fact]
    public async Task ReadAsync_QuietChannel_ReturnsThePartialBatchAfterTheWait()
    {
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 10, TimeSpan.FromMilliseconds(20), CancellationToken.None).GetAsyncEnumerator();
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);

        Assert.Equal([1, 2], await NextAsync(batches));
        channel.Writer.TryWrite(3);
        Assert.Equal([3], await NextAsync(batches));
        Assert.False(channel.Reader.Completion.IsCompleted);
    }

    [Fact]
    public async Task ReadAsync_ChannelCompleted_ReturnsTheRestThenEnds()
    {
        var channel = Holding(5);
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 3, Forever, CancellationToken.None).GetAsyncEnumerator();

        Assert.Equal([1, 2, 3], await NextAsync(batches));
        var rest = batches.MoveNextAsync().AsTask();
        channel.Writer.Complete();

        Assert.True(await rest.WaitAsync(Hang));
        Assert.Equal([4, 5], batches.Current);
        Assert.False(await batches.MoveNextAsync().AsTask().WaitAsync(Hang));
    }

    [Fact]
    public async Task ReadAsync_EmptyChannelCompleted_YieldsNothing()
    {
        var channel = Channel.CreateUnbounded<int>();
        channel.Writer.Complete();
        var count = 0;
        await foreach (var _ in ChannelBatches.ReadAsync(channel.Reader, 3, Forever, CancellationToken.None))
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task ReadAsync_HeavyItems_CloseTheBatchAtTheWeightLimit()
    {
        var channel = Holding(8);
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 100, Forever, static i => i % 2, 2, CancellationToken.None).GetAsyncEnumerator();

        // Odd items weigh 1: a batch closes on its second odd item, or at the item limit.
        Assert.Equal([1, 2, 3], await NextAsync(batches));
        Assert.Equal([4, 5, 6, 7], await NextAsync(batches));
        channel.Writer.Complete();
        Assert.Equal([8], await NextAsync(batches));
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileFillingABatch_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 3, Forever, cancel.Token).GetAsyncEnumerator();
        channel.Writer.TryWrite(1);
        var next = batches.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Hang));
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileEmpty_Throws()
    {
        using var cancel = new CancellationTokenSource();
        var channel = Channel.CreateUnbounded<int>();
        await using var batches = ChannelBatches.ReadAsync(channel.Reader, 3, Forever, cancel.Token).GetAsyncEnumerator();
        var next = batches.MoveNextAsync().AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(Hang));
    }
}
