using System.ComponentModel.DataAnnotations;

namespace ClipSearch.Storage.Qdrant;

/// <summary>The Qdrant backend (configuration section <c>ClipSearch:Index:Qdrant</c>).</summary>
public sealed class QdrantStoreOptions
{
    public const string SectionName = "ClipSearch:Index:Qdrant";

    /// <summary>gRPC endpoint, e.g. http://localhost:6334 (https:// for TLS). Setting it is what selects Qdrant over the embedded index.</summary>
    public Uri? Url { get; set; }

    /// <summary>API key sent with every call, when the server requires one.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Deadline of each call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Attempts of every call (reads and writes alike) on transient errors (unavailable, deadline, overloaded), with exponential backoff.</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>First retry delay; doubled on each further attempt.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(1, 1024)]
    public uint ShardNumber { get; set; } = 1;

    [Range(1, 16)]
    public uint ReplicationFactor { get; set; } = 1;

    /// <summary>HNSW graph degree.</summary>
    [Range(4, 128)]
    public ulong HnswM { get; set; } = 16;

    /// <summary>HNSW build-time candidate list size.</summary>
    [Range(4, 4096)]
    public ulong HnswEfConstruct { get; set; } = 100;

    /// <summary>Keep vectors and payload on disk, read on demand (memory tier "cold"); otherwise they are warmed into the page cache ("cached").</summary>
    public bool OnDisk { get; set; }

    /// <summary>int8 scalar quantization of stored vectors, pinned in RAM (originals kept for rescoring).</summary>
    public bool ScalarQuantization { get; set; }

    /// <summary>Search without the HNSW index (exact, slower); the conformance suite uses it.</summary>
    public bool ExactSearch { get; set; }

    /// <summary>These settings for another server (a migration's target, say).</summary>
    public QdrantStoreOptions ForServer(Uri url, string? apiKey)
    {
        var copy = (QdrantStoreOptions)MemberwiseClone();
        copy.Url = url;
        copy.ApiKey = apiKey;
        return copy;
    }
}
