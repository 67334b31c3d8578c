namespace ClipSearch.Indexing;

/// <summary>Per-user folders, by the XDG base directory conventions.</summary>
public static class UserFolders
{
    /// <summary>$XDG_DATA_HOME/clipsearch/NAME, else ~/.local/share/clipsearch/NAME (indexes, models).</summary>
    public static string Data(string name) => Path.Combine(Base("XDG_DATA_HOME", "share"), "clipsearch", name);

    /// <summary>$XDG_STATE_HOME/clipsearch/NAME, else ~/.local/state/clipsearch/NAME (what the tool remembers for a server).</summary>
    public static string State(string name) => Path.Combine(Base("XDG_STATE_HOME", "state"), "clipsearch", name);

    /// <summary>The variable naming the embedded index folder the CLI and the API default to.</summary>
    public const string StoreVariable = "CLIPSEARCH_STORE";

    /// <summary>The default embedded index: $CLIPSEARCH_STORE, else ~/.local/share/clipsearch/index (CLI and API alike).</summary>
    public static string DefaultStore() => FromEnvironment(StoreVariable, Data("index"));

    /// <summary>The folder named by <paramref name="variable"/> when set, else <paramref name="fallback"/>.</summary>
    public static string FromEnvironment(string variable, string fallback) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? Path.GetFullPath(value) : fallback;

    private static string Base(string variable, string local)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", local)
            : value;
    }
}
