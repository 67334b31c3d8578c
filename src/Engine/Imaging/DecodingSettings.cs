using System.ComponentModel.DataAnnotations;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Engine.Imaging;

/// <summary>
/// Where untrusted images are decoded (section <c>ClipSearch:Decoding</c>, beside the limits of
/// <see cref="Clip.Imaging.ImageDecodeOptions"/>: MaxPixels, MaxFileBytes, Timeout (CLI <c>--timeout</c>), ApplyExifOrientation).
/// </summary>
public sealed class DecodingSettings
{
    public const string SectionName = SettingKeys.DecodingSection;

    /// <summary>Decode in worker processes, so that no file can hang or crash the program (a runaway decode's process is killed).</summary>
    public bool Isolate { get; set; } = true;

    /// <summary>Worker processes decoding at once; 0 = one per core (CLI <c>--workers</c>).</summary>
    [Range(0, 256)]
    public int Workers { get; set; }

    /// <summary>Managed heap limit of each worker: an image that needs more is skipped as too large.</summary>
    [Range(64L * 1024 * 1024, long.MaxValue)]
    public long WorkerMemoryLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>The worker pool these settings describe, relaunching <paramref name="host"/>'s program as the workers.</summary>
    public IsolatedImagePreparerOptions WorkerOptions(EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return new IsolatedImagePreparerOptions
        {
            Command = WorkerCommand.For(host.Program),
            Workers = Workers,
            MemoryLimitBytes = WorkerMemoryLimitBytes,
        };
    }
}
