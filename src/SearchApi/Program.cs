using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.SearchApi.Hosting;

// The engine relaunches this program with the worker verb for its image-decoding processes.
if (DecodeWorker.IsWorkerInvocation(args))
{
    return await DecodeWorker.RunOnStandardStreamsAsync().ConfigureAwait(false);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddClipSearchApi();
var app = builder.Build();
app.MapClipSearchApi();
return await StartupErrors.RunAsync(app).ConfigureAwait(false);

/// <summary>The API's entry point (public for WebApplicationFactory in tests).</summary>
public partial class Program;
