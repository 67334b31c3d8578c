using ClipSearch.Core.Index;
using ClipSearch.Core.Ranking;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Search;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Common;

/// <summary>Validation of client input where it enters (STYLE: boundaries validate, the inside trusts); each rule throws a 400 that says what is wrong.</summary>
internal static class RequestRules
{
    public const int MaxTextLength = 2000;
    public const int MaxFilterLength = 4000;
    public const int MaxTerms = 32;
    public const int MaxOffset = 100_000;
    public const int MaxPrompts = 20_000;
    public const int MaxLabelLength = 200;

    public static string Collection(string? name, ClipSearchOptions options)
    {
        var value = string.IsNullOrWhiteSpace(name) ? options.DefaultCollection : name;
        try
        {
            CollectionNames.Validate(value);
        }
        catch (VectorStoreException)
        {
            throw RequestException.Invalid($"collection {RequestException.Quote(value)} is not a collection name: 1-64 letters, digits, '_' or '-', starting with a letter or digit.");
        }

        return value;
    }

    public static Guid ImageId(string? value, string field = "id") =>
        Guid.TryParseExact(value?.Trim(), "D", out var id) || Guid.TryParseExact(value?.Trim(), "N", out id)
            ? id
            : throw RequestException.Invalid($"{field} {RequestException.Quote(value)} is not an image id (ids are UUIDs, as in search hits).");

    public static PointFilter? Filter(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (text.Length > MaxFilterLength)
        {
            throw RequestException.Invalid($"filter is {text.Length:N0} characters long; at most {MaxFilterLength:N0} are accepted.");
        }

        try
        {
            return FilterExpression.Parse(text);
        }
        catch (FormatException e)
        {
            throw RequestException.Invalid($"filter: {e.Message}");
        }
    }

    /// <summary>The cut-off, order, diversity and mode of a search, read as the CLI reads them.</summary>
    public static (CutoffMethod Cutoff, ResultOrder Sort, float Diversity, SearchMode Mode) Results(SearchRequest request)
    {
        try
        {
            return (ResultOptions.Cutoff(request.Cutoff), ResultOptions.Sort(request.Sort), ResultOptions.Diversity(request.Diversity), ResultOptions.Mode(request.Mode));
        }
        catch (ArgumentException e)
        {
            throw RequestException.Invalid(e.Message);
        }
    }

    public static void Paging(int k, int offset, float? minScore, ClipSearchOptions options)
    {
        if (k < 1 || k > options.MaxK)
        {
            throw RequestException.Invalid($"k must be between 1 and {options.MaxK}, got {k}.");
        }

        if (offset < 0 || offset > MaxOffset)
        {
            throw RequestException.Invalid($"offset must be between 0 and {MaxOffset:N0}, got {offset}.");
        }

        if (minScore is { } s && (!float.IsFinite(s) || s < -1 || s > 1))
        {
            throw RequestException.Invalid($"minScore must be a number between -1 and 1, got {s}.");
        }
    }

    public static string Text(string text, string field)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw RequestException.Invalid($"{field} is empty; say what to look for.");
        }

        return text.Length <= MaxTextLength
            ? text
            : throw RequestException.Invalid($"{field} is {text.Length:N0} characters long; at most {MaxTextLength:N0} are accepted (CLIP reads 77 tokens anyway).");
    }

    /// <summary>The labels (trimmed, distinct, 2 to the configured maximum), the prompt set and the thresholds of a zero-shot request.</summary>
    public static (IReadOnlyList<string> Labels, PromptSet Prompts, Thresholds Thresholds) ZeroShot(ZeroShotSettings settings, ClipSearchOptions options)
    {
        var labels = (settings.Labels ?? []).Select(l => l?.Trim() ?? "").ToList();
        if (labels.Count < 2 || labels.Count > options.MaxLabels)
        {
            throw RequestException.Invalid($"give between 2 and {options.MaxLabels} labels, got {labels.Count}.");
        }

        if (labels.FirstOrDefault(l => l.Length is 0 or > MaxLabelLength) is { } bad)
        {
            throw RequestException.Invalid($"label {RequestException.Quote(bad)} must be 1-{MaxLabelLength} characters.");
        }

        if (labels.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw RequestException.Invalid($"label {RequestException.Quote(twice.Key)} is given twice.");
        }

        var given = new[] { settings.Template is not null, settings.Ensemble is not null }.Count(x => x);
        if (given > 1)
        {
            throw RequestException.Invalid("give a template or an ensemble, not both.");
        }

        PromptSet prompts;
        try
        {
            var templates = settings.Template is { } t ? [Text(t, "template")] : PromptSet.Ensemble(settings.Ensemble ?? PromptSet.DefaultEnsemble).Templates;
            var overrides = settings.Prompts?.ToDictionary(kv => kv.Key.Trim(), kv => (IReadOnlyList<string>)[.. (kv.Value ?? []).Select(p => Text(p, $"prompts of {RequestException.Quote(kv.Key)}"))],
                StringComparer.Ordinal);
            if (overrides?.FirstOrDefault(kv => kv.Value.Count == 0 || !labels.Contains(kv.Key)) is { Key: not null } unused)
            {
                throw RequestException.Invalid(unused.Value.Count == 0
                    ? $"prompts of {RequestException.Quote(unused.Key)} is empty."
                    : $"prompts are given for {RequestException.Quote(unused.Key)}, which is not one of the labels.");
            }

            prompts = new PromptSet(templates, overrides, settings.Template is not null ? "template" : settings.Ensemble ?? PromptSet.DefaultEnsemble);
        }
        catch (ArgumentException e)
        {
            throw RequestException.Invalid(e.Message);
        }

        if (labels.Sum(l => prompts.PromptsFor(l).Count) > MaxPrompts)
        {
            throw RequestException.Invalid($"{labels.Count} labels with this ensemble make over {MaxPrompts:N0} prompts to embed; use fewer labels or a smaller ensemble.");
        }

        foreach (var (name, value) in new[] { ("minScore", settings.MinScore), ("minMargin", settings.MinMargin) })
        {
            if (value is { } v && (!float.IsFinite(v) || v < -1 || v > 2))
            {
                throw RequestException.Invalid($"{name} must be a number between -1 and 2, got {v}.");
            }
        }

        if (settings.MinProbability is { } p && (!float.IsFinite(p) || p < 0 || p > 1))
        {
            throw RequestException.Invalid($"minProbability must be a number between 0 and 1, got {p}.");
        }

        return (labels, prompts, new Thresholds(settings.MinScore, settings.MinMargin, settings.MinProbability));
    }
}
