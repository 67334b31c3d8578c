using System.Net;
using System.Net.Http.Json;
using ClipSearch.Tests.Shared;

namespace ClipSearch.SearchApi.Tests;

/// <summary>The API as a real process on a real Kestrel, configured with the documented command-line keys.</summary>
[Collection(ApiTests.Name)]
public sealed class KestrelTests(SharedApi api)
{
    [Fact]
    public async Task Start_WithDocumentedSettings_ServesSearchesOverRealHttp()
    {
        using var process = new ServerProcess(typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0", $"--ClipSearch:Index:Embedded:Path={api.Photos.Store}", $"--ClipSearch:Model={TestPaths.TinyClip}",
            "--ClipSearch:Device=cpu", $"--ClipSearch:DefaultCollection={IndexedPhotos.Collection}",
            $"--ClipSearch:ThumbnailCache={Path.Combine(api.Photos.Root, "kestrel-thumbnails")}");
        var address = await process.ListeningAsync();
        Assert.Equal("127.0.0.1", address.Host);
        using var client = new HttpClient { BaseAddress = address };

        // Ready once the warm-up search over HTTP has run ("warming up" until then), as an orchestrator would poll it.
        var ready = await client.GetAsync("/health/ready");
        for (var i = 0; i < 300 && ready.StatusCode != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            ready = await client.GetAsync("/health/ready");
        }

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        // The warm-up sent an image query too, so that the upload's path is compiled before a user's first one.
        for (var i = 0; i < 50 && !process.Output.Contains("POST http://127.0.0.1", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        Assert.Contains("/api/search/image", process.Output, StringComparison.Ordinal);
        var answer = await Json.ReadAsync(await client.GetAsync("/api/search?q=a+photo+of+a+red+star.&k=2"));
        Assert.Equal(["red-star", "red-star"], Json.HitClasses(answer));

        // An upload through Kestrel's real multipart parsing and a decode worker process of the API's own.
        var file = api.Photos.FileOf("blue-square");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(file)), "file", "q.jpg" } };
        var similar = await Json.ReadAsync(await client.PostAsync("/api/search/image", form));
        Assert.Equal(api.Photos.IdOf(file), similar.GetProperty("hits")[0].GetProperty("id").GetGuid());

        var bad = await client.PostAsJsonAsync("/api/search", new { text = "a", k = -1 });
        await HostileRequestTests.AssertAnswerAsync(bad, 400, false);
        var thumbnail = await client.GetAsync(new Uri(answer.GetProperty("hits")[0].GetProperty("thumbnailUrl").GetString()!, UriKind.Relative));
        Assert.Equal("image/jpeg", thumbnail.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Start_ModelFolderMissing_ExitsWithOneClearLine()
    {
        using var process = new ServerProcess(typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0", $"--ClipSearch:Index:Embedded:Path={api.Photos.Store}", "--ClipSearch:Model=/nonexistent/model");
        Assert.Equal(1, await process.ExitCodeAsync());
        Assert.Contains("ClipSearch:Model: the folder /nonexistent/model does not exist", process.Output);
        Assert.DoesNotContain("   at ", process.Output);
    }

    [Fact]
    public async Task Start_BadLimit_ExitsNamingTheSetting()
    {
        using var process = new ServerProcess(typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0", $"--ClipSearch:Index:Embedded:Path={api.Photos.Store}", "--ClipSearch:MaxK=0");
        Assert.Equal(1, await process.ExitCodeAsync());
        Assert.Contains("MaxK", process.Output);
        Assert.DoesNotContain("   at ", process.Output);
    }
}
