using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection : IKeywordSearchable
{
    private LabelNames? _labelNames;

    /// <inheritdoc/>
    /// <remarks>
    /// One FTS5 query per term collects the ids whose path or metadata text holds it, and the mirror adds those whose labels
    /// do (label words are not in the FTS index, so that writing labels never rewrites it); the filter is applied to the
    /// mirror's payloads, as vector searches apply it. A point another process wrote after the mirror last caught up is
    /// left out until it does.
    /// </remarks>
    public Task<IReadOnlyList<KeywordHit>> KeywordSearchAsync(KeywordQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateKeywordQuery(query);
        Refresh();
        var terms = KeywordRanking.DistinctTerms(query);
        var labelled = Read(() => LabelsMatching(terms));
        var byTerm = terms.Select(_ => new HashSet<Guid>()).ToList();
        lock (_refreshGate)
        {
            try
            {
                using var command = IndexDatabase.Command(_reader!, null, KeywordRows.SearchSql, ("$c", Name));
                var match = command.Parameters.Add("$match", SqliteType.Text);

                // Every term at once: one FTS5 AND query, no partial matches collected (when no label holds a term, the text must hold them all).
                var allAtOnce = query.All && labelled.All(l => l.Count == 0);
                string[] queries = allAtOnce ? [string.Join(" AND ", terms.Select(KeywordRows.Match))] : [.. terms.Select(KeywordRows.Match)];
                for (var q = 0; q < queries.Length; q++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    match.Value = queries[q];
                    using var r = command.ExecuteReader();
                    while (r.Read())
                    {
                        byTerm[q].Add(PointRows.ReadId(r, 0));
                    }
                }

                if (allAtOnce)
                {
                    byTerm = [.. terms.Select(_ => byTerm[0])]; // each hit of the AND query matched every term
                }
            }
            catch (SqliteException e)
            {
                throw _db.Wrap(e, $"search words in collection '{Name}'");
            }
        }

        return Task.FromResult(Read(() =>
        {
            AddLabelled(labelled, byTerm);
            var matched = new Dictionary<Guid, int>();
            foreach (var id in byTerm.SelectMany(ids => ids))
            {
                matched[id] = matched.GetValueOrDefault(id) + 1;
            }

            return KeywordRanking.Top(
                matched.Where(kv => _table.TryGet(kv.Key, out var slot) && (query.Filter is null || query.Filter.Matches(_table.PayloadAt(slot)!))),
                query.Limit, query.All ? terms.Count : 1);
        }));
    }

    /// <summary>For each term, the label names (of any set, runner-ups aside) in the collection that hold it as a word.</summary>
    private List<HashSet<string>> LabelsMatching(IReadOnlyList<KeywordTerm> terms)
    {
        if (_labelNames is not { } names || names.Seq != _table.Seq || names.Generation != _table.Generation)
        {
            var distinct = new HashSet<string>(StringComparer.Ordinal);
            for (var slot = 0; slot < _table.HighWater; slot++)
            {
                foreach (var assignment in _table.PayloadAt(slot)?.Labels.Values ?? [])
                {
                    foreach (var label in assignment.Assigned())
                    {
                        distinct.Add(label.Label);
                    }
                }
            }

            _labelNames = names = new LabelNames(_table.Seq, _table.Generation, [.. distinct.Select(n => (n, KeywordQuery.Words(n).ToArray()))]);
        }

        return [.. terms.Select(t => names.Words.Where(n => KeywordQuery.Matches(t, n.Words)).Select(n => n.Name).ToHashSet(StringComparer.Ordinal))];
    }

    // Adds to each term's ids the points one of whose labels holds it.
    private void AddLabelled(List<HashSet<string>> labelled, List<HashSet<Guid>> byTerm)
    {
        if (labelled.All(l => l.Count == 0))
        {
            return;
        }

        for (var slot = 0; slot < _table.HighWater; slot++)
        {
            if (_table.PayloadAt(slot) is not { Labels.Count: > 0 } payload)
            {
                continue;
            }

            for (var t = 0; t < labelled.Count; t++)
            {
                if (labelled[t].Count > 0 && HasLabel(payload, labelled[t]))
                {
                    byTerm[t].Add(_table.Ids[slot]);
                }
            }
        }
    }

    // Loops rather than LINQ: this runs per labelled point of the collection.
    private static bool HasLabel(ImagePayload payload, HashSet<string> names)
    {
        foreach (var assignment in payload.Labels.Values)
        {
            if (names.Contains(assignment.Label))
            {
                return true;
            }

            foreach (var also in assignment.Also ?? [])
            {
                if (names.Contains(also.Label))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The distinct label names of the mirror at one change sequence number, with their words.</summary>
    private sealed record LabelNames(long Seq, string Generation, (string Name, string[] Words)[] Words);
}
