namespace ClipSearch.Clip;

/// <summary>A model's towers, as flags: which to load now (<see cref="ClipModel.Load(string, Inference.ClipEngineOptions?, string?, Microsoft.Extensions.Logging.ILogger?, ModelTowers)"/>) or which are loaded.</summary>
[Flags]
public enum ModelTowers
{
    /// <summary>None: every tower loads when first used.</summary>
    None = 0,

    /// <summary>The text tower.</summary>
    Text = 1,

    /// <summary>The image tower (absent from a text tower alone).</summary>
    Vision = 2,

    /// <summary>Both towers.</summary>
    Both = Text | Vision,
}
