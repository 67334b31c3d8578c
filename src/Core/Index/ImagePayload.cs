namespace ClipSearch.Core.Index;

/// <summary>What the index stores about an image besides its embedding. Both backends round-trip every field.</summary>
public sealed record ImagePayload
{
    /// <summary>Path relative to <see cref="Root"/>, with '/' separators.</summary>
    public required string Path { get; init; }

    /// <summary>Absolute path of the collection root the image was found under ('/' separators, no trailing '/').</summary>
    public required string Root { get; init; }

    public long SizeBytes { get; init; }

    /// <summary>File modification time (UTC).</summary>
    public DateTimeOffset ModifiedAt { get; init; }

    /// <summary>Hex digest of the file content.</summary>
    public string? ContentHash { get; init; }

    public int Width { get; init; }

    public int Height { get; init; }

    /// <summary>Format sniffed from the content, lower case ("jpeg", "png", ...).</summary>
    public string? Format { get; init; }

    /// <summary>EXIF date taken (camera-local time, stored and compared as if UTC), when present.</summary>
    public DateTime? TakenAt { get; init; }

    /// <summary>Camera, title, description and keywords the file carries (EXIF, IPTC, XMP), when it carries any.</summary>
    public ImageText? Text { get; init; }

    /// <summary>Labels written by categorization runs, by label set name.</summary>
    /// <remarks>Unlabelled payloads share one empty dictionary: a store holds millions of payloads.</remarks>
    public IReadOnlyDictionary<string, LabelAssignment> Labels { get; init; } = NoLabels;

    /// <summary>The shared empty label map.</summary>
    public static IReadOnlyDictionary<string, LabelAssignment> NoLabels { get; } = System.Collections.ObjectModel.ReadOnlyDictionary<string, LabelAssignment>.Empty;

    /// <summary>
    /// The text keyword search matches (<see cref="IKeywordSearchable"/>): the file's path below its root (folder and file
    /// names), the camera, title, description and keywords the file carries (<see cref="Text"/>), and the names of the
    /// labels categorization gave it (every label set, further labels included).
    /// </summary>
    public string SearchText()
    {
        var text = new System.Text.StringBuilder(Path);
        foreach (var part in Text?.Parts() ?? [])
        {
            text.Append(' ').Append(part);
        }

        foreach (var assignment in Labels.Values)
        {
            foreach (var label in assignment.Assigned().Where(l => l.Label.Length > 0))
            {
                text.Append(' ').Append(label.Label);
            }
        }

        return text.ToString();
    }

    /// <summary>The absolute path of the file: <see cref="Root"/> + '/' + <see cref="Path"/>.</summary>
    public string FullPath => Root.EndsWith('/') ? Root + Path : Root + "/" + Path;

    /// <summary>Every folder containing the file, from the root down: an image is in its folder and all its ancestors.</summary>
    public IReadOnlyList<string> Folders()
    {
        var folders = new List<string> { Root };
        var current = Root;
        var parts = Path.Split('/');
        for (var i = 0; i < parts.Length - 1; i++)
        {
            current = current.EndsWith('/') ? current + parts[i] : current + "/" + parts[i];
            folders.Add(current);
        }

        return folders;
    }

    /// <summary>
    /// Whether <paramref name="folder"/> is one of <see cref="Folders"/>, without building the list: filtered
    /// scans ask this once per point per query.
    /// </summary>
    public bool IsInFolder(string folder)
    {
        var root = Root.AsSpan();
        var f = folder.AsSpan();
        if (f.SequenceEqual(root))
        {
            return true;
        }

        // Below the root: folder = Root + "/" + a leading run of Path's directory segments.
        if (!f.StartsWith(root, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = f[root.Length..];
        if (!root.EndsWith('/'))
        {
            if (rest.Length == 0 || rest[0] != '/')
            {
                return false;
            }

            rest = rest[1..];
        }

        var directory = Path.AsSpan(0, Math.Max(0, Path.LastIndexOf('/')));
        return rest.Length > 0 && directory.StartsWith(rest, StringComparison.Ordinal)
            && (directory.Length == rest.Length || directory[rest.Length] == '/');
    }

    public bool Equals(ImagePayload? other) =>
        other is not null && Path == other.Path && Root == other.Root && SizeBytes == other.SizeBytes
        && ModifiedAt == other.ModifiedAt && ContentHash == other.ContentHash && Width == other.Width && Height == other.Height
        && Format == other.Format && TakenAt == other.TakenAt && Equals(Text, other.Text)
        && Labels.Count == other.Labels.Count && Labels.All(kv => other.Labels.TryGetValue(kv.Key, out var o) && o == kv.Value);

    public override int GetHashCode() => HashCode.Combine(Path, Root, SizeBytes, ContentHash);
}
