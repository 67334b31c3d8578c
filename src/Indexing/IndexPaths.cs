namespace ClipSearch.Indexing;

/// <summary>Absolute paths as the index keeps them: '/' separators, no trailing '/'.</summary>
internal static class IndexPaths
{
    public static string Normalise(string path)
    {
        var p = path.Replace(Path.DirectorySeparatorChar, '/');
        return p.Length > 1 ? p.TrimEnd('/') : p;
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="folder"/> or below it (both normalised).</summary>
    public static bool IsUnder(string path, string folder) =>
        path == folder || (path.StartsWith(folder, StringComparison.Ordinal) && (folder.EndsWith('/') || path[folder.Length] == '/'));
}
