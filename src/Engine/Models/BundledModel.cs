namespace ClipSearch.Engine.Models;

/// <summary>The tiny CLIP copied beside every program built on the engine (models/tiny-clip in the repository).</summary>
public static class BundledModel
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "models", "tiny-clip");
}
