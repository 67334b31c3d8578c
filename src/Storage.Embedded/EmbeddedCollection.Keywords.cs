using ClipSearch.Core.Index;
using Microsoft.Data.Sqlite;

namespace ClipSearch.Storage.Embedded;

internal sealed partial class EmbeddedCollection : IKeywordSearchable
{
    /// <inheritdoc/>
    /// <remarks>
    /// One FTS5 query per term collects the ids it matches; the filter is applied to the mirror's payloads, as vector
    /// searches apply it. A point another process wrote after the mirror last caught up is left out until it does.
    /// </remarks>
    public Task<IReadOnlyList<KeywordHit>> KeywordSearchAsync(KeywordQuery query, CancellationToken cancellationToken = default)
    {
        VectorChecks.ValidateKeywordQuery(query);
        Refresh();
        var matched = new Dictionary<Guid, int>();
        lock (_refreshGate)
        {
            try
            {
                using var command = IndexDatabase.Command(_reader!, null, KeywordRows.SearchSql, ("$c", Name));
                var match = command.Parameters.Add("$match", SqliteType.Text);
                var terms = KeywordRanking.DistinctTerms(query);
                // Every term at once: one FTS5 AND query, no partial matches collected.
                IEnumerable<(string Match, int Count)> queries = query.All
                    ? [(string.Join(" AND ", terms.Select(KeywordRows.Match)), terms.Count)]
                    : terms.Select(t => (KeywordRows.Match(t), 1));
                foreach (var (text, count) in queries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    match.Value = text;
                    using var r = command.ExecuteReader();
                    while (r.Read())
                    {
                        var id = PointRows.ReadId(r, 0);
                        matched[id] = matched.GetValueOrDefault(id) + count;
                    }
                }
            }
            catch (SqliteException e)
            {
                throw _db.Wrap(e, $"search words in collection '{Name}'");
            }
        }

        return Task.FromResult(Read(() => KeywordRanking.Top(
            matched.Where(kv => _table.TryGet(kv.Key, out var slot) && (query.Filter is null || query.Filter.Matches(_table.PayloadAt(slot)!))),
            query.Limit)));
    }
}
