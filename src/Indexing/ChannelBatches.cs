using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ClipSearch.Indexing;

/// <summary>
/// Reads a channel in batches: a batch takes whatever is waiting, up to its limits, and once it holds an item
/// waits for more only until <c>maxWait</c> has passed since that first item. So a busy channel gives full batches
/// and a quiet one never holds an item back longer than <c>maxWait</c>. Completion of the channel yields what is
/// left, then ends; cancellation throws (a partial batch is dropped, not yielded).
/// </summary>
internal static class ChannelBatches
{
    /// <summary>Batches of at most <paramref name="maxItems"/>.</summary>
    public static IAsyncEnumerable<IReadOnlyList<T>> ReadAsync<T>(ChannelReader<T> reader, int maxItems, TimeSpan maxWait, CancellationToken cancellationToken) =>
        ReadAsync(reader, maxItems, maxWait, static _ => 0, int.MaxValue, cancellationToken);

    /// <summary>Batches of at most <paramref name="maxItems"/>, closed early once their items weigh <paramref name="maxWeight"/>.</summary>
    public static async IAsyncEnumerable<IReadOnlyList<T>> ReadAsync<T>(ChannelReader<T> reader, int maxItems, TimeSpan maxWait, Func<T, int> weight, int maxWeight,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(weight);
        var batch = new List<T>();
        var weighs = 0;
        var started = 0L;
        while (true)
        {
            var completed = false;
            if (reader.TryRead(out var item))
            {
                if (batch.Count == 0)
                {
                    started = Stopwatch.GetTimestamp();
                }

                batch.Add(item);
                weighs += weight(item);
                if (batch.Count < maxItems && weighs < maxWeight)
                {
                    continue;
                }
            }
            else if (batch.Count == 0)
            {
                if (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                yield break;
            }
            else if (maxWait - Stopwatch.GetElapsedTime(started) is var left && left > TimeSpan.Zero)
            {
                var more = reader.WaitToReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(more, Task.Delay(left, cancellationToken)).ConfigureAwait(false) == more)
                {
                    if (await more.ConfigureAwait(false))
                    {
                        continue;
                    }

                    completed = true;
                }

                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return batch;
            if (completed)
            {
                yield break;
            }

            batch = [];
            weighs = 0;
        }
    }
}
