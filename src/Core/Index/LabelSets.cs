using System.Text.RegularExpressions;

namespace ClipSearch.Core.Index;

/// <summary>Label set names: they become payload keys in every backend, so they are kept to a safe alphabet.</summary>
public static partial class LabelSets
{
    public const string Default = "default";

    public static void Validate(string name)
    {
        if (name is null || !Pattern().IsMatch(name))
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"Label set names are 1-64 letters, digits, '_' or '-', got '{name}'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Pattern();
}
