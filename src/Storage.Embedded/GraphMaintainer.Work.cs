using System.Numerics.Tensors;
using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded;

// One pass of the background loop, and what it needs: creating, reloading, rebuilding and saving the graph.
internal sealed partial class GraphMaintainer
{
    /// <summary>One pass: create or reload the graph if due, apply removals, add what it lacks. True when anything changed.</summary>
    private bool Work()
    {
        if (!EnsureIndex())
        {
            return false;
        }

        var index = _index!;
        var changed = false;
        while (_removed.TryDequeue(out var key))
        {
            index.Remove((ulong)key);
            Interlocked.Increment(ref _changesSinceSave);
            changed = true;
        }

        if (index.TooManyTombstones)
        {
            // Tombstones still cost search time and memory: past a quarter of the live points, build afresh.
            index = Rebuild();
            changed = true;
        }

        while (true)
        {
            List<(int Slot, long Key, int Version)> batch;
            float[] vectors;
            var dimension = _table.Dimension;
            using (_table.ReadLock())
            {
                batch = _table.OutsideGraph(AddChunk);
                vectors = new float[batch.Count * dimension];
                for (var i = 0; i < batch.Count; i++)
                {
                    _table.VectorAt(batch[i].Slot).CopyTo(vectors.AsSpan(i * dimension));
                }

                if (index.Capacity < _table.Count + batch.Count)
                {
                    index.Reserve(Math.Max(_table.Count + batch.Count, 1024));
                }
            }

            if (batch.Count == 0)
            {
                break;
            }

            Parallel.For(0, batch.Count, new ParallelOptions { MaxDegreeOfParallelism = _options.BuildThreads },
                i => index.Add((ulong)batch[i].Key, vectors.AsSpan(i * dimension, dimension)));
            changed = true;
            if (index.TooManyTombstones)
            {
                // Re-added (changed) points left tombstones behind: past the limit, build afresh right away. Before
                // the chunk is marked: a waiter woken by a marked chunk must never see the graph it replaces.
                index = Rebuild();
                continue;
            }

            // Exclusively: a search must see each slot either in the graph or outside it from start to end. A slot
            // marked between its graph search and its scan of the points outside the graph would be in neither.
            using (_table.WriteLock())
            {
                foreach (var (slot, _, version) in batch)
                {
                    _table.MarkInGraph(slot, version);
                }
            }

            Interlocked.Add(ref _changesSinceSave, batch.Count);
            _passed.Fire(); // waiters report progress chunk by chunk, not only when a long pass ends
        }

        _caughtUp = true;
        return changed;
    }

    private bool EnsureIndex()
    {
        string generation;
        int count;
        using (_table.ReadLock())
        {
            generation = _table.Generation;
            count = _table.Count;
        }

        if (_index is not null && generation == _generation)
        {
            return true;
        }

        _index?.Dispose();
        _index = null;
        _caughtUp = false;
        if (count < _options.Threshold || generation.Length == 0)
        {
            return false;
        }

        _generation = generation;
        _removed.Clear();
        var loaded = TryLoad(generation);
        LoadedFromFile = loaded is not null;
        _index = loaded ?? NewIndex();
        return true;
    }

    /// <summary>An empty graph whose int8 scale fits the collection's vectors (sampled from the table).</summary>
    private IGraphIndex NewIndex()
    {
        const int SampleRows = 4096;
        var max = 0f;
        using (_table.ReadLock())
        {
            var step = Math.Max(1, _table.HighWater / SampleRows);
            for (var slot = 0; slot < _table.HighWater; slot += step)
            {
                if (_table.PayloadAt(slot) is not null)
                {
                    max = Math.Max(max, TensorPrimitives.MaxMagnitude(_table.VectorAt(slot)));
                }
            }
        }

        return _factory.Create(_table.Dimension, max);
    }

    /// <summary>Replaces the graph with an empty one; every point is then outside it until the pass adds them again.</summary>
    private IGraphIndex Rebuild()
    {
        var old = _index;
        _caughtUp = false;
        _index = null;
        old?.Dispose();
        _removed.Clear();
        ClearGraphMarks();
        _index = NewIndex();
        return _index;
    }

    private void ClearGraphMarks()
    {
        using var hold = _table.ReadLock();
        _table.ClearGraphMarks();
    }

    /// <summary>Reloads the saved graph of this collection incarnation, marking the slots it still holds; null when absent, unreadable or too stale.</summary>
    private IGraphIndex? TryLoad(string generation)
    {
        if (_file.TryLoad(generation, stream => _factory.Load(stream, _table.Dimension)) is not { } saved)
        {
            return null;
        }

        var (index, savedSeq) = saved;
        using (_table.ReadLock())
        {
            _table.ClearGraphMarks();
            for (var slot = 0; slot < _table.HighWater; slot++)
            {
                if (_table.PayloadAt(slot) is not null && _table.RowSeqAt(slot) <= savedSeq)
                {
                    _table.MarkInGraph(slot, _table.VersionAt(slot));
                }
            }

            // Points deleted since the save (by another process, or before a crash) become tombstones now, so
            // they take no place among a search's candidates. Changed ones are re-added by the next pass.
            index.RemoveWhere(key => !_table.TryGetByKey((long)key, out _));
        }

        // Past a quarter of tombstones, build afresh rather than walk through them.
        if (index.TooManyTombstones)
        {
            index.Dispose();
            ClearGraphMarks();
            return null;
        }

        return index;
    }

    private void Save()
    {
        if (_index is not { } index)
        {
            return;
        }

        long seq;
        using (_table.ReadLock())
        {
            // The saved graph is trusted only for rows no newer than this, and only if nothing is pending.
            if (_table.OutsideGraphCount > 0)
            {
                return;
            }

            seq = _table.Seq;
        }

        _file.Save(_generation, seq, index.Save);
        Interlocked.Exchange(ref _changesSinceSave, 0);
    }
}
