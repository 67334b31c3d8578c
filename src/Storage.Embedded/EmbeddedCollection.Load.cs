using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

// Reading the database into the table: a whole collection (restoring a stamped row file when it can), or the changes since.
internal sealed partial class EmbeddedCollection
{
    /// <summary>Whether the last full load mapped the rows of a stamped row file instead of reading every vector.</summary>
    internal bool RowsRestored { get; private set; }

    /// <summary>Slots in use or free (diagnostics for tests: freed slots are reused before the table grows).</summary>
    internal int SlotCount => Read(() => _table.HighWater);

    /// <summary>Label rows written since the load's start point, by point key, until the points they belong to are applied.</summary>
    private Dictionary<long, Dictionary<string, LabelAssignment?>> _pendingLabels = [];

    private void ApplyChanges(SqliteConnection connection, SqliteTransaction tx, long since, bool full, long seq, string generation)
    {
        // Label rows written since: all of a re-read point's (an upsert rewrote them), and label writes to points the mirror holds.
        _pendingLabels = ReadLabels(connection, tx, since);
        try
        {
            if (full)
            {
                LoadAll(connection, tx, generation);
                _pendingLabels.Clear(); // a full load read every point: what is left belongs to none
            }
            else
            {
                ApplyIncrement(connection, tx, since);
            }

            using var write = _table.WriteLock();
            foreach (var (key, sets) in _pendingLabels)
            {
                if (_table.TryGetByKey(key, out var slot) && _table.PayloadAt(slot) is { } payload)
                {
                    _table.SetPayloadAt(slot, payload with { Labels = Assigned(payload.Labels, sets) });
                }
            }

            _table.Seq = seq;
            _table.Generation = generation;
        }
        finally
        {
            _pendingLabels = [];
        }
    }

    private Dictionary<long, Dictionary<string, LabelAssignment?>> ReadLabels(SqliteConnection connection, SqliteTransaction tx, long since)
    {
        var labels = new Dictionary<long, Dictionary<string, LabelAssignment?>>();
        LabelRows.ReadChanged(connection, tx, Name, since, row =>
        {
            if (!labels.TryGetValue(row.Key, out var sets))
            {
                labels[row.Key] = sets = new Dictionary<string, LabelAssignment?>(1, StringComparer.Ordinal);
            }

            sets[row.LabelSet] = row.Label;
        });

        return labels;
    }

    /// <summary>A row's payload with the label rows read for it (taken out of the pending ones).</summary>
    /// <remarks>A restore from a stamp (<paramref name="take"/> false) leaves them in place: if it gives up half-way, the full read needs them again.</remarks>
    private ImagePayload WithLabels(StoredRow row, bool take = true) =>
        (take ? _pendingLabels.Remove(row.Key, out var sets) : _pendingLabels.TryGetValue(row.Key, out sets))
            ? row.Payload with { Labels = Assigned(ImagePayload.NoLabels, sets) } : row.Payload;

    /// <summary>The labels a point has after one label set write (a null assignment: the set was cleared), as a new map.</summary>
    private static IReadOnlyDictionary<string, LabelAssignment> Assigned(IReadOnlyDictionary<string, LabelAssignment> before, string set, LabelAssignment? label)
    {
        if (before.Count == 0 || (before.Count == 1 && before.ContainsKey(set)))
        {
            return label is null ? ImagePayload.NoLabels : new OneLabelDictionary(set, label);
        }

        return Assigned(before, [new KeyValuePair<string, LabelAssignment?>(set, label)]);
    }

    /// <summary>The labels a point has after these label set writes (a null assignment: the set was cleared), as a new map (a <see cref="OneLabelDictionary"/> for one set).</summary>
    private static IReadOnlyDictionary<string, LabelAssignment> Assigned(IReadOnlyDictionary<string, LabelAssignment> before,
        IEnumerable<KeyValuePair<string, LabelAssignment?>> sets)
    {
        if (before.Count == 0 && sets is IReadOnlyCollection<KeyValuePair<string, LabelAssignment?>> { Count: 1 })
        {
            var (set, label) = sets.First(); // a load's common case: one set on a point read afresh, no dictionary in between
            return label is null ? ImagePayload.NoLabels : new OneLabelDictionary(set, label);
        }

        var labels = new Dictionary<string, LabelAssignment>(before, StringComparer.Ordinal);
        foreach (var (set, label) in sets)
        {
            if (label is null)
            {
                labels.Remove(set);
            }
            else
            {
                labels[set] = label;
            }
        }

        if (labels.Count == 1)
        {
            var only = labels.First();
            return new OneLabelDictionary(only.Key, only.Value);
        }

        return labels.Count == 0 ? ImagePayload.NoLabels : labels;
    }

