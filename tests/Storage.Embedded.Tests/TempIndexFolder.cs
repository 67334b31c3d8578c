namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>An index folder deleted after the test.</summary>
internal sealed class TempIndexFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "clipsearch-index-" + Guid.NewGuid().ToString("N"));

    public EmbeddedVectorStore Open(TimeSpan? busy = null) =>
        new(new EmbeddedStoreOptions { Path = Path, BusyTimeout = busy ?? TimeSpan.FromSeconds(10) });

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
