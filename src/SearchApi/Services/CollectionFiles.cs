using ClipSearch.Core.Index;

namespace ClipSearch.SearchApi.Services;

/// <summary>
/// The one way the API reaches image files: from a point found by id in the index, and only when the file, with
/// every symbolic link resolved, is still inside its collection root (itself resolved). Never from a client path.
/// </summary>
internal static class CollectionFiles
{
    /// <summary>The real path of the point's file, or null when it is missing, not a regular file, or resolves outside its root.</summary>
    public static string? Resolve(ImagePayload payload)
    {
        if (payload.Root.Length == 0 || !Path.IsPathFullyQualified(payload.Root) || payload.Path.Length == 0
            || payload.Path.Split('/').Any(part => part is "" or "." or ".."))
        {
            return null;
        }

        var root = RealPath(payload.Root);
        var file = RealPath(payload.FullPath);
        if (root is null || file is null || !Directory.Exists(root) || !File.Exists(file))
        {
            return null;
        }

        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return file.StartsWith(prefix, StringComparison.Ordinal) ? file : null;
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
