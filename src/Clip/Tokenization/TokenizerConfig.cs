using System.Text.Json;
using ClipSearch.Clip.Models;

namespace ClipSearch.Clip.Tokenization;

/// <summary>The special tokens and limits a Hugging Face <c>tokenizer_config.json</c> (or <c>special_tokens_map.json</c>) names.</summary>
public sealed record TokenizerConfig(string? BosToken, string? EosToken, string? PadToken, string? UnkToken, int? ModelMaxLength, bool? AddBosToken,
    bool? AddEosToken)
{
    public static TokenizerConfig Empty { get; } = new(null, null, null, null, null, null, null);

    /// <summary>Reads the first of <paramref name="paths"/> that exists (tokenizer_config.json, then special_tokens_map.json); empty when none does.</summary>
    /// <exception cref="ClipModelException">The file is not valid JSON.</exception>
    public static TokenizerConfig Read(params string[] paths)
    {
        foreach (var path in paths.Where(File.Exists))
        {
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllText(path));
                var root = doc.RootElement;
                int? max = root.TryGetProperty("model_max_length", out var m) && m.ValueKind == JsonValueKind.Number && m.TryGetInt32(out var v) ? v : null;
                return new TokenizerConfig(Token(root, "bos_token"), Token(root, "eos_token"), Token(root, "pad_token"), Token(root, "unk_token"), max,
                    Flag(root, "add_bos_token"), Flag(root, "add_eos_token"));
            }
            catch (JsonException e)
            {
                throw new ClipModelException(path, $"a valid tokenizer configuration ({e.Message})", e);
            }
        }

        return Empty;
    }

    // A token is written as a string, or as an AddedToken object {"content": ...}.
    private static string? Token(JsonElement root, string name) => !root.TryGetProperty(name, out var t) ? null : t.ValueKind switch
    {
        JsonValueKind.String => t.GetString(),
        JsonValueKind.Object when t.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String => c.GetString(),
        _ => null,
    };

    private static bool? Flag(JsonElement root, string name) =>
        root.TryGetProperty(name, out var f) && f.ValueKind is JsonValueKind.True or JsonValueKind.False ? f.GetBoolean() : null;
}
