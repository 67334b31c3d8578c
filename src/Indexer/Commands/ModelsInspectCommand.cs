using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Clip;
using ClipSearch.Clip.Inference;
using ClipSearch.Engine.Configuration;
using ClipSearch.Indexer.Cli;

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
            await parse.InvocationConfiguration.Output.WriteAsync(parse.GetValue(json) ? ToJson(loaded) + Environment.NewLine : ToText(loaded)).ConfigureAwait(false);
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
            $"layout      {(f.Layout == Clip.Models.ModelLayout.HuggingFace ? "hugging-face" : "fastembed")}",
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

    private static string ToJson(ClipModel m)
    {
        var f = m.Folder;
        return JsonLine.Write(w =>
        {
            w.WriteString("model_id", f.ModelId);
            w.WriteString("folder", f.Root);
            w.WriteString("layout", f.Layout == Clip.Models.ModelLayout.HuggingFace ? "hugging-face" : "fastembed");
            w.WriteString("variant", f.Variant);
            w.WriteStartArray("available_variants");
            foreach (var v in f.AvailableVariants)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
            w.WriteString("device", m.Device.ToString().ToLowerInvariant());
            w.WriteNumber("dimension", m.Dimension);
            w.WriteNumber("logit_scale", f.LogitScale);
            w.WriteNumber("context_length", m.ContextLength);
            WriteTower(w, "vision", f.VisionModelPath, m.VisionInputs, m.VisionOutputs, m.VisionTensors.Embeddings);
            WriteTower(w, "text", f.TextModelPath, m.TextInputs, m.TextOutputs, m.TextTensors.Embeddings);
            w.WriteStartObject("preprocessing");
            w.WriteNumber("resize_shortest_edge", f.Preprocessing.ResizeShortestEdge);
            w.WriteNumber("crop_size", f.Preprocessing.CropSize);
            WriteFloats(w, "mean", f.Preprocessing.Mean);
            WriteFloats(w, "std", f.Preprocessing.Std);
            w.WriteString("source", f.PreprocessorConfigPath);
            w.WriteEndObject();
        });
    }

    private static void WriteTower(Utf8JsonWriter w, string name, string path, IReadOnlyList<TensorInfo> inputs, IReadOnlyList<TensorInfo> outputs, string used)
    {
        w.WriteStartObject(name);
        w.WriteString("path", path);
        w.WriteString("embedding_output", used);
        WriteTensors(w, "inputs", inputs);
        WriteTensors(w, "outputs", outputs);
        w.WriteEndObject();
    }

    private static void WriteTensors(Utf8JsonWriter w, string name, IReadOnlyList<TensorInfo> tensors)
    {
        w.WriteStartArray(name);
        foreach (var t in tensors)
        {
            w.WriteStartObject();
            w.WriteString("name", t.Name);
            w.WriteString("type", t.ElementType);
            w.WriteStartArray("shape");
            foreach (var d in t.Dimensions)
            {
                w.WriteNumberValue(d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteFloats(Utf8JsonWriter w, string name, float[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
