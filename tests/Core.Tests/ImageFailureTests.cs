namespace ClipSearch.Core.Tests;

public sealed class ImageFailureTests
{
    [Theory]
    [InlineData(SkipReason.Corrupt, "corrupt")]
    [InlineData(SkipReason.UnsupportedFormat, "unsupported format")]
    [InlineData(SkipReason.TooLarge, "too large")]
    [InlineData(SkipReason.TimedOut, "timed out")]
    [InlineData(SkipReason.Unreadable, "unreadable")]
    public void ReasonText_EachReason_IsTheReportedWording(SkipReason reason, string text)
    {
        var failure = new ImageFailure(reason, "detail");
        Assert.Equal(text, failure.ReasonText);
        Assert.Equal($"{text}: detail", failure.ToString());
    }
}
