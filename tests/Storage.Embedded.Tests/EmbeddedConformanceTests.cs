using ClipSearch.Core.Index;
using ClipSearch.Tests.Storage;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>The conformance suite on the embedded store (exact scans), in a folder owned by this test class instance.</summary>
public class EmbeddedConformanceTests : VectorStoreConformanceTests, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "clipsearch-index-" + Guid.NewGuid().ToString("N"));

    protected override IVectorStore CreateStore() => new EmbeddedVectorStore(Configure(new EmbeddedStoreOptions { Path = _folder }));

    protected virtual EmbeddedStoreOptions Configure(EmbeddedStoreOptions options) => options;

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}

/// <summary>The same suite with the HNSW graph built for every collection, however small, so that graph search meets the contract too.</summary>
public sealed class EmbeddedGraphConformanceTests : EmbeddedConformanceTests
{
    protected override EmbeddedStoreOptions Configure(EmbeddedStoreOptions options)
    {
        options.Ann.Threshold = 1;
        return options;
    }
}

/// <summary>The suite with exact scans reading the int8 copy and re-scoring the best candidates in float32.</summary>
public sealed class EmbeddedInt8ConformanceTests : EmbeddedConformanceTests
{
    protected override EmbeddedStoreOptions Configure(EmbeddedStoreOptions options)
    {
        options.SearchMode = SearchMode.Exact;
        options.ScanPrecision = ScanPrecision.Int8Rerank;
        return options;
    }
}
