namespace ClipSearch.Engine.Configuration;

/// <summary>Per-user folders, by the XDG base directory conventions.</summary>
public static class UserFolders
{
    /// <summary>$XDG_DATA_HOME/clipsearch/NAME, else ~/.local/share/clipsearch/NAME (indexes, models).</summary>
    public static string Data(string name) => Path.Combine(Base("XDG_DATA_HOME", "share"), "clipsearch", name);

    /// <summary>$XDG_STATE_HOME/clipsearch/NAME, else ~/.local/state/clipsearch/NAME (what the tool remembers for a server).</summary>
    public static string State(string name) => Path.Combine(Base("XDG_STATE_HOME", "state"), "clipsearch", name);

    /// <summary>$XDG_CACHE_HOME/clipsearch/NAME, else ~/.cache/clipsearch/NAME (what can be rebuilt, e.g. optimised model graphs).</summary>
    public static string Cache(string name) => Path.Combine(Base("XDG_CACHE_HOME", null), "clipsearch", name);

    private static string Base(string variable, string? local)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return !string.IsNullOrWhiteSpace(value) ? value
            : local is null ? Path.Combine(home, ".cache")
            : Path.Combine(home, ".local", local);
    }
}
