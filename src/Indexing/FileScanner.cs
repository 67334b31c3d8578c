using Microsoft.Extensions.FileSystemGlobbing;

namespace ClipSearch.Indexing;

/// <summary>What to look at while walking a folder.</summary>
public sealed record ScanOptions
{
    /// <summary>Enter hidden folders and take hidden files (names starting with a dot). Off by default.</summary>
    public bool IncludeHidden { get; init; }

    /// <summary>
    /// Follow symbolic links to files and folders. Off by default: a link can then neither pull in files from
    /// outside the indexed folder nor make the walk loop. When on, each real folder is still visited once.
    /// </summary>
    public bool FollowSymlinks { get; init; }

    /// <summary>Globs on the path relative to the indexed folder ('/' separators, <c>**</c> for any depth); none means every file.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Globs of relative paths to leave out; they win over <see cref="Include"/>.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];
}

/// <summary>A regular file found by a scan.</summary>
/// <param name="Root">The indexed folder (absolute, '/' separators).</param>
/// <param name="RelativePath">Path below <paramref name="Root"/> with '/' separators.</param>
/// <param name="Size">Length in bytes.</param>
/// <param name="ModifiedAt">Last write time, to the microsecond (<see cref="FileScanner.NormaliseTime"/>).</param>
public sealed record ScannedFile(string Root, string RelativePath, long Size, DateTimeOffset ModifiedAt)
{
    public string FullPath => Root.EndsWith('/') ? Root + RelativePath : Root + "/" + RelativePath;
}

/// <summary>The outcome of walking one folder.</summary>
/// <param name="Files">Files in the scope, in a stable order.</param>
/// <param name="UnlistedFolders">Folders that could not be listed (permissions, I/O): what they held is unknown, not deleted.</param>
public sealed record ScanResult(IReadOnlyList<ScannedFile> Files, IReadOnlyList<(string Folder, string Error)> UnlistedFolders);

/// <summary>Walks a folder tree by the rules of <see cref="ScanOptions"/> and <see cref="ImageFiles"/>.</summary>
public static class FileScanner
{
    /// <summary>
    /// File times are kept to the microsecond, the precision every backend stores, so that an unchanged file
    /// compares equal with what was recorded.
    /// </summary>
    public static DateTimeOffset NormaliseTime(DateTime utc) => new(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);

    /// <summary>Lists the files of <paramref name="scope"/> (a folder inside <paramref name="root"/>, or the root itself).</summary>
    public static ScanResult Scan(string root, string scope, ScanOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var matcher = BuildMatcher(options);
        var files = new List<ScannedFile>();
        var unlisted = new List<(string, string)>();
        var visited = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(scope);
        var enumeration = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            AttributesToSkip = 0,
            ReturnSpecialDirectories = false,
        };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var folder = pending.Pop();
            if (options.FollowSymlinks && !visited.Add(RealPath(folder)))
            {
                continue;
            }

            List<FileSystemInfo> entries;
            try
            {
                entries = [.. new DirectoryInfo(folder).EnumerateFileSystemInfos("*", enumeration)];
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                unlisted.Add((folder, e.Message));
                continue;
            }

            entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
            var subfolders = new List<string>();
            foreach (var entry in entries)
            {
                if (!options.IncludeHidden && ImageFiles.IsHidden(entry.Name))
                {
                    continue;
                }

                var isLink = entry.LinkTarget is not null;
                if (isLink && !options.FollowSymlinks)
                {
                    continue;
                }

                if (entry is DirectoryInfo)
                {
                    if (!ImageFiles.IsJunkFolder(entry.Name))
                    {
                        subfolders.Add(entry.FullName);
                    }

                    continue;
                }

                if (ImageFiles.IsJunkFile(entry.Name))
                {
                    continue;
                }

                var relative = Path.GetRelativePath(root, entry.FullName).Replace(Path.DirectorySeparatorChar, '/');
                if (matcher is not null && !matcher.Match(relative).HasMatches)
                {
                    continue;
                }

                var file = FollowLink((FileInfo)entry);
                if (file is null)
                {
                    continue; // a dangling link, or a link to something that is not a regular file
                }

                files.Add(new ScannedFile(root, relative, file.Length, NormaliseTime(file.LastWriteTimeUtc)));
            }

            // Depth-first in name order, so the list (and thus the work order) is the same on every run.
            for (var i = subfolders.Count - 1; i >= 0; i--)
            {
                pending.Push(subfolders[i]);
            }
        }

        return new ScanResult(files, unlisted);
    }

    private static Matcher? BuildMatcher(ScanOptions options)
    {
        if (options.Include.Count == 0 && options.Exclude.Count == 0)
        {
            return null;
        }

        var matcher = new Matcher(StringComparison.Ordinal);
        if (options.Include.Count == 0)
        {
            matcher.AddInclude("**/*");
        }

        foreach (var glob in options.Include)
        {
            matcher.AddInclude(glob);
        }

        foreach (var glob in options.Exclude)
        {
            matcher.AddExclude(glob);
        }

        return matcher;
    }

    /// <summary>The file itself, or for a symbolic link its final target; null for a dangling link, a loop, or a link to a non-file.</summary>
    internal static FileInfo? FollowLink(FileInfo file)
    {
        if (file.LinkTarget is null)
        {
            return file;
        }

        try
        {
            return file.ResolveLinkTarget(returnFinalTarget: true) is FileInfo { Exists: true } target ? target : null;
        }
        catch (IOException)
        {
            return null; // a link loop
        }
    }

    private static string RealPath(string folder)
    {
        try
        {
            return new DirectoryInfo(folder).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(folder);
        }
        catch (IOException)
        {
            return folder;
        }
    }
}
