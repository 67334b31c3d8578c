using System.Reflection;
using System.Text.Json;

namespace ClipSearch.Core.ZeroShot;

/// <summary>
/// How labels become text prompts: templates with <c>{}</c> for the label (one, or an ensemble whose text
/// embeddings are averaged), plus per-label overrides ("boxer" -> "a photo of a boxer, a type of dog.").
/// </summary>
public sealed record PromptSet
{
    /// <summary>The default: CLIP's own "a photo of a {}.".</summary>
    public const string DefaultEnsemble = "photo";

    public PromptSet(IReadOnlyList<string> templates, IReadOnlyDictionary<string, IReadOnlyList<string>>? overrides = null, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(templates);
        if (templates.Count == 0)
        {
            throw new ArgumentException("a prompt set needs at least one template");
        }

        foreach (var t in templates)
        {
            if (!t.Contains("{}", StringComparison.Ordinal))
            {
                throw new ArgumentException($"the template '{t}' has no {{}} where the label goes");
            }
        }

        Templates = templates;
        Overrides = overrides ?? new Dictionary<string, IReadOnlyList<string>>();
        Name = name ?? (templates.Count == 1 ? templates[0] : $"{templates.Count} templates");
    }

    public IReadOnlyList<string> Templates { get; }

    /// <summary>Labels whose prompts are given outright instead of from the templates.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Overrides { get; }

    /// <summary>How reports name the set: the ensemble's name, or the single template.</summary>
    public string Name { get; }

    /// <summary>The prompts for one label.</summary>
    public IReadOnlyList<string> PromptsFor(string label) =>
        Overrides.TryGetValue(label, out var own) ? own : [.. Templates.Select(t => t.Replace("{}", label, StringComparison.Ordinal))];

    /// <summary>A key identifying the prompts (for caching label embeddings): templates and overrides, in order.</summary>
    public string Key => string.Join("\u0001", Templates) + "\u0002" + string.Join("\u0001", Overrides.OrderBy(o => o.Key, StringComparer.Ordinal)
        .Select(o => o.Key + "\u0003" + string.Join("\u0003", o.Value)));

    /// <summary>Named ensembles: photo (the default), imagenet80 (CLIP's 80 ImageNet templates) and domain presets from OpenAI's published prompts.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Ensembles { get; } = LoadEnsembles();

    /// <summary>A named ensemble; throws <see cref="ArgumentException"/> listing the names when unknown.</summary>
    public static PromptSet Ensemble(string name) => Ensembles.TryGetValue(name, out var templates)
        ? new PromptSet(templates, null, name)
        : throw new ArgumentException($"unknown ensemble '{name}'; known: {string.Join(", ", Ensembles.Keys)}");

    /// <summary>
    /// A prompts file: lines with <c>{}</c> are templates; lines <c>label: prompt</c> (or <c>label = prompt</c>)
    /// override a label's prompts (repeat a label for several); blank lines and lines starting with # are ignored.
    /// </summary>
    public static PromptSet Parse(string text, string name)
    {
        ArgumentNullException.ThrowIfNull(text);
        var templates = new List<string>();
        var overrides = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var separator = line.IndexOfAny([':', '=']);
            if (separator > 0 && !line[..separator].Contains("{}", StringComparison.Ordinal))
            {
                var label = line[..separator].Trim();
                var prompt = line[(separator + 1)..].Trim();
                if (prompt.Length == 0)
                {
                    throw new FormatException($"{name}: '{line}' has no prompt after the label");
                }

                (overrides.TryGetValue(label, out var list) ? list : overrides[label] = []).Add(prompt);
            }
            else if (line.Contains("{}", StringComparison.Ordinal))
            {
                templates.Add(line);
            }
            else
            {
                throw new FormatException($"{name}: '{line}' is neither a template (with {{}}) nor 'label: prompt'");
            }
        }

        return new PromptSet(templates.Count > 0 ? templates : Ensembles[DefaultEnsemble],
            overrides.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value), name);
    }

    private static Dictionary<string, IReadOnlyList<string>> LoadEnsembles()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("ClipSearch.Core.ZeroShot.prompt-presets.json")
            ?? throw new InvalidOperationException("the prompt presets are missing from ClipSearch.Core");
        return JsonSerializer.Deserialize<Dictionary<string, List<string>>>(stream)!
            .ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
    }
}
