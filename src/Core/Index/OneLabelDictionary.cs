using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ClipSearch.Core.Index;

/// <summary>
/// The labels of an image that has one label set, as a read-only map: a store holding a million categorized images keeps
/// a million of these, at a fifth of a one-entry <see cref="Dictionary{TKey, TValue}"/>'s memory (its buckets and entries
/// arrays). Set names compare ordinally, as everywhere else.
/// </summary>
public sealed class OneLabelDictionary(string labelSet, LabelAssignment label) : IReadOnlyDictionary<string, LabelAssignment>
{
    public int Count => 1;

    public LabelAssignment this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No label set '{key}'.");

    public IEnumerable<string> Keys => [labelSet];

    public IEnumerable<LabelAssignment> Values => [label];

    public bool ContainsKey(string key) => string.Equals(key, labelSet, StringComparison.Ordinal);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out LabelAssignment value)
    {
        value = ContainsKey(key) ? label : null;
        return value is not null;
    }

    public IEnumerator<KeyValuePair<string, LabelAssignment>> GetEnumerator()
    {
        yield return new(labelSet, label);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
