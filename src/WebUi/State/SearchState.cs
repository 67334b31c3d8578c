using System.Globalization;
using ClipSearch.SearchApi.Contracts;
using Microsoft.AspNetCore.WebUtilities;

namespace ClipSearch.WebUi.State;

/// <summary>
/// Everything a search page shows results for, as one value: read from and written to the page's URL, so that
/// a search can be shared, bookmarked, and stepped back through. The text query is the <c>q</c> parameter.
/// </summary>
public sealed record SearchState
{
    public string? Query { get; init; }

    public string? Collection { get; init; }

    /// <summary>Results under this score are hidden.</summary>
    public float MinScore { get; init; }

    public IReadOnlyList<SearchTerm> Terms { get; init; } = [];

    public FilterState Filter { get; init; } = new();

    /// <summary>
    /// Order of the collection shown before any query (the API's browse sort: taken, modified or name); null is the
    /// default, newest taken first. URL parameter <c>order</c>.
    /// </summary>
    public string? Order { get; init; }

    /// <summary>
    /// Where the matches end: null is "auto" (the measured default: only the results the query really matches, the weaker
    /// ones counted), "none" shows every result. URL parameter <c>cut</c>.
    /// </summary>
    public string? Cutoff { get; init; }

    /// <summary>Order of a query's matches (the API's sort: score, taken, modified, name); null is by score. URL parameter <c>sort</c>.</summary>
    public string? Sort { get; init; }

    /// <summary>Whether bursts of near-identical photos are spread out (diversity 0.3). URL parameter <c>div=1</c>.</summary>
    public bool Diverse { get; init; }

    /// <summary>The cut-offs offered ("auto" is the default) and the query orders.</summary>
    public static readonly string[] Cutoffs = ["auto", "none"];

    public static readonly string[] Sorts = ["score", "taken", "modified", "name"];

    /// <summary>The diversity a page asks for when <see cref="Diverse"/> is on.</summary>
    public const float Diversity = 0.3f;

    /// <summary>The browse orders offered, the default first.</summary>
    public static readonly string[] Orders = ["taken", "modified", "name"];

    public bool HasQuery => !string.IsNullOrWhiteSpace(Query) || Terms.Any(t => !t.Negative);

    /// <summary>
    /// The API request for <paramref name="k"/> results after <paramref name="offset"/>. The minimum score is not sent:
    /// the slider hides results in the page at once, without asking again.
    /// </summary>
    public SearchRequest ToRequest(int k, int offset) => new()
    {
        Collection = Collection,
        Text = string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
        Positive = [.. Terms.Where(t => !t.Negative).Select(t => t.ToContract())],
        Negative = [.. Terms.Where(t => t.Negative).Select(t => t.ToContract())],
        Filter = Filter.ToExpression(),
        K = k,
        Offset = offset,
        Cutoff = Cutoff ?? Cutoffs[0],
        Sort = Sort,
        Diversity = Diverse ? Diversity : null,
    };

    /// <summary>The page URL ("/" with the parameters that are set).</summary>
    public string ToUrl(string path = "/")
    {
        var query = new List<KeyValuePair<string, string?>>();
        if (!string.IsNullOrWhiteSpace(Query))
        {
            query.Add(new("q", Query));
        }

        if (!string.IsNullOrEmpty(Collection))
        {
            query.Add(new("c", Collection));
        }

        if (MinScore > 0)
        {
            query.Add(new("min", MinScore.ToString("0.##", CultureInfo.InvariantCulture)));
        }

        if (Order is not null && Order != Orders[0])
        {
            query.Add(new("order", Order));
        }

        if (Cutoff is not null && Cutoff != Cutoffs[0])
        {
            query.Add(new("cut", Cutoff));
        }

        if (Sort is not null && Sort != Sorts[0])
        {
            query.Add(new("sort", Sort));
        }

        if (Diverse)
        {
            query.Add(new("div", "1"));
        }

        query.AddRange(Terms.Select(t => new KeyValuePair<string, string?>(t.Negative ? "n" : "p", t.ToToken())));
        query.AddRange(Filter.ToQuery().Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value)));
        return QueryHelpers.AddQueryString(path, query);
    }

    /// <summary>The state an URL describes; what does not parse is ignored.</summary>
    public static SearchState FromUrl(string url)
    {
        var question = url.IndexOf('?', StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(question < 0 ? "" : url[question..]);
        string? Get(string key) => query.TryGetValue(key, out var v) && v.Count > 0 && !string.IsNullOrEmpty(v[0]) ? v[0] : null;
        IEnumerable<string> All(string key) => query.TryGetValue(key, out var v) ? v.Where(s => !string.IsNullOrEmpty(s))!.Cast<string>() : [];
        return new SearchState
        {
            Query = Get("q"),
            Collection = Get("c"),
            MinScore = float.TryParse(Get("min"), NumberStyles.Float, CultureInfo.InvariantCulture, out var min) && min is >= 0 and <= 1 ? min : 0,
            Terms = [.. All("p").Select(t => SearchTerm.FromToken(t, false)).Concat(All("n").Select(t => SearchTerm.FromToken(t, true))).OfType<SearchTerm>()],
            Filter = FilterState.FromQuery(Get),
            Order = Orders.Contains(Get("order")) ? Get("order") : null,
            Cutoff = Cutoffs.Contains(Get("cut")) && Get("cut") != Cutoffs[0] ? Get("cut") : null,
            Sort = Sorts.Contains(Get("sort")) && Get("sort") != Sorts[0] ? Get("sort") : null,
            Diverse = Get("div") == "1",
        };
    }
}
