using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClipSearch.Indexer.Output;

/// <summary>
/// The <c>--json</c> shapes of every command, serialized without reflection. Use <see cref="Relaxed"/>: the
/// property order is the records' declaration order, and README.md documents these shapes.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(IndexOutput))]
[JsonSerializable(typeof(SearchOutput))]
[JsonSerializable(typeof(IReadOnlyList<SkippedFileOutput>), TypeInfoPropertyName = "SkippedFiles")]
[JsonSerializable(typeof(DuplicatesOutput))]
[JsonSerializable(typeof(ClassifyOutput))]
[JsonSerializable(typeof(ClassifyErrorOutput))]
[JsonSerializable(typeof(CategorizeOutput))]
[JsonSerializable(typeof(EvalOutput))]
[JsonSerializable(typeof(EvalComparisonOutput))]
[JsonSerializable(typeof(CollectionOutput))]
[JsonSerializable(typeof(ModelsListOutput))]
[JsonSerializable(typeof(ModelsInspectOutput))]
[JsonSerializable(typeof(MigrateOutput))]
[JsonSerializable(typeof(EmbedOutput))]
[JsonSerializable(typeof(EmbedErrorOutput))]
[JsonSerializable(typeof(TokenizeOutput))]
[JsonSerializable(typeof(BenchIndexOutput))]
[JsonSerializable(typeof(ScaleBenchOutput))]
[JsonSerializable(typeof(BenchPipelineOutput))]
[JsonSerializable(typeof(BenchCategorizeOutput))]
[JsonSerializable(typeof(BenchApiOutput))]
[JsonSerializable(typeof(LoadRunOutput))]
[JsonSerializable(typeof(double))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
    // The encoder is no source-generation option. Relaxed escaping writes non-ASCII text, '+', '<' and the like as they
    // are (the CLI's output is read as UTF-8, never embedded in HTML). A static constructor runs after every static
    // field initializer of the generated half, so Default exists here.
    static CliJsonContext() => Relaxed = new CliJsonContext(new JsonSerializerOptions(Default.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The context every command writes with: compact, snake_case, relaxed escaping.</summary>
    public static CliJsonContext Relaxed { get; }
}
