using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Downloads.Tests;

/// <summary>
/// A Hugging Face compatible hub on 127.0.0.1 (real Kestrel), serving files the way huggingface.co does:
/// HEAD /{repo}/resolve/main/{path} answers large (.onnx) files with a redirect to a content-addressed URL
/// plus X-Linked-Etag (SHA-256) and X-Linked-Size (.safetensors files likewise), small files with their git blob
/// SHA-1 as ETag; GET honours Range (<c>bytes=FROM-</c> and <c>bytes=FROM-TO</c>). Faults can be injected: a transfer cut mid-file, a corrupted body.
/// </summary>
internal sealed class FakeHub : IAsyncDisposable
{
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly WebApplication _app;

    public FakeHub()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapMethods("/{**path}", ["GET", "HEAD"], HandleAsync);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Ranges requested ("path: from"), in order.</summary>
    public ConcurrentQueue<string> Ranges { get; } = new();

    /// <summary>GET requests for file bodies, by hub path.</summary>
    public ConcurrentDictionary<string, int> Gets { get; } = new();

    /// <summary>When set, Range headers are ignored and every GET sends the whole file with 200, as some mirrors do.</summary>
    public bool IgnoreRanges { get; set; }

    /// <summary>Body bytes sent, by hub path.</summary>
    public ConcurrentDictionary<string, long> BytesServed { get; } = new();

    /// <summary>Files whose next N body transfers stop after half the bytes (the connection is aborted).</summary>
    public ConcurrentDictionary<string, int> CutNext { get; } = new();

    /// <summary>Files whose next N bodies are served with flipped bytes.</summary>
    public ConcurrentDictionary<string, int> CorruptNext { get; } = new();

    public void Add(string repo, string path, byte[] content) => _files[$"{repo}/resolve/main/{path}"] = content;

    public async Task StartAsync()
    {
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Url = new Uri(address.TrimEnd('/') + "/");
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350", Justification = "git names blobs by SHA-1; this reproduces the hub's ETag, it protects nothing")]
    private static string GitSha1(byte[] content) =>
        Convert.ToHexStringLower(SHA1.HashData([.. Encoding.ASCII.GetBytes($"blob {content.Length}\0"), .. content]));

    private static bool IsLarge(string path) => path.EndsWith(".onnx", StringComparison.Ordinal) || path.EndsWith(".safetensors", StringComparison.Ordinal);

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.TrimStart('/');
        byte[]? content;
        string key;
        if (path.StartsWith("lfs/", StringComparison.Ordinal))
        {
            var sha = path[4..];
            var match = _files.FirstOrDefault(kv => Sha256(kv.Value) == sha);
            (key, content) = (match.Key, match.Value);
        }
        else if (_files.TryGetValue(path, out content))
        {
            key = path;
            if (IsLarge(path))
            {
                // LFS: the hash and size of the linked file, and a redirect to where it is stored.
                context.Response.Headers["X-Linked-Etag"] = $"\"{Sha256(content)}\"";
                context.Response.Headers["X-Linked-Size"] = content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture);
                context.Response.Headers.Location = "/lfs/" + Sha256(content);
                context.Response.StatusCode = StatusCodes.Status302Found;
                return;
            }

            context.Response.Headers.ETag = $"\"{GitSha1(content)}\"";
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (content is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.ContentLength = content.Length;
            return;
        }

        Gets.AddOrUpdate(key, 1, (_, n) => n + 1);
        long from = 0, to = content.Length - 1;
        var range = context.Request.Headers.Range.ToString();
        if (range.StartsWith("bytes=", StringComparison.Ordinal) && !IgnoreRanges)
        {
            var bounds = range[6..].Split('-');
            from = long.Parse(bounds[0], System.Globalization.CultureInfo.InvariantCulture);
            to = bounds[1].Length == 0 ? to : Math.Min(to, long.Parse(bounds[1], System.Globalization.CultureInfo.InvariantCulture));
            Ranges.Enqueue(bounds[1].Length == 0 ? $"{key}: {from}" : $"{key}: {from}-{to}");
            if (from > to)
            {
                context.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                return;
            }

            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange = $"bytes {from}-{to}/{content.Length}";
        }

        var body = content.AsMemory((int)from, (int)(to - from + 1)).ToArray();
        BytesServed.AddOrUpdate(key, body.Length, (_, n) => n + body.Length);
        if (Take(CorruptNext, key))
        {
            for (var i = 0; i < body.Length; i += 97)
            {
                body[i] ^= 0xFF;
            }
        }

        context.Response.ContentLength = body.Length;
        if (Take(CutNext, key))
        {
            await context.Response.Body.WriteAsync(body.AsMemory(0, body.Length / 2));
            await context.Response.Body.FlushAsync();
            context.Abort(); // the connection drops mid-file
            return;
        }

        await context.Response.Body.WriteAsync(body);
    }

    private static bool Take(ConcurrentDictionary<string, int> faults, string key)
    {
        while (faults.TryGetValue(key, out var n) && n > 0)
        {
            if (faults.TryUpdate(key, n - 1, n))
            {
                return true;
            }
        }

        return false;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
