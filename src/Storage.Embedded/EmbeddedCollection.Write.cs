using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection
{
    public async Task UpsertAsync(IReadOnlyList<VectorPoint> points, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidatePoints(points, Name, Dimension);
        if (points.Count == 0)
        {
            return;
        }

        // Within one batch the last point with an id wins, as a sequence of single upserts would have it.
        var batch = points.GroupBy(p => p.Id).Select(g => g.Last()).ToList();
        var keys = new long[batch.Count];
        long committedSeq = 0;
        await WriteAsync("upsert points", (connection, tx, seq) =>
        {
            using (_table.WriteLock())
            {
                _table.Reserve(batch.Count); // a full disk fails the write here, before the commit
            }

            // A point keeps its integer key (the approximate index's key) for life; new points take the next one.
            var nextKey = (long)IndexDatabase.Scalar(connection, "SELECT next_key FROM collections WHERE name = $n", tx, ("$n", Name))!;
            using var existing = IndexDatabase.Command(connection, tx, "SELECT key FROM points WHERE collection = $c AND id = $id", ("$c", Name));
            var existingId = existing.Parameters.Add("$id", SqliteType.Blob);
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = PointRows.UpsertSql;
            PointRows.AddPointParameters(command);
            using var vector = PointRows.VectorCommand(connection, tx);
            using var text = TextCommand(connection, tx, KeywordRows.UpsertSql);
            using var dropLabels = IndexDatabase.Command(connection, tx, LabelRows.DeletePointSql, ("$c", Name), ("$key", 0L));
            using var labels = new LabelRows.Writer(connection, tx, Name, seq, _options.LabelLogKeys);
            for (var i = 0; i < batch.Count; i++)
            {
                var id = PointRows.IdBytes(batch[i].Id);
                existingId.Value = id;
                keys[i] = existing.ExecuteScalar() is long key ? key : nextKey++;
                PointRows.Bind(command, Name, keys[i], seq, batch[i]);
                command.ExecuteNonQuery();
                PointRows.BindVector(vector, Name, keys[i], batch[i].Vector);
                vector.ExecuteNonQuery();
                WriteText(text, batch[i].Id, batch[i].Payload);
                LabelRows.ReplacePoint(dropLabels, labels, keys[i], batch[i].Payload.Labels);
            }

            labels.LogChanges();
            IndexDatabase.Scalar(connection, "UPDATE collections SET next_key = $k WHERE name = $n", tx, ("$k", nextKey), ("$n", Name));
            committedSeq = seq;
            return 0L;
        }, table =>
        {
            for (var i = 0; i < batch.Count; i++)
            {
                table.Upsert(batch[i].Id, keys[i], committedSeq, batch[i].Vector, batch[i].Payload);
            }
        }, cancellationToken).ConfigureAwait(false);
        _graph?.Signal();
    }

    public Task<long> DeleteAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return ids.Count == 0 ? Task.FromResult(0L) : DeleteIdsAsync(ids.Distinct().ToList(), cancellationToken);
    }

    public Task<long> DeleteAsync(PointFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();
        Refresh();
        var ids = Read(() => _table.Matching(filter));
        return ids.Count == 0 ? Task.FromResult(0L) : DeleteIdsAsync(ids, cancellationToken);
    }

    private Task<long> DeleteIdsAsync(List<Guid> ids, CancellationToken cancellationToken) =>
        WriteAsync("delete points", (connection, tx, seq) =>
        {
            using var delete = IndexDatabase.Command(connection, tx, "DELETE FROM points WHERE collection = $c AND id = $id", ("$c", Name));
            var idParam = delete.Parameters.Add("$id", SqliteType.Blob);
            using var vector = IndexDatabase.Command(connection, tx, PointRows.VectorDeleteSql, ("$c", Name));
            var vectorId = vector.Parameters.Add("$id", SqliteType.Blob);
            using var tomb = IndexDatabase.Command(connection, tx, "INSERT OR IGNORE INTO tombstones(collection, seq, id) VALUES ($c, $s, $id)", ("$c", Name), ("$s", seq));
            var tombId = tomb.Parameters.Add("$id", SqliteType.Blob);
            using var text = TextCommand(connection, tx, KeywordRows.DeleteSql);
            using var labels = TextCommand(connection, tx, LabelRows.DeletePointByIdSql);
            long deleted = 0;
            foreach (var id in ids)
            {
                idParam.Value = vectorId.Value = tombId.Value = text.Parameters["$id"].Value = labels.Parameters["$id"].Value = PointRows.IdBytes(id);
                vector.ExecuteNonQuery(); // the vector and label rows are found through the points row: before it goes
                labels.ExecuteNonQuery();
                if (delete.ExecuteNonQuery() > 0)
                {
                    deleted++;
                    tomb.ExecuteNonQuery();
                    text.ExecuteNonQuery();
                }
            }

            return deleted;
        }, table =>
        {
            foreach (var id in ids)
            {
                table.Remove(id);
            }
        }, cancellationToken);

    public Task SetLabelsAsync(string labelSet, IReadOnlyList<KeyValuePair<Guid, LabelAssignment>> labels, CancellationToken cancellationToken = default)
    {
        LabelSets.Validate(labelSet);
        ArgumentNullException.ThrowIfNull(labels);
        var changes = new Dictionary<Guid, LabelAssignment>(labels.Count); // the last label given a point wins
        foreach (var (id, label) in labels)
        {
            changes[id] = label;
        }

        return changes.Count == 0 ? Task.CompletedTask : ChangeLabelsAsync(labelSet, changes.Keys.ToList(), id => changes[id], cancellationToken);
    }

    public async Task<long> ClearLabelsAsync(string labelSet, PointFilter? filter = null, CancellationToken cancellationToken = default)
    {
        LabelSets.Validate(labelSet);
        filter?.Validate();
        Refresh();
        var ids = Read(() => _table.Matching(new LabelPresent(labelSet, filter)));
        return ids.Count == 0 ? 0 : await ChangeLabelsAsync(labelSet, ids, _ => null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sets (or, when <paramref name="labelFor"/> returns null, removes) one label set on each point, keeping the others:
    /// one small row per point in label_rows (<see cref="LabelRows"/>), written in point key order, points and keyword
    /// rows untouched. Which points exist (and which have the set, to clear) is read from the mirror, refreshed once this
    /// transaction holds the write lock.
    /// </summary>
    private Task<long> ChangeLabelsAsync(string labelSet, List<Guid> ids, Func<Guid, LabelAssignment?> labelFor, CancellationToken cancellationToken)
    {
        var changes = new List<(long Key, Guid Id, LabelAssignment? Label)>(ids.Count);
        return WriteAsync("write labels", (connection, tx, seq) =>
        {
            Refresh(); // under the write lock: the mirror now holds every other commit, so it answers which points exist
            Read(() =>
            {
                foreach (var id in ids)
                {
                    if (_table.TryGet(id, out var slot) && labelFor(id) is var label && (label is not null || _table.PayloadAt(slot)!.Labels.ContainsKey(labelSet)))
                    {
                        changes.Add((_table.KeyAt(slot), id, label));
                    }
                }

                return 0;
            });
            changes.Sort(static (a, b) => a.Key.CompareTo(b.Key)); // appended to the table in its key order
            LabelRows.UpsertMany(connection, tx, Name, seq, labelSet, changes.Select(static c => (c.Key, c.Label)), _options.LabelLogKeys);

            return changes.Count;
        }, table =>
        {
            foreach (var (_, id, label) in changes)
            {
                if (table.TryGet(id, out var slot) && table.PayloadAt(slot) is { } payload)
                {
                    table.SetPayloadAt(slot, payload with { Labels = Assigned(payload.Labels, labelSet, label) });
                }
            }
        }, cancellationToken);
    }

    /// <summary>A statement on the keyword index (<see cref="KeywordRows"/>) for this collection, its $id (and $words) bound per point.</summary>
    private SqliteCommand TextCommand(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var command = IndexDatabase.Command(connection, tx, sql, ("$c", Name));
        command.Parameters.Add("$id", SqliteType.Blob);
        if (sql.Contains("$words", StringComparison.Ordinal))
        {
            command.Parameters.Add("$words", SqliteType.Text);
        }

        return command;
    }

    private static void WriteText(SqliteCommand upsert, Guid id, ImagePayload payload)
    {
        upsert.Parameters["$id"].Value = PointRows.IdBytes(id);
        upsert.Parameters["$words"].Value = KeywordRows.Text(payload);
        upsert.ExecuteNonQuery();
    }

    /// <summary>
    /// Runs one write transaction under a new change sequence number, then applies the same change to the
    /// mirror; when another process committed in between, the mirror is re-read instead.
    /// </summary>
    private async Task<long> WriteAsync(string doing, Func<SqliteConnection, SqliteTransaction, long, long> write, Action<VectorTable> apply,
        CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            Refresh();
            long seq;
            long result;
            try
            {
                using var connection = _db.Open();
                using var tx = connection.BeginTransaction(deferred: false);
                seq = Convert.ToInt64(IndexDatabase.Scalar(connection, "UPDATE collections SET seq = seq + 1 WHERE name = $n RETURNING seq", tx, ("$n", Name))
                    ?? throw new VectorStoreException(VectorStoreErrorKind.CollectionNotFound, $"Collection '{Name}' no longer exists in {_db.Folder} (it was dropped).",
                $"Collection '{Name}' no longer exists (it was dropped).", null),
                    System.Globalization.CultureInfo.InvariantCulture);
                result = write(connection, tx, seq);
                tx.Commit();
            }
            catch (SqliteException e)
            {
                throw _db.Wrap(e, $"{doing} in collection '{Name}'");
            }

            var inStep = false;
            using (_table.WriteLock())
            {
                if (_table.Seq == seq - 1)
                {
                    apply(_table);
                    _table.Seq = seq;
                    inStep = true;
                }
            }

            if (!inStep)
            {
                Refresh(insideWriteGate: true);
            }

            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Points that carry a label in <paramref name="LabelSet"/> (and match <paramref name="Inner"/>).</summary>
    private sealed record LabelPresent(string LabelSet, PointFilter? Inner) : PointFilter
    {
        public override bool Matches(ImagePayload payload) => payload.Labels.ContainsKey(LabelSet) && (Inner is null || Inner.Matches(payload));

        public override void Validate() => Inner?.Validate();
    }
}
