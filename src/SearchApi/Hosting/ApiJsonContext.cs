using System.Text.Json;
using System.Text.Json.Serialization;
using ClipSearch.SearchApi.Contracts;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>Source-generated JSON for the API's contracts: no reflection per request (measured in docs/BENCHMARKS.md).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, MaxDepth = 16)]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(ImageHit))]
[JsonSerializable(typeof(List<CollectionSummary>))]
[JsonSerializable(typeof(List<LabelSetSummary>))]
[JsonSerializable(typeof(ClassifyRequest))]
[JsonSerializable(typeof(ClassifyResponse))]
[JsonSerializable(typeof(CategorizeRequest))]
[JsonSerializable(typeof(CategorizeStatus))]
[JsonSerializable(typeof(List<CategorizedImage>))]
[JsonSerializable(typeof(List<PromptEnsemble>))]
[JsonSerializable(typeof(ModelSummary))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
