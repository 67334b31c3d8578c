namespace ClipSearch.Storage.Embedded;

/// <summary>
/// What a cleanly closed row file vouches for: every point stored with a change sequence number up to <see cref="Seq"/>
/// has its vector at its slot, and <see cref="Keys"/> says which point (by key) each slot holds (-1: a free slot).
/// </summary>
internal sealed record RowStamp(long Seq, long[] Keys);
