namespace ClipSearch.Indexer.Output;

/// <summary>Milliseconds per image spent in each stage of the indexing pipeline.</summary>
internal sealed record StageTimesOutput(double Read, double Decode, double Preprocess, double Encode, double Store);
