using System.Net.Http.Headers;
using System.Text.Json;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.WebUi.Client;

/// <summary>
/// Typed client of the Search API. Every failure becomes an <see cref="ApiException"/>: the API's ProblemDetails
/// (status, title, detail) when it answered, or "unreachable" when it did not.
/// </summary>
public sealed class SearchApiClient(HttpClient http)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri? BaseAddress => http.BaseAddress;

    public Task<List<CollectionSummary>> CollectionsAsync(CancellationToken ct = default) =>
        SendAsync<List<CollectionSummary>>(() => new HttpRequestMessage(HttpMethod.Get, "api/collections"), ct);

    public Task<ModelSummary> ModelAsync(CancellationToken ct = default) =>
        SendAsync<ModelSummary>(() => new HttpRequestMessage(HttpMethod.Get, "api/model"), ct);

    public Task<SearchResponse> SearchAsync(SearchRequest request, CancellationToken ct = default) =>
        SendAsync<SearchResponse>(() => new HttpRequestMessage(HttpMethod.Post, "api/search") { Content = JsonContent.Create(request, options: Json) }, ct);

    public Task<SearchResponse> SearchImageAsync(byte[] image, string fileName, string collection, int k, string? filter, CancellationToken ct = default) =>
        SendAsync<SearchResponse>(() =>
        {
            var form = Form(image, fileName);
            form.Add(new StringContent(collection), "collection");
            form.Add(new StringContent(k.ToString(System.Globalization.CultureInfo.InvariantCulture)), "k");
            if (!string.IsNullOrEmpty(filter))
            {
                form.Add(new StringContent(filter), "filter");
            }

            return new HttpRequestMessage(HttpMethod.Post, "api/search/image") { Content = form };
        }, ct);

    public Task<SearchResponse> SimilarAsync(Guid id, string collection, int k, CancellationToken ct = default) =>
        SendAsync<SearchResponse>(() => new HttpRequestMessage(HttpMethod.Get, $"api/images/{id}/similar?collection={Uri.EscapeDataString(collection)}&k={k}"), ct);

    public Task<List<LabelSetSummary>> LabelSetsAsync(string collection, CancellationToken ct = default) =>
        SendAsync<List<LabelSetSummary>>(() => new HttpRequestMessage(HttpMethod.Get, $"api/collections/{Uri.EscapeDataString(collection)}/labels"), ct);

    /// <summary>A page of the collection without a query (<c>GET /api/images</c>), in <paramref name="sort"/> order (taken, modified or name).</summary>
    public Task<SearchResponse> BrowseAsync(string collection, string? filter, string sort, int offset, int k, CancellationToken ct = default) =>
        SendAsync<SearchResponse>(() => new HttpRequestMessage(HttpMethod.Get, $"api/images?collection={Uri.EscapeDataString(collection)}&sort={Uri.EscapeDataString(sort)}"
            + $"&offset={offset}&k={k}" + (string.IsNullOrEmpty(filter) ? "" : $"&filter={Uri.EscapeDataString(filter)}")), ct);

    public Task<ImageHit> ImageAsync(Guid id, string collection, CancellationToken ct = default) =>
        SendAsync<ImageHit>(() => new HttpRequestMessage(HttpMethod.Get, $"api/images/{id}?collection={Uri.EscapeDataString(collection)}"), ct);

    public Task<ClassifyResponse> ClassifyAsync(byte[] image, string fileName, ZeroShotSettings settings, CancellationToken ct = default) =>
        SendAsync<ClassifyResponse>(() =>
        {
            var form = Form(image, fileName);
            form.Add(new StringContent(string.Join(",", settings.Labels ?? [])), "labels");
            if (settings.Template is { } template)
            {
                form.Add(new StringContent(template), "template");
            }

            if (settings.Ensemble is { } ensemble)
            {
                form.Add(new StringContent(ensemble), "ensemble");
            }

            AddNumber(form, "minScore", settings.MinScore);
            AddNumber(form, "minMargin", settings.MinMargin);
            AddNumber(form, "minProbability", settings.MinProbability);
            return new HttpRequestMessage(HttpMethod.Post, "api/classify") { Content = form };
        }, ct);

    public Task<CategorizeStatus> StartCategorizeAsync(CategorizeRequest request, string? apiKey, CancellationToken ct = default) =>
        SendAsync<CategorizeStatus>(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Post, "api/categorize") { Content = JsonContent.Create(request, options: Json) };
            if (!string.IsNullOrEmpty(apiKey))
            {
                message.Headers.Add("X-Api-Key", apiKey);
            }

            return message;
        }, ct);

    public Task<CategorizeStatus> JobAsync(string id, CancellationToken ct = default) =>
        SendAsync<CategorizeStatus>(() => new HttpRequestMessage(HttpMethod.Get, $"api/categorize/{Uri.EscapeDataString(id)}"), ct);

    public Task<List<CategorizedImage>> JobImagesAsync(string id, string label, int k, CancellationToken ct = default) =>
        SendAsync<List<CategorizedImage>>(() => new HttpRequestMessage(HttpMethod.Get,
            $"api/categorize/{Uri.EscapeDataString(id)}/images?label={Uri.EscapeDataString(label)}&k={k}"), ct);

    public Task<CategorizeStatus> CancelAsync(string id, string? apiKey, CancellationToken ct = default) =>
        SendAsync<CategorizeStatus>(() =>
        {
            var message = new HttpRequestMessage(HttpMethod.Delete, $"api/categorize/{Uri.EscapeDataString(id)}");
            if (!string.IsNullOrEmpty(apiKey))
            {
                message.Headers.Add("X-Api-Key", apiKey);
            }

            return message;
        }, ct);

    public Task<List<PromptEnsemble>> EnsemblesAsync(CancellationToken ct = default) =>
        SendAsync<List<PromptEnsemble>>(() => new HttpRequestMessage(HttpMethod.Get, "api/prompts"), ct);

    private async Task<T> SendAsync<T>(Func<HttpRequestMessage> create, CancellationToken ct)
    {
        using var request = create();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw ApiException.NotReachable(http.BaseAddress, e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw ApiException.NotReachable(http.BaseAddress, "no answer in time");
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw await ProblemAsync(response, ct).ConfigureAwait(false);
            }

            return await response.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false)
                ?? throw new ApiException((int)response.StatusCode, "Empty answer", "The search service answered with an empty body.");
        }
    }

    private async Task<ApiException> ProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var status = (int)response.StatusCode;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Json, ct).ConfigureAwait(false);
            var title = problem.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return status is 502 or 503 or 504 && detail is null
                ? ApiException.NotReachable(http.BaseAddress, $"HTTP {status}")
                : new ApiException(status, title ?? response.ReasonPhrase ?? "Error", detail);
        }
        catch (JsonException)
        {
            return status is 502 or 503 or 504 ? ApiException.NotReachable(http.BaseAddress, $"HTTP {status}") : new ApiException(status, response.ReasonPhrase ?? "Error", null);
        }
    }

    private static MultipartFormDataContent Form(byte[] image, string fileName)
    {
        var bytes = new ByteArrayContent(image);
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return new MultipartFormDataContent { { bytes, "file", string.IsNullOrWhiteSpace(fileName) ? "image" : fileName } };
    }

    private static void AddNumber(MultipartFormDataContent form, string name, float? value)
    {
        if (value is { } v)
        {
            form.Add(new StringContent(v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)), name);
        }
    }
}
