using System.Net.Http.Json;
using System.Text.Json;

namespace ClipSearch.SearchApi.Tests;

/// <summary>Reading the API's JSON answers as documents, as a script would.</summary>
internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement;
    }

    public static async Task<JsonElement> PostAsync(HttpClient client, string url, object body) =>
        await ReadAsync(await client.PostAsJsonAsync(url, body));

    public static async Task<JsonElement> GetAsync(HttpClient client, string url) => await ReadAsync(await client.GetAsync(url));

    /// <summary>The file names of a search answer's hits, best first.</summary>
    public static List<string> HitNames(JsonElement answer) =>
        [.. answer.GetProperty("hits").EnumerateArray().Select(h => Path.GetFileName(h.GetProperty("path").GetString()!))];

    public static List<string> HitClasses(JsonElement answer) => [.. HitNames(answer).Select(IndexedPhotos.ClassOf)];
}
