namespace ClipSearch.Indexing;

/// <summary>How an index run works.</summary>
public sealed record IndexOptions
{
    public ScanOptions Scan { get; init; } = new();

    /// <summary>Images per inference call.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>
    /// Files in flight at once. A file holds its place from being read and hashed, through decoding, until its
    /// embedding is back from the model (or reused), so this bounds the files being read or decoded and those
    /// waiting for an encode batch together. 0 means <see cref="BatchSize"/> plus one per core: a full batch can
    /// wait for the model while one file per core is read and decoded.
    /// </summary>
    public int ReadParallelism { get; init; }

    /// <summary>Points per durable write to the index (a killed run loses at most the batch in flight).</summary>
    public int WriteBatchSize { get; init; } = 256;

    /// <summary>Longest time finished work waits before being written, so that slow runs still checkpoint often.</summary>
    public TimeSpan WriteInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Try again the files skipped by earlier runs even when they have not changed.</summary>
    public bool RetrySkipped { get; init; }
}

/// <summary>What a run did. Counts are of files.</summary>
public sealed record IndexSummary
{
    /// <summary>New files added (encoded, or sharing the embedding of identical content already indexed).</summary>
    public int Indexed { get; init; }

    /// <summary>Files already indexed and unchanged (including files whose time changed but content did not).</summary>
    public int Unchanged { get; init; }

    /// <summary>Indexed files whose content changed and were embedded again.</summary>
    public int Updated { get; init; }

    /// <summary>Indexed files found under a new path (same content): their embedding and labels moved with them.</summary>
    public int Moved { get; init; }

    /// <summary>Indexed files that are gone: removed from the index.</summary>
    public int Deleted { get; init; }

    /// <summary>Files that are not images by content or extension (videos, sidecars, documents).</summary>
    public int Ignored { get; init; }

    /// <summary>Images run through the model in this run.</summary>
    public int Encoded { get; init; }

    /// <summary>Files in the indexed folders that are skipped (this run's and earlier unchanged ones), by reason text.</summary>
    public IReadOnlyDictionary<string, int> Skipped { get; init; } = new Dictionary<string, int>();

    /// <summary>Folders that could not be listed; what they held was left in the index as it was.</summary>
    public IReadOnlyList<string> UnlistedFolders { get; init; } = [];

    public double ElapsedSeconds { get; init; }

    /// <summary>Time spent in each stage, summed over the parallel workers (so it can exceed the elapsed time).</summary>
    public StageTimes Stages { get; init; } = new(default, default, default, default, default, default);

    /// <summary>Files added or updated per second of the run (embeddings reused count too).</summary>
    public double ImagesPerSecond { get; init; }
}

/// <summary>A progress report of a running index.</summary>
/// <param name="Phase">"scanning", "indexing" or "finishing".</param>
/// <param name="FilesToDo">New or changed files found by the scan.</param>
/// <param name="FilesDone">Of those, how many are finished and durably recorded.</param>
/// <param name="Encoded">Images run through the model so far.</param>
/// <param name="Skipped">Files skipped so far in this run.</param>
/// <param name="Elapsed">Time since the run started.</param>
public sealed record IndexProgress(string Phase, int FilesToDo, int FilesDone, int Encoded, int Skipped, TimeSpan Elapsed);

/// <summary>
/// Total time per pipeline stage: reading and hashing files, decoding, resizing and normalising, running the model (summed
/// over the batches encoded side by side), writing the index; and <paramref name="Encoding"/>, the wall time during which
/// at least one batch was being encoded (the model's busy time, however many batches ran at once).
/// </summary>
public sealed record StageTimes(TimeSpan Read, TimeSpan Decode, TimeSpan Preprocess, TimeSpan Encode, TimeSpan Store, TimeSpan Encoding);
