namespace ClipSearch.Tests.Shared;

/// <summary>Where the repository's test data lives, found from the test assembly's folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The bundled tiny CLIP model (models/tiny-clip).</summary>
    public static string TinyClip => Path.Combine(RepoRoot, "models", "tiny-clip");

    public static string TinyClipMultilingual => Path.Combine(RepoRoot, "models", "tiny-clip-multilingual");

    public static string TinySiglip => Path.Combine(RepoRoot, "models", "tiny-siglip");

    public static string Data(params string[] parts) => Path.Combine([RepoRoot, "tests", "data", .. parts]);

    /// <summary>The workplace's shared/ folder beside the checkout, or null when absent (a fresh clone elsewhere).</summary>
    public static string? Shared(params string[] parts)
    {
        var path = Path.Combine([RepoRoot, "..", "shared", .. parts]);
        return File.Exists(path) || Directory.Exists(path) ? Path.GetFullPath(path) : null;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ClipSearch.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No ClipSearch.sln above {AppContext.BaseDirectory}.");
    }
}
