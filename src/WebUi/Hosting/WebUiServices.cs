using ClipSearch.WebUi.Client;
using ClipSearch.WebUi.Components;
using Microsoft.Extensions.Options;

namespace ClipSearch.WebUi.Hosting;

/// <summary>The web UI's composition: options, the typed API client, Blazor (interactive server), and the media proxy.</summary>
internal static class WebUiServices
{
    public static WebApplicationBuilder AddClipSearchWebUi(this WebApplicationBuilder builder)
    {
        // Static assets (the app's and Blazor's) from the build output too, not only from a published folder.
        builder.WebHost.UseStaticWebAssets();
        var services = builder.Services;
        services.AddOptions<WebUiOptions>().BindConfiguration(WebUiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<SearchApiClient>(Configure);
        services.AddHttpClient(MediaProxy.ClientName, Configure);
        services.AddRazorComponents().AddInteractiveServerComponents();
        return builder;

        static void Configure(IServiceProvider sp, HttpClient http)
        {
            var options = sp.GetRequiredService<IOptions<WebUiOptions>>().Value;
            http.BaseAddress = options.ApiUrl is { } url ? new Uri(url.ToString().TrimEnd('/') + "/") : null;
            http.Timeout = options.ApiTimeout;
        }
    }

    public static WebApplication MapClipSearchWebUi(this WebApplication app)
    {
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapMediaProxy();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
