using System.ComponentModel.DataAnnotations;
using ClipSearch.Engine.Configuration;
using Microsoft.Extensions.Options;

namespace ClipSearch.Engine.Stores;

/// <summary>Checks the index settings at start, each failure naming its setting as the front end's users spell it.</summary>
internal sealed class IndexSettingsValidator(EngineHost host) : IValidateOptions<IndexSettings>
{
    public ValidateOptionsResult Validate(string? name, IndexSettings options)
    {
        var errors = new List<string>();
        if (options.UsesQdrant)
        {
            if (options.Qdrant.Url is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            {
                errors.Add($"{host.Names.Qdrant}: '{url}' is not an http(s) URL of Qdrant's gRPC port, e.g. http://localhost:6334.");
            }

            Annotations(options.Qdrant, "ClipSearch:Index:Qdrant", errors);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(options.Embedded.Path))
            {
                errors.Add($"{host.Names.Store}: give the folder of an embedded index.");
            }
            else if (File.Exists(options.Embedded.Path))
            {
                errors.Add($"{host.Names.Store}: {Path.GetFullPath(options.Embedded.Path)} is a file; give the folder of an embedded index.");
            }

            Annotations(options.Embedded, "ClipSearch:Index:Embedded", errors);
            Annotations(options.Embedded.Ann, "ClipSearch:Index:Embedded:Ann", errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // ValidateDataAnnotations does not look into nested objects: the backends' own annotations are checked here.
    private static void Annotations(object options, string section, List<string> errors)
    {
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            errors.AddRange(results.Select(r => $"{section}:{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}"));
        }
    }
}
