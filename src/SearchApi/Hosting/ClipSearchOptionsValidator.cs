using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Hosting;

/// <summary>The checks data annotations cannot express, so that a bad setting stops the start with a message naming it.</summary>
internal sealed class ClipSearchOptionsValidator : IValidateOptions<ClipSearchOptions>
{
    public ValidateOptionsResult Validate(string? name, ClipSearchOptions options)
    {
        var errors = new List<string>();
        if (options.Model is { Length: > 0 } model && !Directory.Exists(model))
        {
            errors.Add($"ClipSearch:Model: the folder {Path.GetFullPath(model)} does not exist (pull a model with 'clipsearch models pull', or leave the setting out for the bundled model).");
        }

        if (options.Store is { Length: > 0 } store && File.Exists(store))
        {
            errors.Add($"ClipSearch:Store: {Path.GetFullPath(store)} is a file; give the folder of an embedded index.");
        }

        if (options.Qdrant.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"ClipSearch:Qdrant:Url: '{url}' is not an http(s) URL of Qdrant's gRPC port, e.g. http://localhost:6334.");
        }

        if (options.CorsOrigins.FirstOrDefault(o => !Uri.TryCreate(o, UriKind.Absolute, out _)) is { } origin)
        {
            errors.Add($"ClipSearch:CorsOrigins: '{origin}' is not an origin such as https://photos.example.com.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
