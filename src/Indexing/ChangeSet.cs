using ClipSearch.Core;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexing;

/// <summary>
/// What a run has to do, decided from the scan, the index and the skip records alone (no file is read).
/// </summary>
/// <param name="Unchanged">Indexed files whose root, size and time are as stored.</param>
/// <param name="Work">Files to read, in scan order: new ones, and changed ones with the point they had.</param>
/// <param name="Remembered">Files skipped by an earlier run and unchanged since, by path: not tried again.</param>
/// <param name="PendingDeletes">
/// Points of files gone from the scopes, by id: deleted at the end of the run unless their content turns up under
/// a new path (a move). Files below a folder that could not be listed are not among them.
/// </param>
/// <param name="UnlistedFolders">Folders the scan could not list (normalised); what the index holds from them is kept.</param>
/// <param name="SkipsToForget">
/// Skip records in the scopes that no longer apply: files gone, or indexed (by a run killed before it forgot the
/// record). Records of files in <paramref name="Work"/> are not among them: each one's write records or forgets it.
/// </param>
internal sealed record ChangeSet(int Unchanged, IReadOnlyList<WorkItem> Work, IReadOnlyDictionary<string, SkippedFile> Remembered,
    IReadOnlyDictionary<Guid, StoredPoint> PendingDeletes, IReadOnlyList<string> UnlistedFolders, IReadOnlyList<string> SkipsToForget)
{
    /// <param name="stored">What the index holds, by absolute path.</param>
    /// <param name="scans">One scan per scope; enumerated once, in order.</param>
    /// <param name="skippedBefore">Skip records of earlier runs, by path.</param>
    /// <param name="scopes">The scopes scanned: what is gone is judged within them only.</param>
    /// <param name="retrySkipped">Read again the files skipped before even when unchanged.</param>
    /// <param name="scanned">Told the number of files to read so far after each scan (for the progress line).</param>
    public static ChangeSet Compute(IReadOnlyDictionary<string, StoredPoint> stored, IEnumerable<ScanResult> scans,
        IReadOnlyDictionary<string, SkippedFile> skippedBefore, IReadOnlyList<Scope> scopes, bool retrySkipped, Action<int>? scanned = null)
    {
        var unchanged = 0;
        var work = new List<WorkItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var remembered = new Dictionary<string, SkippedFile>(StringComparer.Ordinal);
        var unlisted = new List<string>();
        foreach (var scan in scans)
        {
            unlisted.AddRange(scan.UnlistedFolders.Select(u => IndexPaths.Normalise(u.Folder)));
            foreach (var file in scan.Files)
            {
                var full = file.FullPath;
                if (!seen.Add(full))
                {
                    continue;
                }

                if (stored.TryGetValue(full, out var point))
                {
                    if (point.Payload.Root == file.Root && point.Payload.SizeBytes == file.Size && point.Payload.ModifiedAt == file.ModifiedAt)
                    {
                        unchanged++;
                    }
                    else
                    {
                        work.Add(new WorkItem(file, point));
                    }
                }
                else if (!retrySkipped && skippedBefore.TryGetValue(full, out var skip) && skip.Size == file.Size && skip.ModifiedAt == file.ModifiedAt
                    && skip.Failure.Reason != SkipReason.Unreadable) // rights change without touching the file: unreadable ones are always tried again
                {
                    remembered[full] = skip;
                }
                else
                {
                    work.Add(new WorkItem(file, null));
                }
            }

            scanned?.Invoke(work.Count);
        }

        // Whether the scan would have seen the file: inside a scope, and not below a folder it could not list.
        bool Listed(string path) => scopes.Any(s => s.Contains(path)) && !unlisted.Any(u => IndexPaths.IsUnder(path, u));
        var pendingDeletes = new Dictionary<Guid, StoredPoint>();
        foreach (var (path, point) in stored)
        {
            if (!seen.Contains(path) && Listed(path))
            {
                pendingDeletes[point.Id] = point;
            }
        }

        var working = work.Select(w => w.File.FullPath).ToHashSet(StringComparer.Ordinal);
        var forget = skippedBefore.Keys.Where(p => !remembered.ContainsKey(p) && !working.Contains(p) && Listed(p)).ToList();
        return new ChangeSet(unchanged, work, remembered, pendingDeletes, unlisted, forget);
    }
}
