using ClipSearch.WebUi.Hosting;
using Microsoft.Extensions.Options;

// Content root = the app's folder, so that `dotnet path/to/ClipSearch.WebUi.dll` works from any directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddClipSearchWebUi();
var app = builder.Build();
app.MapClipSearchWebUi();
try
{
    app.Services.GetRequiredService<IStartupValidator>().Validate();
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"ClipSearch.WebUi cannot start: {string.Join(" ", e.Failures)}").ConfigureAwait(false);
    return 1;
}

await app.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>The web UI's entry point.</summary>
public partial class Program;
