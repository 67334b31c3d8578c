namespace ClipSearch.Indexer.Output;

/// <summary>Process memory in MB: resident, anonymous, file-backed (the mapped rows), peak since the last reset, managed heap.</summary>
internal sealed record ScaleMemoryOutput(double RssMb, double AnonMb, double FileMb, double PeakMb, double ManagedHeapMb);
