using System.CommandLine;
using System.Globalization;
using ClipSearch.Clip.Inference;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// The model options of a command (<c>--model --variant --device --batch --streams --verbose</c>), read into the engine's model
/// settings. A command that compares models (<c>eval</c>) takes <c>--model</c> and <c>--variant</c> several times (see <see cref="Runs"/>).
/// </summary>
internal sealed class ModelOptions(bool several = false) : ISettingOptions
{
    private static readonly ClipEngineOptions Defaults = new();

    public Option<string[]> Model { get; } = new("--model", "-m")
    {
        Description = $"CLIP model: a folder (Hugging Face/Transformers.js, fastembed or open_clip/immich layout) or the name of a pulled model (see 'models list'). Default: ${EnvironmentSettings.Model}, else the bundled tiny model."
            + (several ? " Give it several times to compare models." : ""),
        Arity = ArgumentArity.OneOrMore,
    };

    public Option<string[]> Variant { get; } = new("--variant")
    {
        Description = $"Weight variant to load, e.g. quantized for onnx/*_quantized.onnx. Default: ${EnvironmentSettings.Variant}, else the full-precision files (or the only variant a folder holds)."
            + (several ? " Give one per --model, or one for all, or several with one --model to compare its variants." : ""),
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly bool _several = several;

    public Option<ExecutionDevice?> Device { get; } = new("--device")
    {
        Description = $"auto (CUDA if usable, else CPU), cpu or cuda. Default: ${EnvironmentSettings.Device}, else auto.",
    };

    public Option<int?> Batch { get; } = new("--batch")
    {
        Description = $"Images or texts per inference call (default {Defaults.BatchSize}).",
    };

    public Option<int?> Streams { get; } = new("--streams")
    {
        Description = $"Image batches encoded side by side on CPU (default: one per core, at most {ClipEngineOptions.MaxAutoImageStreams}, for the commands that index; else 1: one batch at a time on every core).",
    };

    /// <summary>The command indexes images: unless <c>--streams</c> says otherwise, it encodes <see cref="ClipEngineOptions.IndexingStreams"/> batches side by side.</summary>
    public bool Indexes { get; init; }

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    /// <summary>Adds the options to <paramref name="command"/>; with <paramref name="folderOnly"/> just --model and --variant (commands that read the model's files without running it).</summary>
    public void AddTo(Command command, bool folderOnly = false)
    {
        command.Options.Add(Model);
        command.Options.Add(Variant);
        if (!_several)
        {
            foreach (var option in (Option<string[]>[])[Model, Variant])
            {
                option.Validators.Add(r =>
                {
                    if (r.GetValueOrDefault<string[]>() is { Length: > 1 })
                    {
                        r.AddError($"{option.Name} is given more than once; this command runs one model (eval compares several).");
                    }
                });
            }
        }

        if (folderOnly)
        {
            return;
        }

        command.Options.Add(Device);
        command.Options.Add(Batch);
        command.Options.Add(Streams);
        command.Options.Add(Verbose);
        Batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } value and (< 1 or > 1024))
            {
                r.AddError($"--batch must be between 1 and 1024, got {value}.");
            }
        });
        Streams.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } value and (< 1 or > 64))
            {
                r.AddError($"--streams must be between 1 and 64, got {value}.");
            }
        });
    }

    /// <summary>The batch size in effect (the flag, else the default).</summary>
    public int BatchSize(ParseResult parse) => parse.GetValue(Batch) ?? Defaults.BatchSize;

    /// <summary>
    /// The (model, variant) pairs a comparing command runs, in the order given: a variant per model, one variant for every
    /// model, or one model with several variants; a single run of the configured model when neither flag is given.
    /// </summary>
    /// <exception cref="ArgumentException">The counts cannot be paired.</exception>
    public IReadOnlyList<(string? Model, string? Variant)> Runs(ParseResult parse)
    {
        var models = parse.GetValue(Model) ?? [];
        var variants = parse.GetValue(Variant) ?? [];
        return (models.Length, variants.Length) switch
        {
            (0, 0) => [(null, null)],
            (_, 0) => [.. models.Select(m => ((string?)m, (string?)null))],
            (0 or 1, _) => [.. variants.Select(v => (models.FirstOrDefault(), (string?)v))],
            (_, 1) => [.. models.Select(m => ((string?)m, (string?)variants[0]))],
            var (m, v) when m == v => [.. models.Zip(variants, (a, b) => ((string?)a, (string?)b))],
            var (m, v) => throw new ArgumentException($"{m} --model and {v} --variant values cannot be paired: give one --variant per --model, one for all, or several for one --model"),
        };
    }

    public IEnumerable<KeyValuePair<string, string?>> Settings(ParseResult parse)
    {
        if (parse.GetValue(Model) is [.., var model])
        {
            yield return new(SettingKeys.Model, model);
        }

        if (parse.GetValue(Variant) is [.., var variant])
        {
            yield return new(SettingKeys.Variant, variant);
        }

        if (parse.GetValue(Device) is { } device)
        {
            yield return new(SettingKeys.Device, device.ToString());
        }

        if (parse.GetValue(Batch) is { } batch)
        {
            yield return new(SettingKeys.BatchSize, batch.ToString(CultureInfo.InvariantCulture));
        }

        if ((parse.GetValue(Streams) ?? (Indexes ? ClipEngineOptions.IndexingStreams(Environment.ProcessorCount) : null)) is { } streams)
        {
            yield return new(SettingKeys.ImageStreams, streams.ToString(CultureInfo.InvariantCulture));
        }
    }
}
