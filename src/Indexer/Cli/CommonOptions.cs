using System.CommandLine;

namespace ClipSearch.Indexer.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CommonOptions
{
    public static Option<bool> Json() => new("--json")
    {
        Description = "Write machine-readable JSON to stdout.",
    };

    /// <summary>Parses an http:// or https:// URL option value, reporting anything else as a usage error.</summary>
    public static Uri? ParseUrl(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens[0].Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            return url;
        }

        result.AddError($"{((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name} needs an http:// or https:// URL, got '{text}'.");
        return null;
    }

    /// <summary>
    /// --filter EXPR, parsed while the command line is (a mistake is a usage error naming it): see
    /// <see cref="Core.Index.FilterExpression"/>.
    /// </summary>
    public static Option<Core.Index.PointFilter?> Filter() => new("--filter")
    {
        Description = "Only images matching this, e.g. 'folder:/photos/2020 and format:jpeg and width>=1000 and taken>=2020-06-01' (also: height, size, modified, label:SET=LABEL[>=SCORE], or, not, parentheses; a relative folder is taken from the working folder).",
        CustomParser = r =>
        {
            try
            {
                // A relative folder is resolved against the working folder, as 'index PATH' resolves PATH.
                return Core.Index.FilterExpression.Parse(r.Tokens[0].Value, folder => Path.GetFullPath(folder).Replace(Path.DirectorySeparatorChar, '/'));
            }
            catch (FormatException e)
            {
                r.AddError($"--filter: {e.Message}");
                return null;
            }
        },
    };

    /// <summary>A cosine-similarity threshold option (<paramref name="name"/>), refused outside [-1, 1] as a usage error.</summary>
    /// <summary>A probability option (0 to 1).</summary>
    public static Option<float?> Probability(string name, string description)
    {
        var option = new Option<float?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<float?>() is { } value && (!float.IsFinite(value) || value < 0 || value > 1))
            {
                r.AddError($"{name} is a probability between 0 and 1, got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }

    public static Option<float?> Score(string name, string description)
    {
        var option = new Option<float?>(name) { Description = description };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<float?>() is { } value && (!float.IsFinite(value) || value < -1 || value > 1))
            {
                r.AddError($"{name} is a cosine similarity between -1 and 1, got {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
            }
        });
        return option;
    }

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log more detail to stderr.",
    };
}
