using ClipSearch.Tests.Shared;

namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>What a new user runs into first: text that starts with '@', values out of range, a model not pulled yet, relative folders.</summary>
public sealed class NewcomerPathTests : IDisposable
{
    private readonly IndexTestFolder _folder = new();

    /// <summary>A user's environment: their own (empty) data folder, nothing of the test host's CLIPSEARCH_* settings.</summary>
    private Dictionary<string, string?> Environment() => new()
    {
        ["XDG_DATA_HOME"] = Path.Combine(_folder.Root, "data"),
        ["XDG_STATE_HOME"] = Path.Combine(_folder.Root, "state"),
        ["CLIPSEARCH_MODEL"] = null, ["CLIPSEARCH_VARIANT"] = null, ["CLIPSEARCH_STORE"] = null, ["CLIPSEARCH_QDRANT"] = null, ["CLIPSEARCH_MODELS"] = null,
        ["CLIPSEARCH_DEVICE"] = "cpu",
    };

    [Fact]
    public async Task Search_TextStartingWithAt_IsAQueryNotAResponseFile()
    {
        _folder.WriteImage("a.png", 1);
        Assert.Equal(0, (await _folder.IndexAsync()).Exit);
        var (exit, stdout, stderr) = await CliRunner.RunAsync("search", "@home", "--store", _folder.Store, "-k", "1");
        Assert.True(exit == 0, stderr);
        Assert.EndsWith("a.png", stdout.Trim(), StringComparison.Ordinal);

        var labels = await CliRunner.RunAsync("classify", _folder.PathOf("a.png"), "--labels", "@home,@work", "--device", "cpu");
        Assert.True(labels.Exit == 0, labels.Err);
        Assert.Contains("@home", labels.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("search", "x", "--min-score", "2")]
    [InlineData("search", "x", "--min-score", "NaN")]
    [InlineData("categorize", "--labels", "a,b", "--min-margin", "-3")]
    [InlineData("index", ".", "--batch", "0")]
    public async Task Command_OptionValueOutOfRange_ExitsTwoNamingIt(params string[] arguments)
    {
        var (exit, _, stderr) = await CliRunner.RunAsync([.. arguments, "--store", _folder.Store]);
        Assert.Equal(2, exit);
        Assert.Contains(arguments[^2], stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_AKnownNameNotPulled_SaysHowToPullIt()
    {
        var (exit, _, stderr) = await CliProcess.RunAsync(Environment(), "embed", "--text", "x", "--model", "openai/clip-vit-base-patch16", "--variant", "quantized");
        Assert.Equal(3, exit);
        Assert.Contains("openai/clip-vit-base-patch16 has not been pulled", stderr, StringComparison.Ordinal);
        Assert.Contains("clipsearch models pull openai/clip-vit-base-patch16 --variant quantized", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_RelativeFolder_IsTakenFromTheWorkingFolderAsIndexTakesItsPath()
    {
        _folder.WriteImage("warm/a.png", 1);
        _folder.WriteImage("cool/b.png", 2);
        var environment = Environment();
        // Indexed by a relative path and filtered by a relative folder, both from the folder above the photos.
        var index = await CliProcess.RunInAsync(_folder.Root, environment, "index", "photos", "--store", _folder.Store);
        Assert.True(index.Exit == 0, index.Err);
        var (exit, stdout, stderr) = await CliProcess.RunInAsync(_folder.Root, environment, "search", "x", "--store", _folder.Store, "--filter", "folder:photos/cool");
        Assert.True(exit == 0, stderr);
        Assert.Equal([_folder.PathOf("cool/b.png")], CliRunner.Lines(stdout).Select(l => l.Split("  ", 2)[1]));
    }

    public void Dispose() => _folder.Dispose();
}
