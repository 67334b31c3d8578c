using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ClipSearch.Clip.Models.Download;

/// <summary>What the downloader checks and remembers: hashes and sizes against the hub's, the record of complete files.</summary>
public sealed partial class ModelDownloader
{
    private sealed record RemoteFile(Uri Url, long? Size, string? Hash);

    private sealed record RecordEntry(long Size, string Sha256);

    /// <summary>Checks size and the hub's hash: SHA-256 (64 hex digits) or git blob SHA-1 (40). Returns the SHA-256 either way.</summary>
    private static async Task<(bool Ok, string Sha256, string Why)> VerifyAsync(string path, RemoteFile remote, CancellationToken cancellationToken)
    {
        var length = new FileInfo(path).Length;
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var gitSha1 = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        gitSha1.AppendData(Encoding.ASCII.GetBytes($"blob {length.ToString(CultureInfo.InvariantCulture)}\0"));
        await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int n;
            while ((n = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                sha256.AppendData(buffer, 0, n);
                gitSha1.AppendData(buffer, 0, n);
            }
        }

        var sha = Convert.ToHexStringLower(sha256.GetHashAndReset());
        if (remote.Size is { } size && size != length)
        {
            return (false, sha, $"{length} bytes, the server announced {size}");
        }

        var expected = remote.Hash;
        var actual = expected?.Length == 40 ? Convert.ToHexStringLower(gitSha1.GetHashAndReset()) : sha;
        return expected is null || expected.Length is not (40 or 64) || actual == expected
            ? (true, sha, "")
            : (false, sha, $"{(expected.Length == 64 ? "SHA-256" : "git SHA-1")} {actual}, the server announced {expected}");
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException or TaskCanceledException && e is not ModelDownloadException;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static string? Clean(string? etag) =>
        etag?.Trim().Replace("W/", "", StringComparison.Ordinal).Trim('"').ToLowerInvariant();

    private static Dictionary<string, RecordEntry> ReadRecord(string folder)
    {
        var path = Path.Combine(folder, RecordFile);
        try
        {
            return File.Exists(path)
                ? JsonSerializer.Deserialize<Dictionary<string, RecordEntry>>(File.ReadAllText(path)) ?? []
                : [];
        }
        catch (JsonException)
        {
            return []; // a damaged record only means files are verified again
        }
    }

    private static void WriteRecord(string folder, Dictionary<string, RecordEntry> record)
    {
        var path = Path.Combine(folder, RecordFile);
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(record, Indented));
        File.Move(path + ".tmp", path, overwrite: true);
    }
}
