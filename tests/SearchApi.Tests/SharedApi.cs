namespace ClipSearch.SearchApi.Tests;

/// <summary>One indexed folder and one API over it, shared by the tests that only read (xunit fixtures cannot depend on each other, so this owns both).</summary>
public sealed class SharedApi : IDisposable
{
    private readonly ApiFactory _factory;

    public SharedApi()
    {
        Photos = new IndexedPhotos();
        _factory = new ApiFactory(Photos);
    }

    public IndexedPhotos Photos { get; }

    public HttpClient Client() => _factory.CreateClient();

    public IServiceProvider Services => _factory.Services;

    public void Dispose()
    {
        _factory.Dispose();
        Photos.Dispose();
    }
}
