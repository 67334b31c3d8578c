namespace ClipSearch.Indexing;

/// <summary>A folder (or single file) to scan, and the root its paths are relative to ('/' separators).</summary>
internal sealed record Scope(string Root, string Target, bool IsFile)
{
    public bool Contains(string fullPath) => IsFile ? fullPath == Target : IndexPaths.IsUnder(fullPath, Target);

    /// <summary>
    /// Each path becomes a scope. A path inside a folder the collection already has as a root keeps that root,
    /// so indexing a subfolder again neither duplicates its images nor changes their ids.
    /// </summary>
    /// <exception cref="ArgumentException">A path does not exist.</exception>
    public static List<Scope> Resolve(IReadOnlyList<string> paths, IReadOnlySet<string> knownRoots)
    {
        var scopes = new List<Scope>();
        foreach (var path in paths)
        {
            var full = IndexPaths.Normalise(Path.GetFullPath(path));
            bool isFile;
            if (File.Exists(full))
            {
                isFile = true;
            }
            else if (Directory.Exists(full))
            {
                isFile = false;
            }
            else
            {
                throw new ArgumentException($"{path}: no such file or folder.");
            }

            var root = knownRoots.Where(r => IndexPaths.IsUnder(full, r) && (!isFile || full != r)).OrderBy(r => r.Length).FirstOrDefault()
                ?? (isFile ? IndexPaths.Normalise(Path.GetDirectoryName(full)!) : full);
            var scope = new Scope(root, full, isFile);
            if (!scopes.Any(s => s.Contains(full)))
            {
                scopes.RemoveAll(s => scope.Contains(s.Target));
                scopes.Add(scope);
            }
        }

        return scopes;
    }

    /// <summary>Lists the scope's files: the folder walked by <paramref name="options"/>, or the one file.</summary>
    public ScanResult Scan(ScanOptions options, CancellationToken cancellationToken)
    {
        if (!IsFile)
        {
            return FileScanner.Scan(Root, Target, options, cancellationToken);
        }

        var info = new FileInfo(Target);
        return new ScanResult([new ScannedFile(Root, Path.GetRelativePath(Root, Target).Replace('\\', '/'), info.Length, FileScanner.NormaliseTime(info.LastWriteTimeUtc))], []);
    }
}
