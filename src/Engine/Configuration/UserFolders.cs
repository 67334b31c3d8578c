namespace ClipSearch.Engine.Configuration;

/// <summary>Per-user folders, by the XDG base directory conventions.</summary>
public static class UserFolders
{
    /// <summary>$XDG_DATA_HOME/clipsearch/NAME, else ~/.local/share/clipsearch/NAME (indexes, models).</summary>
    public static string Data(string name) => Path.Combine(Base("XDG_DATA_HOME", "share"), "clipsearch", name);

    /// <summary>$XDG_STATE_HOME/clipsearch/NAME, else ~/.local/state/clipsearch/NAME (what the tool remembers for a server).</summary>
    public static string State(string name) => Path.Combine(Base("XDG_STATE_HOME", "state"), "clipsearch", name);

    private static string Base(string variable, string local)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", local)
            : value;
    }
}
