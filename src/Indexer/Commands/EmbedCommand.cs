using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Imaging;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

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
        var scaled = new Option<bool>("--scaled-decode")
        {
            Description = "Decode JPEGs as 'clipsearch index' does by default (at 1/2-1/8 scale), so the output is what index stores; by default they are decoded at full size, as CLIP's reference transform.",
        };
        var command = new Command("embed", "Print the L2-normalised CLIP embedding of each --image and --text, one JSON line each, in the order given.");
        model.AddTo(command);
        command.Options.Add(images);
        command.Options.Add(texts);
        command.Options.Add(scaled);
        command.SetAction((parse, ct) => RunAsync(parse, model, images, texts, parse.GetValue(scaled) ? ImageDecoding.Scaled : ImageDecoding.Exact, ct));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parse, ModelOptions modelOptions, Option<string[]> imageOption,
        Option<string[]> textOption, ImageDecoding decoding, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var inputs = OrderedInputs(parse, imageOption, textOption);
        if (inputs.Count == 0)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync("embed: give at least one --image PATH or --text TEXT.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var engine = CliEngine.Create(parse, modelOptions);
        using var images = inputs.Any(i => i.IsImage) ? engine.ImageEncoders.Create(decoding) : null;
        var failed = 0;
        var chunk = modelOptions.BatchSize(parse) * 4;
        for (var start = 0; start < inputs.Count; start += chunk)
        {
            var part = inputs.Skip(start).Take(chunk).ToList();
            var lines = await EmbedAsync(engine, images, part, cancellationToken).ConfigureAwait(false);
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

    private static async Task<List<(string Line, bool Ok)>> EmbedAsync(CliEngine engine, IImageEncoder? images, List<(bool IsImage, string Value)> inputs,
        CancellationToken cancellationToken)
    {
        var lines = new (string, bool)[inputs.Count];
        var imageIndexes = Enumerable.Range(0, inputs.Count).Where(i => inputs[i].IsImage).ToList();
        if (imageIndexes.Count > 0)
        {
            var encoded = await images!.EncodeFilesAsync([.. imageIndexes.Select(i => inputs[i].Value)], cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var k = 0; k < imageIndexes.Count; k++)
            {
                var input = inputs[imageIndexes[k]].Value;
                lines[imageIndexes[k]] = encoded[k].Succeeded ? (EmbeddingLine("image", input, encoded[k].Embedding!), true) : (ErrorLine("image", input, encoded[k].Failure!.ToString()), false);
            }
        }

        var textIndexes = Enumerable.Range(0, inputs.Count).Where(i => !inputs[i].IsImage).ToList();
        if (textIndexes.Count > 0)
        {
            var textEmbeddings = engine.Text.Encode([.. textIndexes.Select(i => inputs[i].Value)], cancellationToken);
            for (var k = 0; k < textIndexes.Count; k++)
            {
                lines[textIndexes[k]] = (EmbeddingLine("text", inputs[textIndexes[k]].Value, textEmbeddings[k]), true);
            }
        }

        return [.. lines];
    }

    private static string EmbeddingLine(string kind, string input, float[] embedding) =>
        JsonSerializer.Serialize(new EmbedOutput(kind, input, embedding), CliJsonContext.Relaxed.EmbedOutput);

    private static string ErrorLine(string kind, string input, string error) =>
        JsonSerializer.Serialize(new EmbedErrorOutput(kind, input, error), CliJsonContext.Relaxed.EmbedErrorOutput);
}
