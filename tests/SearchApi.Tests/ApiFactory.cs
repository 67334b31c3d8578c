using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using ClipSearch.Tests.Shared;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The API in-process (WebApplicationFactory) over <see cref="IndexedPhotos"/>, with the bundled model and its
/// settings given the way users give them (configuration keys); extra settings override per test.
/// </summary>
public sealed class ApiFactory(IndexedPhotos photos, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var values = new Dictionary<string, string?>
        {
            ["ClipSearch:Index:Embedded:Path"] = photos.Store,
            ["ClipSearch:Model"] = TestPaths.TinyClip,
            ["ClipSearch:Device"] = "cpu",
            ["ClipSearch:DefaultCollection"] = IndexedPhotos.Collection,
            ["ClipSearch:RequestsPerMinute"] = "0",
            ["ClipSearch:Decoding:Timeout"] = "00:00:03", // a PNG that ImageSharp 2.1.13 never finishes costs 3 s, not 15
            ["ClipSearch:ThumbnailCache"] = Path.Combine(photos.Root, "thumbnails-" + Guid.NewGuid().ToString("N")),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        builder.UseEnvironment("Production");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(values));
    }
}
