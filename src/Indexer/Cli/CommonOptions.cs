using System.CommandLine;
using ClipSearch.Clip.Inference;

namespace ClipSearch.Indexer.Cli;

/// <summary>Options shared by the commands that load a model.</summary>
internal static class CommonOptions
{
    public static Option<DirectoryInfo?> Model() => new("--model", "-m")
    {
        Description = "CLIP model: a folder (Hugging Face/Transformers.js or fastembed layout) or the name of a pulled model (see 'models list'). Default: $CLIPSEARCH_MODEL, else the bundled tiny model.",
    };

    public static Option<string?> Variant() => new("--variant")
    {
        Description = "Weight variant to load, e.g. quantized for onnx/*_quantized.onnx. Default: the full-precision files.",
    };

    public static Option<ExecutionDevice> Device() => new("--device")
    {
        Description = "auto (CUDA if usable, else CPU), cpu or cuda.",
        DefaultValueFactory = _ => ExecutionDevice.Auto,
    };

    public static Option<int> Batch() => new("--batch")
    {
        Description = "Images or texts per inference call.",
        DefaultValueFactory = _ => 16,
    };

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
        Description = "Only images matching this, e.g. 'folder:/photos/2020 and format:jpeg and width>=1000 and taken>=2020-06-01' (also: height, size, modified, label:SET=LABEL[>=SCORE], or, not, parentheses).",
        CustomParser = r =>
        {
            try
            {
                return Core.Index.FilterExpression.Parse(r.Tokens[0].Value);
            }
            catch (FormatException e)
            {
                r.AddError($"--filter: {e.Message}");
                return null;
            }
        },
    };

    public static Option<bool> Verbose() => new("--verbose", "-v")
    {
        Description = "Log more detail to stderr.",
    };
}
