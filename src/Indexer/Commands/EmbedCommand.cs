using System.CommandLine;
using System.CommandLine.Parsing;
using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Indexer.Cli;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch embed</c>: one JSON line per input, in command-line order:
/// <c>{"kind": "image"|"text", "input": ..., "embedding": [...]}</c> or <c>{"kind", "input", "error"}</c>.
/// This output is how the engine's parity with other CLIP implementations is checked: keep it stable.
/// </summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var images = new Option<string[]>("--image") { Description = "An image file to embed (repeatable)." };
        var texts = new Option<string[]>("--text") { Description = "A text to embed (repeatable)." };
        var command = new Command("embed", "Print the L2-normalised CLIP embedding of each --image and --text, one JSON line each, in the order given.");
        model.AddTo(command);
        command.Options.Add(images);
        command.Options.Add(texts);
        command.SetAction((parse, ct) => RunAsync(parse, model, images, texts, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ModelOptions modelOptions, Option<string[]> imageOption,
        Option<string[]> textOption, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var inputs = OrderedInputs(parse, imageOption, textOption);
        if (inputs.Count == 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("embed: give at least one --image PATH or --text TEXT.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var logging = CliLogging.Create(parse.GetValue(modelOptions.Verbose));
        using var model = modelOptions.Load(parse, logging);
        using var preparer = ImagePreparers.Create(model, new ImageDecodeOptions());
        var failed = 0;
        var chunk = Math.Max(1, parse.GetValue(modelOptions.Batch)) * 4;
        for (var start = 0; start < inputs.Count; start += chunk)
        {
            var part = inputs.Skip(start).Take(chunk).ToList();
            var lines = await EmbedAsync(model, preparer, part, cancellationToken).ConfigureAwait(false);
            foreach (var (line, ok) in lines)
            {
                failed += ok ? 0 : 1;
                await output.WriteLineAsync(line).ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
        return failed == 0 ? ExitCodes.Success : ExitCodes.PartialFailure;
    }

    /// <summary>Inputs in the order they appear on the command line (System.CommandLine groups values per option).</summary>
    internal static List<(bool IsImage, string Value)> OrderedInputs(ParseResult parse, Option<string[]> images, Option<string[]> texts)
    {
        var result = new List<(bool, string)>();
        var tokens = parse.Tokens;
        for (var i = 0; i < tokens.Count - 1; i++)
        {
            if (tokens[i].Type != TokenType.Option)
            {
                continue;
            }

            var isImage = images.Name == tokens[i].Value || images.Aliases.Contains(tokens[i].Value);
            var isText = texts.Name == tokens[i].Value || texts.Aliases.Contains(tokens[i].Value);
            if ((isImage || isText) && tokens[i + 1].Type == TokenType.Argument)
            {
                result.Add((isImage, tokens[i + 1].Value));
                i++;
            }
        }

        return result;
    }

    private static async Task<List<(string Line, bool Ok)>> EmbedAsync(ClipModel model, IImagePreparer preparer, List<(bool IsImage, string Value)> inputs,
        CancellationToken cancellationToken)
    {
        var lines = new (string, bool)[inputs.Count];
        var tensors = new float[]?[inputs.Count];
        var prepared = await Task.WhenAll(inputs.Select(input => input.IsImage
            ? preparer.PrepareFileAsync(input.Value, cancellationToken)
            : Task.FromResult(default(PrepareResult)))).ConfigureAwait(false);
        for (var i = 0; i < inputs.Count; i++)
        {
            if (!inputs[i].IsImage)
            {
                continue;
            }

            if (prepared[i].Succeeded)
            {
                tensors[i] = prepared[i].Image!.Tensor;
            }
            else
            {
                lines[i] = (ErrorLine("image", inputs[i].Value, prepared[i].Failure!.ToString()), false);
            }
        }

        var imageIndexes = Enumerable.Range(0, inputs.Count).Where(i => tensors[i] is not null).ToList();
        var imageEmbeddings = model.EncodePixelTensors(imageIndexes.Select(i => tensors[i]!).ToList(), cancellationToken);
        for (var k = 0; k < imageIndexes.Count; k++)
        {
            lines[imageIndexes[k]] = (EmbeddingLine("image", inputs[imageIndexes[k]].Value, imageEmbeddings[k]), true);
        }

        var textIndexes = Enumerable.Range(0, inputs.Count).Where(i => !inputs[i].IsImage).ToList();
        var textEmbeddings = model.EncodeTexts(textIndexes.Select(i => inputs[i].Value).ToList(), cancellationToken);
        for (var k = 0; k < textIndexes.Count; k++)
        {
            lines[textIndexes[k]] = (EmbeddingLine("text", inputs[textIndexes[k]].Value, textEmbeddings[k]), true);
        }

        return [.. lines];
    }

    private static string EmbeddingLine(string kind, string input, float[] embedding) => JsonLine.Write(w =>
    {
        w.WriteString("kind", kind);
        w.WriteString("input", input);
        w.WriteStartArray("embedding");
        foreach (var v in embedding)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    });

    private static string ErrorLine(string kind, string input, string error) => JsonLine.Write(w =>
    {
        w.WriteString("kind", kind);
        w.WriteString("input", input);
        w.WriteString("error", error);
    });
}
