namespace ClipSearch.Indexer.Tests.Commands;

/// <summary>A stderr that cancels <paramref name="cancel"/> when a line containing <paramref name="text"/> is written: a Ctrl+C at a known moment.</summary>
internal sealed class CancelOnLineWriter(CancellationTokenSource cancel, string text) : StringWriter
{
    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        Check(value);
    }

    public override async Task WriteLineAsync(string? value)
    {
        await base.WriteLineAsync(value);
        Check(value);
    }

    private void Check(string? value)
    {
        if (value?.Contains(text, StringComparison.Ordinal) == true)
        {
            cancel.Cancel();
        }
    }
}
