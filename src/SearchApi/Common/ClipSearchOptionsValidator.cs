using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Common;

/// <summary>The checks data annotations cannot express, so that a bad setting stops the start with a message naming it.</summary>
internal sealed class ClipSearchOptionsValidator : IValidateOptions<ClipSearchOptions>
{
    public ValidateOptionsResult Validate(string? name, ClipSearchOptions options)
    {
        var errors = new List<string>();
        if (options.CorsOrigins.FirstOrDefault(o => !Uri.TryCreate(o, UriKind.Absolute, out _)) is { } origin)
        {
            errors.Add($"ClipSearch:CorsOrigins: '{origin}' is not an origin such as https://photos.example.com.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
