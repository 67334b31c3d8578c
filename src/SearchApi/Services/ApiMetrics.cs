using System.Diagnostics.Metrics;

namespace ClipSearch.SearchApi.Services;

/// <summary>The API's own instruments (request metrics come from ASP.NET Core's): encode and index latency.</summary>
internal sealed class ApiMetrics
{
    public const string MeterName = "ClipSearch.SearchApi";

    private readonly Histogram<double> _encode;
    private readonly Histogram<double> _index;

    public ApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _encode = meter.CreateHistogram<double>("clipsearch.encode.duration", "s", "Time to embed a query text or image with CLIP.");
        _index = meter.CreateHistogram<double>("clipsearch.index.duration", "s", "Time of one vector index call (search, get, count).");
    }

    public void RecordEncode(string kind, TimeSpan elapsed) => _encode.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("kind", kind));

    public void RecordIndex(string operation, TimeSpan elapsed) => _index.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("operation", operation));
}
