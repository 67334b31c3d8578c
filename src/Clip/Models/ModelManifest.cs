using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClipSearch.Clip.Models;

/// <summary>
/// <c>clipsearch-model.json</c>: what a model folder's own exports cannot say, written by <c>models pull</c> or by the
/// script that trained the model. Every field is optional.
/// </summary>
/// <param name="Id">The id collections record (else config.json's <c>_name_or_path</c>, else the folder name).</param>
/// <param name="Spaces">
/// The models whose image embeddings this model's embeddings are trained to share (JSON <c>space</c>: one id, or a list
/// whose first entry is the model it was trained against): a multilingual text tower distilled onto that model's text
/// tower (M-CLIP), or an export of the same weights under another name. Collections indexed with any of them accept
/// this model's queries.
/// </param>
/// <param name="Languages">The languages the text tower was trained on (ISO 639-1, or "multilingual" where no list is known), for reports.</param>
/// <param name="LogitScale">A sigmoid model's trained logit_scale (its log; the multiplier is exp of it).</param>
/// <param name="LogitBias">A sigmoid model's trained logit_bias.</param>
/// <param name="ScoringSource">Where the scale and bias were read (for reports), or null.</param>
public sealed record ModelManifest(string? Id, IReadOnlyList<string> Spaces, IReadOnlyList<string> Languages, float? LogitScale, float? LogitBias, string? ScoringSource)
{
    public const string FileName = "clipsearch-model.json";

    public static ModelManifest Empty { get; } = new(null, [], [], null, null, null);

    /// <summary>The model this one was trained to share a space with (the first of <see cref="Spaces"/>), or null.</summary>
    public string? Space => Spaces.Count > 0 ? Spaces[0] : null;

    /// <summary>Reads <c>clipsearch-model.json</c> in <paramref name="folder"/>; empty when there is none.</summary>
    /// <exception cref="ClipModelException">The file is not valid JSON or holds values of the wrong kind.</exception>
    public static ModelManifest Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            return Empty;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var root = doc.RootElement;
            var languages = root.TryGetProperty("languages", out var l) && l.ValueKind == JsonValueKind.Array
                ? l.EnumerateArray().Select(e => e.GetString() ?? throw new FormatException("languages must be strings")).ToList()
                : [];
            float? scale = null, bias = null;
            string? source = null;
            if (root.TryGetProperty("scoring", out var s) && s.ValueKind == JsonValueKind.Object)
            {
                scale = s.TryGetProperty("logit_scale", out var ls) ? ls.GetSingle() : null;
                bias = s.TryGetProperty("logit_bias", out var lb) ? lb.GetSingle() : null;
                source = s.TryGetProperty("source", out var src) && src.ValueKind == JsonValueKind.String ? src.GetString() : null;
            }

            return new ModelManifest(Text(root, "id"), SpacesOf(root), languages, scale, bias, source);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or IOException)
        {
            throw new ClipModelException(path, $"a valid {FileName} (id, space as a string or a list of strings, languages, scoring.logit_scale and scoring.logit_bias; {e.Message})", e);
        }
    }

    /// <summary>Writes (or updates) <c>clipsearch-model.json</c> in <paramref name="folder"/>, keeping fields this record does not set.</summary>
    public static void Write(string folder, ModelManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var path = Path.Combine(folder, FileName);
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? [] : [];
        if (manifest.Id is { } id)
        {
            root["id"] = id;
        }

        if (manifest.Spaces is [var space])
        {
            root["space"] = space;
        }
        else if (manifest.Spaces.Count > 1)
        {
            root["space"] = new JsonArray([.. manifest.Spaces.Select(s => (JsonNode)s)]);
        }

        if (manifest.Languages.Count > 0)
        {
            root["languages"] = new JsonArray([.. manifest.Languages.Select(l => (JsonNode)l)]);
        }

        if (manifest.LogitScale is { } scale && manifest.LogitBias is { } bias)
        {
            var scoring = new JsonObject { ["kind"] = "sigmoid", ["logit_scale"] = scale, ["logit_bias"] = bias };
            if (manifest.ScoringSource is { } source)
            {
                scoring["source"] = source;
            }

            root["scoring"] = scoring;
        }

        var temp = path + ".tmp";
        File.WriteAllText(temp, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        File.Move(temp, path, overwrite: true);
    }

    private static List<string> SpacesOf(JsonElement root) => !root.TryGetProperty("space", out var v) ? []
        : v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString())
                ? e.GetString()! : throw new FormatException("space entries must be model ids"))]
            : Text(root, "space") is { } one ? [one] : [];

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(v.GetString()) ? v.GetString() : null;
}