    /// <summary>The points deleted and changed after <paramref name="since"/>, applied in one hold of the write lock (searches see all or none).</summary>
    private void ApplyIncrement(SqliteConnection connection, SqliteTransaction tx, long since)
    {
        var removed = new List<Guid>();
        using (var tombs = IndexDatabase.Command(connection, tx, "SELECT id FROM tombstones WHERE collection = $c AND seq > $s ORDER BY seq", ("$c", Name), ("$s", since)))
        {
            using var r = tombs.ExecuteReader();
            while (r.Read())
            {
                removed.Add(PointRows.ReadId(r, 0));
            }
        }

        using var write = _table.WriteLock();
        foreach (var id in removed)
        {
            _table.Remove(id);
        }

        ReadPoints(connection, tx, since, null, locked: true, Upsert);
    }

    private void Upsert(List<StoredRow> batch)
    {
        foreach (var row in batch)
        {
            _table.Upsert(row.Id, row.Key, row.Seq, row.Vector, WithLabels(row));
        }
    }

    /// <summary>
    /// Loads the whole collection: from a stamped row file, only the points changed since its stamp bring their vectors
    /// (the others are mapped where the file holds them); otherwise every vector is read into a fresh file.
    /// </summary>
    private void LoadAll(SqliteConnection connection, SqliteTransaction tx, string generation)
    {
        RowStamp? stamp;
        using (_table.WriteLock())
        {
            // Empty until the end: the graph's maintenance leaves a table without a generation alone.
            _table.Generation = string.Empty;
            stamp = _table.OpenRows(generation);
        }

        if (stamp is not null && !Restore(connection, tx, stamp))
        {
            using var write = _table.WriteLock();
            _table.DiscardRows();
            stamp = null;
        }

        RowsRestored = stamp is not null;
        if (stamp is null)
        {
            ReadPoints(connection, tx, -1, null, locked: false, Upsert);
        }
    }

    /// <summary>Places every point at the slot the stamp gives its key; false when the stamp does not match the database.</summary>
    private bool Restore(SqliteConnection connection, SqliteTransaction tx, RowStamp stamp)
    {
        var slotOfKey = new Dictionary<long, int>(stamp.Keys.Length);
        for (var slot = 0; slot < stamp.Keys.Length; slot++)
        {
            if (stamp.Keys[slot] >= 0 && !slotOfKey.TryAdd(stamp.Keys[slot], slot))
            {
                return false;
            }
        }

        var added = new List<StoredRow>();
        var matches = true;
        ReadPoints(connection, tx, -1, stamp.Seq, locked: false, batch =>
        {
            foreach (var row in batch)
            {
                if (slotOfKey.Remove(row.Key, out var slot))
                {
                    _table.Place(slot, row.Id, row.Key, row.Seq, row.Vector, WithLabels(row, take: false));
                }
                else if (row.Vector.Length > 0)
                {
                    added.Add(row); // new since the stamp: a slot is given once every stamped one is taken
                }
                else
                {
                    matches = false; // an old point the stamp does not know
                }
            }
        });
        if (!matches)
        {
            return false;
        }

        using var write = _table.WriteLock();
        _table.EndPlacing();
        foreach (var row in added)
        {
            _table.Upsert(row.Id, row.Key, row.Seq, row.Vector, WithLabels(row, take: false));
        }

        return true;
    }

    /// <summary>
    /// Streams the points changed after <paramref name="since"/> to <paramref name="apply"/> (under the write lock) in
    /// batches, so loading ten million points never holds all their vectors; with <paramref name="vectorsAfter"/>, only
    /// points changed after it bring their vector (the others an empty one). <paramref name="locked"/>: the caller holds it.
    /// </summary>
    private void ReadPoints(SqliteConnection connection, SqliteTransaction tx, long since, long? vectorsAfter, bool locked, Action<List<StoredRow>> apply)
    {
        const int BatchRows = 8192;
        using var points = IndexDatabase.Command(connection, tx, $"SELECT {PointRows.ReadColumns} FROM points p WHERE p.collection = $c AND p.seq > $s",
            ("$c", Name), ("$s", since), ("$vs", vectorsAfter ?? long.MinValue));
        using var r = points.ExecuteReader();
        var batch = new List<StoredRow>(BatchRows);
        var more = true;
        while (more)
        {
            batch.Clear();
            while (batch.Count < BatchRows && (more = r.Read()))
            {
                batch.Add(PointRows.Read(r));
            }

            if (batch.Count > 0)
            {
                using var write = locked ? default : _table.WriteLock();
                apply(batch);
            }
        }
    }
}
