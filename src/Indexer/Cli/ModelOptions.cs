using System.CommandLine;
using System.Globalization;
using ClipSearch.Clip.Inference;
using ClipSearch.Engine.Configuration;

namespace ClipSearch.Indexer.Cli;

/// <summary>The model options of a command (<c>--model --variant --device --batch --verbose</c>), read into the engine's model settings.</summary>
internal sealed class ModelOptions : ISettingOptions
{
    private static readonly ClipEngineOptions Defaults = new();

    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = $"CLIP model: a folder (Hugging Face/Transformers.js or fastembed layout) or the name of a pulled model (see 'models list'). Default: ${EnvironmentSettings.Model}, else the bundled tiny model.",
    };

    public Option<string?> Variant { get; } = new("--variant")
    {
        Description = $"Weight variant to load, e.g. quantized for onnx/*_quantized.onnx. Default: ${EnvironmentSettings.Variant}, else the full-precision files (or the only variant a folder holds).",
    };

    public Option<ExecutionDevice?> Device { get; } = new("--device")
    {
        Description = $"auto (CUDA if usable, else CPU), cpu or cuda. Default: ${EnvironmentSettings.Device}, else auto.",
    };

    public Option<int?> Batch { get; } = new("--batch")
    {
        Description = $"Images or texts per inference call (default {Defaults.BatchSize}).",
    };

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    /// <summary>Adds the options to <paramref name="command"/>; with <paramref name="folderOnly"/> just --model and --variant (commands that read the model's files without running it).</summary>
    public void AddTo(Command command, bool folderOnly = false)
    {
        command.Options.Add(Model);
        command.Options.Add(Variant);
        if (folderOnly)
        {
            return;
        }

        command.Options.Add(Device);
        command.Options.Add(Batch);
        command.Options.Add(Verbose);
        Batch.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is { } value and (< 1 or > 1024))
            {
                r.AddError($"--batch must be between 1 and 1024, got {value}.");
            }
        });
    }

    /// <summary>The batch size in effect (the flag, else the default).</summary>
    public int BatchSize(ParseResult parse) => parse.GetValue(Batch) ?? Defaults.BatchSize;

    public IEnumerable<KeyValuePair<string, string?>> Settings(ParseResult parse)
    {
        if (parse.GetValue(Model) is { } model)
        {
            yield return new(SettingKeys.Model, model);
        }

        if (parse.GetValue(Variant) is { } variant)
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
    }
}
