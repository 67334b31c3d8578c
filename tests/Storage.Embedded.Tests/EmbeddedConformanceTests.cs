using ClipSearch.Core.Index;
using ClipSearch.Tests.Storage;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The conformance suite on the embedded store, in a folder owned by this test class instance.</summary>
public sealed class EmbeddedConformanceTests : VectorStoreConformanceTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-index-" + Guid.NewGuid().ToString("N"));

    protected override IVectorStore CreateStore() => new EmbeddedVectorStore(new EmbeddedStoreOptions { Path = _folder });

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
