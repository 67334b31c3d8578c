namespace ClipSearch.WebUi.State;

/// <summary>The labels typed as chips: comma-separated input (typed or pasted) adds each label once, trimmed.</summary>
public sealed class LabelList
{
    public const int MaxLabelLength = 200;

    private readonly List<string> _labels = [];

    public IReadOnlyList<string> Labels => _labels;

    /// <summary>Adds every comma- or newline-separated label of <paramref name="text"/> not already there (case-insensitively); returns how many were added.</summary>
    public int Add(string? text)
    {
        var added = 0;
        foreach (var label in (text ?? "").Split([',', '\n', '\r', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (label.Length <= MaxLabelLength && !_labels.Contains(label, StringComparer.OrdinalIgnoreCase))
            {
                _labels.Add(label);
                added++;
            }
        }

        return added;
    }

    public bool Remove(string label) => _labels.Remove(label);

    public void Clear() => _labels.Clear();
}
