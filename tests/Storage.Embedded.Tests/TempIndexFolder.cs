namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>An index folder deleted after the test.</summary>
internal sealed class TempIndexFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clipsearch-index-" + Guid.NewGuid().ToString("N"));

    public EmbeddedVectorStore Open(TimeSpan? busy = null) =>
        new(new EmbeddedStoreOptions { Path = Path, BusyTimeout = busy ?? TimeSpan.FromSeconds(10) });

    /// <summary>Runs SQL on the store's file through a connection of its own (another process, as far as the store can tell).</summary>
    public string? Sql(string sql)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={System.IO.Path.Combine(Path, IndexDatabase.FileName)};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
