using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip;
using ClipSearch.Clip.Models;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Engine.Configuration;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch models inspect [DIR | --model DIR-or-NAME]</c>: loads both towers and prints what was found: layout,
/// towers, inputs, outputs, dimension, preprocessing, variant, logit scale. Text, or JSON with --json, on stdout.
/// </summary>
internal static class ModelsInspectCommand
{
    public static Command Create()
    {
        var dir = new Argument<string?>("dir") { Description = "Model folder (the same as --model; default: the bundled model).", Arity = ArgumentArity.ZeroOrOne };
        var model = new ModelOptions();
        var json = CommonOptions.Json();
        var command = new Command("inspect", "Load a model and print its towers, tensors, dimension, preprocessing and logit scale.");
        command.Arguments.Add(dir);
        model.AddTo(command);
        command.Options.Add(json);
        command.Validators.Add(r =>
        {
            if (r.GetValue(dir) is not null && r.GetResult(model.Model) is { Implicit: false })
            {
                r.AddError("models inspect: give the model as DIR or as --model, not both.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var positional = parse.GetValue(dir) is { } folder ? new Dictionary<string, string?> { [SettingKeys.Model] = folder } : null;
            using var engine = CliEngine.Create(parse, positional, model);
            var loaded = engine.Model;
            await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(json) ? JsonSerializer.Serialize(ModelsInspectOutput.From(loaded), CliJsonContext.Relaxed.ModelsInspectOutput) + Environment.NewLine : ToText(loaded)).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ToText(ClipModel m)
    {
        var f = m.Folder;
        var s = f.Scoring;
        var c = CultureInfo.InvariantCulture;
        var scoring = s.Kind == ZeroShotScoringKind.Sigmoid
            ? s.Missing is null ? $"sigmoid(cosine x {s.LogitScale.ToString("0.###", c)} + {s.LogitBias.ToString("0.###", c)}) per label" : "sigmoid per label; scale and bias unknown (ranking only)"
            : $"softmax over labels of cosine x {s.LogitScale.ToString("0.###", c)}";
        var lines = new List<string>
        {
            $"model       {f.ModelId}",
            $"family      {ModelFamilies.Name(f.Family)}{(f.SharedSpace is { } space ? $"; shares the image space of {space}" : string.Empty)}{(f.Languages.Count > 0 ? $"; languages {string.Join(", ", f.Languages)}" : string.Empty)}",
            $"folder      {f.Root}",
            $"layout      {ModelsInspectOutput.LayoutName(f.Layout)}",
            $"variant     {f.Variant ?? "(default)"}; available: {string.Join(", ", f.AvailableVariants.Select(v => v ?? "(default)"))}",
            $"device      {m.Device.ToString().ToLowerInvariant()}",
            $"dimension   {m.Dimension}",
            $"scoring     {scoring}",
        };
        if (f.VisionModelPath is { } vision && m.VisionTensors is { } v)
        {
            lines.Add($"vision      {vision}");
            lines.Add($"  inputs    {string.Join("; ", m.VisionInputs)}");
            lines.Add($"  outputs   {string.Join("; ", m.VisionOutputs)} (using {v.Embeddings})");
        }
        else
        {
            lines.Add("vision      none: a text tower alone");
        }

        lines.Add($"text        {f.TextModelPath}");
        lines.Add($"  inputs    {string.Join("; ", m.TextInputs)}{(m.TextTensors.Mask is null ? " (no attention_mask: none fed)" : string.Empty)}");
        lines.Add($"  outputs   {string.Join("; ", m.TextOutputs)} (using {m.TextTensors.Embeddings})");
        lines.Add($"  tokenizer {m.Tokenizer.Kind} ({Path.GetFileName(f.Tokenizer.Path)}), cleaning {f.Tokenizer.Cleaning.ToString().ToLowerInvariant()}; context {m.ContextLength} tokens; vocabulary {m.Tokenizer.VocabularySize}");
        if (!f.IsTextOnly)
        {
            lines.Add($"preprocess  {f.Preprocessing.Describe()}{(f.PreprocessorConfigPath is null ? " (CLIP defaults: no preprocessing configuration)" : string.Empty)}");
        }

        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
