using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.SearchApi.Hosting;

// The API relaunches itself with this verb for its image-decoding worker processes.
if (args is [WorkerCommand.Verb])
{
    using var input = Console.OpenStandardInput();
    using var output = Console.OpenStandardOutput();
    return await DecodeWorker.RunAsync(input, output, CancellationToken.None).ConfigureAwait(false);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddClipSearchApi();
var app = builder.Build();
app.MapClipSearchApi();
return await StartupErrors.RunAsync(app).ConfigureAwait(false);

/// <summary>The API's entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
