using ClipSearch.Core.Index;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The one way the API reaches image files: from a point found by id in the index, opened once, and kept only when the
/// opened file is inside its collection root (itself resolved): see <see cref="OpenedFile"/>. Never from a client path,
/// and never by opening a checked name a second time, which a link swapped in between would redirect.
/// </summary>
internal static class CollectionFiles
{
    /// <summary>The point's file, opened; null when it is missing, not a regular file, or lies outside its root.</summary>
    public static OpenedFile? Open(ImagePayload payload)
    {
        if (payload.Root.Length == 0 || !Path.IsPathFullyQualified(payload.Root) || payload.Path.Length == 0
            || payload.Path.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }

        var root = RealPath(payload.Root);
        return root is null || !Directory.Exists(root) ? null : OpenedFile.Open(payload.FullPath, root);
    }

    /// <summary>The path with every link along it resolved (as realpath(3)), or null when a part is missing or links loop.</summary>
    internal static string? RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = Path.GetPathRoot(full) ?? "/";
        var hops = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            FileSystemInfo info = new FileInfo(next);
            if (!info.Exists)
            {
                info = new DirectoryInfo(next);
                if (!info.Exists && info.LinkTarget is null)
                {
                    return null;
                }
            }

            if (info.LinkTarget is { } target)
            {
                if (++hops > 40)
                {
                    return null;
                }

                // Restart from the link's target with the remaining parts appended.
                var resolved = Path.GetFullPath(target, current);
                var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                full = rest.Length > 0 ? Path.Combine(resolved, rest) : resolved;
                parts = full.Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
                current = Path.GetPathRoot(full) ?? "/";
                i = -1;
                continue;
            }

            current = next;
        }

        return current;
    }
}
