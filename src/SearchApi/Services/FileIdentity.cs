namespace ClipSearch.SearchApi.Services;

/// <summary>
/// What identifies one version of one opened file: its device and inode, size and modification time, and its
/// change time, which every write, rename and replacement updates and no user can set back. Two opens that see
/// the same identity read the same bytes.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode, long Size, long ModifiedNs, long ChangedNs)
{
    public override string ToString() => FormattableString.Invariant($"{Device}:{Inode}:{Size}:{ModifiedNs}:{ChangedNs}");
}
