using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip;
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
        var p = f.Preprocessing;
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"model       {f.ModelId}",
            $"folder      {f.Root}",
            $"layout      {ModelsInspectOutput.LayoutName(f.Layout)}",
            $"variant     {f.Variant ?? "(default)"}; available: {string.Join(", ", f.AvailableVariants.Select(v => v ?? "(default)"))}",
            $"device      {m.Device.ToString().ToLowerInvariant()}",
            $"dimension   {m.Dimension}",
            $"logit scale {f.LogitScale.ToString("0.###", c)}",
            $"vision      {f.VisionModelPath}",
            $"  inputs    {string.Join("; ", m.VisionInputs)}",
            $"  outputs   {string.Join("; ", m.VisionOutputs)} (using {m.VisionTensors.Embeddings})",
            $"text        {f.TextModelPath}",
            $"  inputs    {string.Join("; ", m.TextInputs)}{(m.TextTensors.Mask is null ? " (no attention_mask: none fed)" : string.Empty)}",
            $"  outputs   {string.Join("; ", m.TextOutputs)} (using {m.TextTensors.Embeddings})",
            $"  context   {m.ContextLength} tokens; vocabulary {m.Tokenizer.VocabularySize}",
            $"preprocess  shorter side to {p.ResizeShortestEdge} (bicubic), centre crop {p.CropSize}, mean [{string.Join(", ", p.Mean.Select(v => v.ToString(c)))}], std [{string.Join(", ", p.Std.Select(v => v.ToString(c)))}]{(f.PreprocessorConfigPath is null ? " (CLIP defaults: no preprocessor_config.json)" : string.Empty)}",
        };
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }
}
