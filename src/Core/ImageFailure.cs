namespace ClipSearch.Core;

/// <summary>A file that could not be turned into an image, with the reason and a human-readable detail.</summary>
public sealed record ImageFailure(SkipReason Reason, string Detail)
{
    /// <summary>The reason as written in reports and JSON: "corrupt", "unsupported format", "too large", "timed out", "unreadable".</summary>
    public string ReasonText => Reason switch
    {
        SkipReason.Corrupt => "corrupt",
        SkipReason.UnsupportedFormat => "unsupported format",
        SkipReason.TooLarge => "too large",
        SkipReason.TimedOut => "timed out",
        SkipReason.Unreadable => "unreadable",
        _ => Reason.ToString(),
    };

    public override string ToString() => $"{ReasonText}: {Detail}";
}
