using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

public sealed class ImageTextTests
{
    [Theory]
    [InlineData("Canon\0\0\0", 256, "Canon")]
    [InlineData("  Tram\t28\r\n\u0007Alfama  ", 256, "Tram 28 Alfama")]
    [InlineData("\0 \t", 256, null)]
    [InlineData(null, 256, null)]
    [InlineData("abcdef", 4, "abcd")]
    [InlineData("abc\U0001F600", 4, "abc")] // the emoji's surrogate pair is not cut in half
    public void Clean_UntrustedText_NoControlsCollapsedAndBounded(string? text, int max, string? expected)
    {
        Assert.Equal(expected, ImageText.Clean(text, max));
    }

    [Fact]
    public void Create_FieldsAndKeywords_CleanedDistinctAndCapped()
    {
        var keywords = new[] { " Portugal ", "portugal", "", null, "street\u0000art" }.Concat(Enumerable.Range(0, 100).Select(i => $"k{i}"));
        var text = ImageText.Create("Canon\0", null, new string('t', 300), new string('d', 3000), keywords)!;

        Assert.Equal(("Canon", (string?)null), (text.Make, text.Model));
        Assert.Equal(ImageText.MaxField, text.Title!.Length);
        Assert.Equal(ImageText.MaxDescription, text.Description!.Length);
        Assert.Equal(ImageText.MaxKeywords, text.Keywords.Count);
        Assert.Equal(["Portugal", "street art", "k0"], text.Keywords.Take(3));
    }

    [Fact]
    public void Create_NothingButControls_Null()
    {
        Assert.Null(ImageText.Create("\0", " ", null, "\r\n", [null, ""]));
    }

    [Fact]
    public void SearchText_WithText_PathThenTextThenLabels()
    {
        var payload = new ImagePayload
        {
            Path = "a/b.jpg",
            Root = "/r",
            Text = new ImageText { Make = "Canon", Title = "Lisboa", Keywords = ["tram"] },
            Labels = new Dictionary<string, LabelAssignment> { ["s"] = new("street", 0.3f, "run") },
        };
        Assert.Equal("a/b.jpg Canon Lisboa tram street", payload.SearchText());
        Assert.Equal(payload, payload with { Text = new ImageText { Make = "Canon", Title = "Lisboa", Keywords = ["tram"] } });
        Assert.NotEqual(payload, payload with { Text = null });
    }
}
