using System.Text.RegularExpressions;

namespace ClipSearch.Core.Index;

/// <summary>Collection names valid in every backend (and as file names).</summary>
public static partial class CollectionNames
{
    public const string Default = "images";

    public static void Validate(string name)
    {
        if (name is null || !Pattern().IsMatch(name))
        {
            throw new VectorStoreException(VectorStoreErrorKind.InvalidRequest, $"Collection names are 1-64 letters, digits, '_' or '-', starting with a letter or digit, got '{name}'.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")]
    private static partial Regex Pattern();
}
