using System.Text;

namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The hostile-request catalogue: malformed JSON, wrong types, out-of-range numbers, NaN and Infinity, huge and
/// unicode strings, path traversal in every id and parameter, wrong media types, unknown routes and methods.
/// </summary>
internal static class HostileCases
{
    private static readonly string Huge = new('a', 10 * 1024 * 1024);
    private static readonly string[] Traversals =
    [
        "..", "../../etc/passwd", "..%2f..%2fetc%2fpasswd", "%2e%2e%2f%2e%2e%2fetc%2fpasswd", "....//....//etc//passwd", "..\\..\\windows\\win.ini",
        "%252e%252e%252f", "/etc/passwd", "~root", "C:%5Cwindows", new string('9', 5000),
    ];

    public static IReadOnlyDictionary<string, HostileCase> All { get; } = Build();

    private static Dictionary<string, HostileCase> Build()
    {
        var cases = new Dictionary<string, HostileCase>(StringComparer.Ordinal);
        void Add(string name, HostileCase c) => cases.Add(name, c);

        // Malformed and mistyped JSON on every JSON endpoint.
        foreach (var url in (string[])["/api/search", "/api/classify", "/api/categorize"])
        {
            var e = url.Split('/')[^1];
            foreach (var (name, body) in new[]
            {
                ("truncated", "{"), ("array", "[]"), ("null", "null"), ("string", "\"text\""), ("number", "42"), ("empty", ""), ("garbage", "\u0000\u0001\u0002"),
                ("trailing-comma", "{\"text\":\"a\",}"), ("single-quotes", "{'text':'a'}"), ("comment", "{/*x*/\"text\":\"a\"}"), ("bom-only", "\uFEFF"),
                ("deep-nesting", new string('[', 5000) + new string(']', 5000)), ("labels-wrong-type", "{\"labels\":\"cat\"}"),
                ("labels-objects", "{\"labels\":[{},{}]}"), ("invalid-utf8", "{\"text\":\"\\udc00\\ud800\"}"),
            })
            {
                Add($"json-{e}-{name}", HostileCase.Json("POST", url, body));
            }
        }

        // Search: types, ranges, NaN, Infinity, huge and odd strings.
        foreach (var (name, body, status) in new (string, string, int?)[]
        {
            ("k-string", "{\"text\":\"a\",\"k\":\"ten\"}", 400), ("k-negative", "{\"text\":\"a\",\"k\":-1}", 400), ("k-zero", "{\"text\":\"a\",\"k\":0}", 400),
            ("k-huge", "{\"text\":\"a\",\"k\":1000000}", 400), ("k-overflow", "{\"text\":\"a\",\"k\":99999999999999999999}", 400), ("k-float", "{\"text\":\"a\",\"k\":1.5}", 400),
            ("offset-negative", "{\"text\":\"a\",\"offset\":-3}", 400), ("offset-huge", "{\"text\":\"a\",\"offset\":2147483647}", 400),
            ("minscore-nan-literal", "{\"text\":\"a\",\"minScore\":NaN}", 400), ("minscore-nan-string", "{\"text\":\"a\",\"minScore\":\"NaN\"}", 400),
            ("minscore-infinity", "{\"text\":\"a\",\"minScore\":\"Infinity\"}", 400), ("minscore-out-of-range", "{\"text\":\"a\",\"minScore\":7}", 400),
            ("minscore-1e400", "{\"text\":\"a\",\"minScore\":1e400}", 400),
            ("text-empty", "{\"text\":\"\"}", 400), ("text-blank", "{\"text\":\"   \\t\\n\"}", 400), ("text-number", "{\"text\":5}", 400), ("no-query", "{}", 400),
            ("text-10mb", "{\"text\":\"" + Huge + "\"}", null), ("filter-10mb", "{\"text\":\"a\",\"filter\":\"" + Huge + "\"}", null),
            ("weight-nan", "{\"positive\":[{\"text\":\"a\",\"weight\":\"NaN\"}]}", 400), ("weight-infinity", "{\"positive\":[{\"text\":\"a\",\"weight\":\"-Infinity\"}]}", 400),
            ("weight-negative", "{\"positive\":[{\"text\":\"a\",\"weight\":-1}]}", 400), ("weight-zero", "{\"positive\":[{\"text\":\"a\",\"weight\":0}]}", 400),
            ("weight-huge", "{\"positive\":[{\"text\":\"a\",\"weight\":1e30}]}", 400), ("term-empty", "{\"positive\":[{}]}", 400),
            ("term-null", "{\"positive\":[null]}", 400), ("term-two-kinds", "{\"positive\":[{\"text\":\"a\",\"imageId\":\"x\"}]}", 400),
            ("only-negative", "{\"negative\":[{\"text\":\"a\"}]}", 400), ("terms-cancel", "{\"positive\":[{\"text\":\"a cat\"}],\"negative\":[{\"text\":\"a cat\"}]}", 400),
            ("too-many-terms", "{\"positive\":[" + string.Join(",", Enumerable.Repeat("{\"text\":\"a\"}", 40)) + "]}", 400),
            ("filter-malformed", "{\"text\":\"a\",\"filter\":\"((( and or\"}", 400), ("filter-unknown-key", "{\"text\":\"a\",\"filter\":\"owner:root\"}", 400),
            ("filter-bad-number", "{\"text\":\"a\",\"filter\":\"width>=abc\"}", 400), ("filter-bad-date", "{\"text\":\"a\",\"filter\":\"taken>=yesterday\"}", 400),
            ("filter-traversal", "{\"text\":\"a\",\"filter\":\"folder:../../etc\"}", null),
            ("collection-traversal", "{\"text\":\"a\",\"collection\":\"../../etc\"}", 400), ("collection-slash", "{\"text\":\"a\",\"collection\":\"a/b\"}", 400),
            ("collection-long", "{\"text\":\"a\",\"collection\":\"" + new string('c', 5000) + "\"}", 400), ("collection-unknown", "{\"text\":\"a\",\"collection\":\"nosuch\"}", 404),
            ("imageid-unknown", "{\"imageId\":\"00000000-0000-0000-0000-000000000000\"}", 404), ("uploadid-unknown", "{\"positive\":[{\"uploadId\":\"nope\"}]}", 404),
        })
        {
            Add($"search-{name}", HostileCase.Json("POST", "/api/search", body, status));
        }

        foreach (var traversal in Traversals)
        {
            Add($"search-imageid-{Label(traversal)}", HostileCase.Json("POST", "/api/search", $"{{\"imageId\":\"{traversal.Replace("\\", "\\\\", StringComparison.Ordinal)}\"}}", 400));
            foreach (var suffix in (string[])["", "/file", "/thumbnail", "/similar"])
            {
                Add($"image{suffix.Replace('/', '-')}-id-{Label(traversal)}", new HostileCase("GET", $"/api/images/{traversal}{suffix}"));
            }

            Add($"image-file-collection-{Label(traversal)}", new HostileCase("GET", $"/api/images/00000000-0000-0000-0000-000000000001/file?collection={Uri.EscapeDataString(traversal)}"));
            Add($"categorize-job-{Label(traversal)}", new HostileCase("GET", $"/api/categorize/{traversal}/export?format=csv"));
        }

        Add("search-imageid-nul", HostileCase.Json("POST", "/api/search", "{\"imageId\":\"\\u0000\"}", 400));
        Add("search-collection-nul", HostileCase.Json("POST", "/api/search", "{\"text\":\"a\",\"collection\":\"a\\u0000b\"}", 400));

        // Unicode that must work: a documented success.
        foreach (var (name, text) in new[] { ("emoji", "🐶 in ❄️"), ("rtl", "كلب يلعب في الثلج"), ("cjk", "雪の中で遊ぶ犬"), ("zero-width", "a\u200bdog"), ("nul", "a\\u0000dog"), ("combining", "e\u0301\u0301\u0301") })
        {
            Add($"search-unicode-{name}", HostileCase.Json("POST", "/api/search", $"{{\"text\":\"{text}\",\"k\":3}}", success: true));
        }

        // GET search parameters.
        foreach (var (name, query, status) in new (string, string, int?)[]
        {
            ("k-text", "q=a&k=abc", 400), ("k-negative", "q=a&k=-1", 400), ("k-overflow", "q=a&k=99999999999", 400), ("q-missing", "", 400), ("q-empty", "q=", 400),
            ("minscore-nan", "q=a&minScore=NaN", 400), ("minscore-inf", "q=a&minScore=Infinity", 400), ("q-10mb", "q=" + Huge, null),
            ("collection-traversal", "q=a&collection=..%2F..%2Fetc", 400), ("filter-broken", "q=a&filter=%28%28", 400), ("collection-nul", "q=a&collection=%00", 400),
            ("filter-nul", "q=a&filter=folder%3A%00", null), ("k-repeated", "q=a&k=1&k=2", 400),
        })
        {
            Add($"search-get-{name}", new HostileCase("GET", "/api/search?" + query, Status: status));
        }

        // Images: parameters.
        Add("thumbnail-size-negative", new HostileCase("GET", "/api/images/00000000-0000-0000-0000-000000000000/thumbnail?size=-1", Status: 400));
        Add("thumbnail-size-huge", new HostileCase("GET", "/api/images/00000000-0000-0000-0000-000000000000/thumbnail?size=999999", Status: 400));
        Add("thumbnail-size-text", new HostileCase("GET", "/api/images/00000000-0000-0000-0000-000000000000/thumbnail?size=big", Status: 400));
        Add("image-unknown-id", new HostileCase("GET", "/api/images/00000000-0000-0000-0000-000000000000", Status: 404));
        Add("similar-k-huge", new HostileCase("GET", "/api/images/00000000-0000-0000-0000-000000000000/similar?k=1000000", Status: 400));

        // Zero-shot settings.
        foreach (var (name, body, status) in new (string, string, int?)[]
        {
            ("one-label", "{\"labels\":[\"cat\"]}", 400), ("no-labels", "{\"labels\":[]}", 400), ("duplicate-labels", "{\"labels\":[\"cat\",\"cat\"]}", 400),
            ("blank-label", "{\"labels\":[\"cat\",\"  \"]}", 400), ("null-label", "{\"labels\":[\"cat\",null]}", 400),
            ("long-label", "{\"labels\":[\"cat\",\"" + new string('x', 1000) + "\"]}", 400),
            ("too-many-labels", "{\"labels\":[" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"l{i}\"")) + "]}", 400),
            ("template-no-placeholder", "{\"labels\":[\"cat\",\"dog\"],\"template\":\"a photo\"}", 400),
            ("template-and-ensemble", "{\"labels\":[\"cat\",\"dog\"],\"template\":\"a {}\",\"ensemble\":\"photo\"}", 400),
            ("unknown-ensemble", "{\"labels\":[\"cat\",\"dog\"],\"ensemble\":\"../../etc\"}", 400),
            ("prompts-unknown-label", "{\"labels\":[\"cat\",\"dog\"],\"prompts\":{\"cow\":[\"a cow\"]}}", 400),
            ("prompts-empty", "{\"labels\":[\"cat\",\"dog\"],\"prompts\":{\"cat\":[]}}", 400),
            ("minmargin-nan", "{\"labels\":[\"cat\",\"dog\"],\"minMargin\":\"NaN\"}", 400),
        })
        {
            Add($"categorize-{name}", HostileCase.Json("POST", "/api/categorize", body, status));
            Add($"classify-{name}", HostileCase.Json("POST", "/api/classify", body.Replace("{\"labels\"", "{\"imageId\":\"00000000-0000-0000-0000-000000000000\",\"labels\"", StringComparison.Ordinal), status));
        }

        Add("categorize-labelset-invalid", HostileCase.Json("POST", "/api/categorize", "{\"labels\":[\"cat\",\"dog\"],\"labelSet\":\"a b/../c\"}", 400));
        Add("categorize-export-format", new HostileCase("GET", "/api/categorize/abc/export?format=xml", Status: 404));
        Add("categorize-delete-unknown", new HostileCase("DELETE", "/api/categorize/abc", Status: 404));
        Add("classify-no-image", HostileCase.Json("POST", "/api/classify", "{\"labels\":[\"cat\",\"dog\"]}", 400));
        Add("classify-both-images", HostileCase.Json("POST", "/api/classify", "{\"imageId\":\"00000000-0000-0000-0000-000000000000\",\"uploadId\":\"x\",\"labels\":[\"cat\",\"dog\"]}", 400));

        // Media types and uploads.
        Add("search-text-plain", new HostileCase("POST", "/api/search", "text/plain", Encoding.UTF8.GetBytes("{\"text\":\"a\"}"), 415));
        Add("search-form-urlencoded", new HostileCase("POST", "/api/search", "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("text=a"), 415));
        Add("classify-text-plain", new HostileCase("POST", "/api/classify", "text/plain", Encoding.UTF8.GetBytes("cat,dog"), 415));
        Add("upload-json", HostileCase.Json("POST", "/api/search/image", "{\"text\":\"a\"}", 415));
        Add("upload-no-body", new HostileCase("POST", "/api/search/image", Status: 415));
        Add("upload-urlencoded", new HostileCase("POST", "/api/search/image", "application/x-www-form-urlencoded", Encoding.UTF8.GetBytes("file=abc"), 415));
        Add("upload-broken-multipart", new HostileCase("POST", "/api/search/image", "multipart/form-data; boundary=XYZ", Encoding.UTF8.GetBytes("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"), 400));
        Add("upload-no-boundary", new HostileCase("POST", "/api/search/image", "multipart/form-data", Encoding.UTF8.GetBytes("abc"), 400));

        // Unknown routes and methods.
        foreach (var (method, url, status) in new (string, string, int)[]
        {
            ("GET", "/api/nope", 404), ("GET", "/api", 404), ("GET", "/../../etc/passwd", 404), ("GET", "/%2e%2e/%2e%2e/etc/passwd", 404),
            ("PUT", "/api/search", 405), ("PATCH", "/api/collections", 405), ("DELETE", "/api/collections", 405), ("DELETE", "/api/search", 405), ("POST", "/api/collections", 405),
            ("PUT", "/api/images/00000000-0000-0000-0000-000000000000", 405), ("POST", "/openapi/v1.json", 405), ("GET", "/api/search/image", 405),
        })
        {
            Add($"route-{method}-{Label(url)}", new HostileCase(method, url, Status: status));
        }

        // Browsing: the collection without a query (it answered 404 before browsing existed).
        Add("route-GET-_api_images", new HostileCase("GET", "/api/images", Status: 200, Success: true));

        return cases;
    }

    private static string Label(string value) =>
        value.Length > 24 ? $"long{value.Length}" : new string([.. value.Select(c => char.IsLetterOrDigit(c) ? c : '_')]);
}
