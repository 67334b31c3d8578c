using System.ComponentModel.DataAnnotations;

namespace ClipSearch.Clip.Imaging.Isolation;

/// <summary>The decode worker pool.</summary>
public sealed class IsolatedImagePreparerOptions
{
    /// <summary>Worker processes decoding in parallel; 0 = one per core.</summary>
    [Range(0, 256)]
    public int Workers { get; set; }

    /// <summary>Managed heap limit of each worker (DOTNET_GCHeapHardLimit): an image that needs more is skipped as too large.</summary>
    [Range(64L * 1024 * 1024, long.MaxValue)]
    public long MemoryLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How to start a worker; default: the running program with its hidden worker verb.</summary>
    public WorkerCommand? Command { get; set; }
}
