using System.Text.Json.Serialization;
using ClipSearch.Core.Index;

namespace ClipSearch.Indexer.Output;

/// <summary>One line of <c>collections list --json</c>, or <c>collections info --json</c>, which adds <paramref name="Skipped"/>.</summary>
internal sealed record CollectionOutput(string Name, long Count, string Model, int Dimension, string Backend,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Skipped)
{
    public static CollectionOutput From(CollectionInfo c, int? skipped) => new(c.Name, c.Count, c.ModelId, c.Dimension, c.Backend, skipped);
}
