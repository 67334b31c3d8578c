using System.Net;
using System.Net.Http.Headers;

namespace ClipSearch.Clip.Models.Download;

/// <summary>Reading a sigmoid model's scale and bias from a checkpoint on the hub without downloading it.</summary>
public sealed partial class ModelDownloader
{
    /// <summary>
    /// Reads <paramref name="checkpoint"/>'s logit_scale and logit_bias: the safetensors header length (8 bytes), the
    /// header, then each tensor's bytes, every one with an HTTP Range request.
    /// </summary>
    /// <exception cref="ModelDownloadException">The file is missing, the server ignores Range, or the file is not a safetensors checkpoint holding both scalars.</exception>
    public async Task<(float LogitScale, float LogitBias)> ReadSigmoidScoringAsync(ScoringCheckpoint checkpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var url = new Uri(Endpoint, $"{checkpoint.Repository}/resolve/{revision}/{checkpoint.Path}");
        try
        {
            var length = SafetensorsHeader.ReadLength(await ReadRangeAsync(url, 0, 8, cancellationToken).ConfigureAwait(false));
            var header = SafetensorsHeader.Parse(await ReadRangeAsync(url, 8, length, cancellationToken).ConfigureAwait(false));
            async Task<float> ValueAsync(string name)
            {
                var tensor = header.Find(name) ?? throw new FormatException($"a tensor named {name}; the checkpoint has none");
                var bytes = await ReadRangeAsync(url, tensor.Begin, tensor.End - tensor.Begin, cancellationToken).ConfigureAwait(false);
                try
                {
                    return SafetensorsHeader.ScalarValue(tensor, bytes);
                }
                catch (FormatException e)
                {
                    throw new FormatException($"{name}: {e.Message}", e);
                }
            }

            return (await ValueAsync(checkpoint.ScaleTensor).ConfigureAwait(false), await ValueAsync(checkpoint.BiasTensor).ConfigureAwait(false));
        }
        catch (FormatException e)
        {
            throw new ModelDownloadException($"{checkpoint}: expected {e.Message}", e);
        }
        catch (Exception e) when (IsTransient(e, cancellationToken))
        {
            throw new ModelDownloadException($"{checkpoint}: {e.Message}", e);
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes from <paramref name="offset"/>, refusing a server that answers with the whole file.</summary>
    private async Task<byte[]> ReadRangeAsync(Uri url, long offset, long count, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Range = new RangeHeaderValue(offset, offset + count - 1);
        using var response = await _follow.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ModelDownloadException($"{url}: not found (HTTP 404)");
        }

        if (response.StatusCode != HttpStatusCode.PartialContent)
        {
            // A 200 would be the whole checkpoint (hundreds of megabytes) for a few bytes: refuse rather than fetch it.
            throw new ModelDownloadException($"{url}: the server answered {(int)response.StatusCode} {response.ReasonPhrase} to a Range request (expected 206 Partial Content)");
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(ReadTimeout);
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
        var buffer = new byte[count];
        var read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, stall.Token).ConfigureAwait(false);
        return read == count ? buffer : throw new FormatException($"{count} bytes at offset {offset}; the file ends after {read}");
    }
}
