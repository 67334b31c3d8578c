namespace ClipSearch.SearchApi.Tests;

/// <summary>One indexed folder and one API over it, shared by the tests that only read (xunit fixtures cannot depend on each other, so this owns both).</summary>
public sealed class SharedApi : IDisposable
{
    private readonly ApiFactory _factory;
    private readonly Lazy<Task<OpenApiDocument>> _openApi;

    public SharedApi()
    {
        Photos = new IndexedPhotos();
        _factory = new ApiFactory(Photos);
        _openApi = new(() => OpenApiDocument.ReadAsync(Client()));
    }

    public IndexedPhotos Photos { get; }

    public HttpClient Client() => _factory.CreateClient();

    public IServiceProvider Services => _factory.Services;

    /// <summary>The API's OpenAPI document, read once (it does not change while the API runs).</summary>
    internal Task<OpenApiDocument> OpenApiAsync() => _openApi.Value;

    public void Dispose()
    {
        _factory.Dispose();
        Photos.Dispose();
    }
}
