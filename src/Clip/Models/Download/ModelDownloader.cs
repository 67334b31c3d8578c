using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace ClipSearch.Clip.Models.Download;

/// <summary>
/// Downloads model files from a Hugging Face compatible hub (<c>{endpoint}/{repo}/resolve/{revision}/{path}</c>).
/// <list type="bullet">
/// <item>Resume: a file is fetched into <c>NAME.part</c>; an interrupted transfer, in this run or an earlier one,
/// continues from there with an HTTP Range request (a server that ignores it sends the whole file again).</item>
/// <item>Verification: the hub names each file's hash in its HEAD answer: for large (LFS) files the SHA-256
/// in <c>X-Linked-Etag</c>, for small ones the git blob SHA-1 in <c>ETag</c>. Every file is checked against it
/// (and against the announced size) before it takes its place; a mismatch discards the partial file and
/// fetches it once more, then fails naming the file. The SHA-256 of every file is recorded in
/// <c>clipsearch-download.json</c>, so that a later pull skips what is complete.</item>
/// <item>Network errors are retried with backoff, resuming each time.</item>
/// </list>
/// </summary>
public sealed partial class ModelDownloader(Uri? endpoint = null, string revision = "main") : IDisposable
{
    public const string EndpointVariable = "HF_ENDPOINT";
    public const string RecordFile = "clipsearch-download.json";
    private const int Attempts = 4;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly HttpClient _noRedirects = new(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly HttpClient _follow = new(new SocketsHttpHandler { AllowAutoRedirect = true, MaxAutomaticRedirections = 10 })
    {
        Timeout = Timeout.InfiniteTimeSpan, // large files: the read timeout below applies per read instead
    };

    /// <summary>The hub: the endpoint given, else $HF_ENDPOINT, else https://huggingface.co.</summary>
    public Uri Endpoint { get; } = endpoint
        ?? (Environment.GetEnvironmentVariable(EndpointVariable) is { Length: > 0 } e ? new Uri(e) : new Uri("https://huggingface.co"));

    /// <summary>Time a read may stall before the transfer is retried.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>First retry delay (doubled each attempt).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Downloads <paramref name="files"/> into <paramref name="folder"/>; files recorded as complete are kept.</summary>
    public async Task DownloadAsync(IReadOnlyList<ModelFile> files, string folder, IProgress<DownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(files);
        Directory.CreateDirectory(folder);
        var record = ReadRecord(folder);
        long total = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long transferred = 0;
        foreach (var file in files)
        {
            var target = Path.Combine(folder, file.LocalPath);
            if (record.TryGetValue(file.LocalPath, out var done) && File.Exists(target) && new FileInfo(target).Length == done.Size)
            {
                total += done.Size;
                continue;
            }

            var remote = await HeadAsync(file, cancellationToken).ConfigureAwait(false);
            if (remote is null)
            {
                if (file.Optional)
                {
                    continue;
                }

                throw new ModelDownloadException($"{file.Repository}/{file.RemotePath}: not found on {Endpoint} (HTTP 404)");
            }

            var baseTotal = total;
            var fetched = await FetchAsync(file, remote, target, new Progress<long>(bytes =>
            {
                var seconds = Math.Max(1e-3, clock.Elapsed.TotalSeconds);
                progress?.Report(new DownloadProgress(file.LocalPath, bytes, remote.Size, baseTotal + bytes, (transferred + bytes) / seconds));
            }), cancellationToken).ConfigureAwait(false);
            transferred += fetched.Transferred;
            total += fetched.Size;
            record[file.LocalPath] = new RecordEntry(fetched.Size, fetched.Sha256);
            WriteRecord(folder, record);
        }
    }

    private async Task<RemoteFile?> HeadAsync(ModelFile file, CancellationToken cancellationToken)
    {
        var url = new Uri(Endpoint, $"{file.Repository}/resolve/{revision}/{file.RemotePath}");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Head, url);
                using var response = await _noRedirects.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.NotFound)
                {
                    return null;
                }

                if ((int)response.StatusCode >= 400)
                {
                    throw new ModelDownloadException($"{url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
                }

                var linked = Header(response, "X-Linked-Etag");
                var hash = Clean(linked ?? response.Headers.ETag?.Tag);
                var size = long.TryParse(Header(response, "X-Linked-Size"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s
                    : response.Content.Headers.ContentLength;
                var location = response.Headers.Location is { } l ? new Uri(url, l) : url;
                return new RemoteFile((int)response.StatusCode is >= 300 and < 400 ? location : url, size, hash);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < Attempts)
            {
                await Task.Delay(RetryDelay * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                throw new ModelDownloadException($"{url}: {e.Message}", e);
            }
        }
    }

    private async Task<(long Size, string Sha256, long Transferred)> FetchAsync(ModelFile file, RemoteFile remote, string target, IProgress<long> progress,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var part = target + ".part";
        long transferred = 0;
        var mismatches = 0;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                transferred += await TransferAsync(remote, part, progress, cancellationToken).ConfigureAwait(false);
                var (ok, sha256, why) = await VerifyAsync(part, remote, cancellationToken).ConfigureAwait(false);
                if (ok)
                {
                    File.Move(part, target, overwrite: true);
                    return (new FileInfo(target).Length, sha256, transferred);
                }

                File.Delete(part);
                if (++mismatches >= 2)
                {
                    throw new ModelDownloadException($"{file.Repository}/{file.RemotePath}: the download is corrupt ({why}), twice; nothing was kept");
                }
            }
            catch (Exception e) when (IsTransient(e, cancellationToken) && attempt < Attempts)
            {
                await Task.Delay(RetryDelay * Math.Pow(2, attempt - 1), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                throw new ModelDownloadException($"{file.Repository}/{file.RemotePath}: {e.Message} (after {Attempts} attempts; run again to resume)", e);
            }
        }
    }

    /// <summary>Appends the rest of the file to <paramref name="part"/>; returns the bytes received.</summary>
    private async Task<long> TransferAsync(RemoteFile remote, string part, IProgress<long> progress, CancellationToken cancellationToken)
    {
        var have = File.Exists(part) ? new FileInfo(part).Length : 0;
        if (remote.Size is { } size && have >= size)
        {
            return 0; // complete already: verification decides
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, remote.Url);
        if (have > 0)
        {
            request.Headers.Range = new RangeHeaderValue(have, null);
        }

        using var response = await _follow.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(part); // the partial file is longer than the remote one: start over
            throw new IOException("the server refused to resume the partial download; starting over");
        }

        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new HttpRequestException($"the server answered {(int)response.StatusCode} {response.ReasonPhrase}", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ModelDownloadException($"{remote.Url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var resumed = response.StatusCode == HttpStatusCode.PartialContent;
        await using var output = new FileStream(part, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        var position = resumed ? have : 0;
        await using var input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[1 << 16];
        long received = 0;
        var lastReport = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(ReadTimeout);
            int n;
            try
            {
                n = await input.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"no data for {ReadTimeout.TotalSeconds:0} s");
            }

            if (n == 0)
            {
                break;
            }

            await output.WriteAsync(buffer.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            position += n;
            received += n;
            if (lastReport.ElapsedMilliseconds >= 200)
            {
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                progress.Report(position);
                lastReport.Restart();
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        progress.Report(position);
        if (remote.Size is { } expected && position < expected)
        {
            throw new IOException($"the connection ended after {position} of {expected} bytes");
        }

        return received;
    }

    public void Dispose()
    {
        _noRedirects.Dispose();
        _follow.Dispose();
    }
}
