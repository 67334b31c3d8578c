using ClipSearch.Core.Index;
using ClipSearch.Tests.Storage;

namespace ClipSearch.Storage.Qdrant.Tests;

/// <summary>
/// The conformance suite against a real Qdrant server, when CLIPSEARCH_QDRANT_URL names one (its gRPC port,
/// e.g. http://localhost:6334; CLIPSEARCH_QDRANT_API_KEY if it needs a key). No Qdrant server can run on the
/// machines this project is built on, so there the suite is reported as skipped with that reason.
/// </summary>
public sealed class QdrantConformanceTests : VectorStoreConformanceTests
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("CLIPSEARCH_QDRANT_URL");

    protected override string? SkipReason => string.IsNullOrWhiteSpace(Url)
        ? "CLIPSEARCH_QDRANT_URL is not set: no Qdrant server to test against (docker compose up qdrant gives one)"
        : null;

    protected override IVectorStore CreateStore() => new QdrantVectorStore(new QdrantStoreOptions
    {
        Url = new Uri(Url!),
        ApiKey = Environment.GetEnvironmentVariable("CLIPSEARCH_QDRANT_API_KEY"),
        ExactSearch = true,
    });
}
