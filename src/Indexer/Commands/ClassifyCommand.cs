using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ClipSearch.Core.Embeddings;
using ClipSearch.Core.ZeroShot;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch classify IMAGE... --labels "cat,dog"</c>: zero-shot classification of image files. With --json,
/// one line per image: <c>{"input", "labels": [{"label", "probability", "score"}]}</c>, most probable first
/// (score = cosine similarity), or <c>{"input", "error"}</c>.
/// </summary>
internal static class ClassifyCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var prompts = new PromptOptions();
        var images = new Argument<string[]>("IMAGE") { Description = "Image files to classify.", Arity = ArgumentArity.OneOrMore };
        var top = new Option<int>("--top") { Description = "Labels to show per image.", DefaultValueFactory = _ => 5 };
        var json = CommonOptions.Json();
        var command = new Command("classify", "Classify images into the labels you give, zero-shot (nothing is trained): probabilities over the labels, best first.");
        command.Arguments.Add(images);
        model.AddTo(command);
        prompts.AddTo(command);
        command.Options.Add(top);
        command.Options.Add(json);
        command.SetAction(async (parse, ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var output = parse.InvocationConfiguration.Output;
            PromptSet set;
            try
            {
                set = prompts.Resolve(parse);
            }
            catch (Exception e) when (e is ArgumentException or FormatException)
            {
                await error.WriteLineAsync($"classify: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            using var engine = CliEngine.Create(parse, model);
            ZeroShotClassifier classifier;
            try
            {
                classifier = ZeroShotClassifier.Create(prompts.LabelList(parse), set, engine.Text, ct);
            }
            catch (ArgumentException e)
            {
                await error.WriteLineAsync($"classify: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Usage;
            }

            var paths = parse.GetValue(images)!;
            var encoded = await engine.Images.EncodeFilesAsync(paths, cancellationToken: ct).ConfigureAwait(false);
            var results = encoded.Select(e => e.Succeeded ? classifier.Classify(e.Embedding) : null).ToArray();
            var limit = Math.Max(1, parse.GetValue(top));
            for (var i = 0; i < paths.Length; i++)
            {
                await output.WriteLineAsync(parse.GetValue(json) ? Json(paths[i], results[i], encoded[i], limit) : Text(paths[i], results[i], encoded[i], limit))
                    .ConfigureAwait(false);
            }

            return encoded.All(e => e.Succeeded) ? ExitCodes.Success : ExitCodes.PartialFailure;
        });
        return command;
    }

    private static string Json(string input, Classification? result, EncodedImage encoded, int top) => result is null
        ? JsonSerializer.Serialize(new ClassifyErrorOutput(input, encoded.Failure!.ToString()), CliJsonContext.Relaxed.ClassifyErrorOutput)
        : JsonSerializer.Serialize(ClassifyOutput.From(input, result, top), CliJsonContext.Relaxed.ClassifyOutput);

    private static string Text(string input, Classification? result, EncodedImage encoded, int top) => result is null
        ? $"{input}\terror: {encoded.Failure}"
        : input + "\t" + string.Join(", ", result.Labels.OrderByDescending(s => s.Probability).Take(top)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Label} {s.Probability * 100:0.0}% ({s.Score:0.000})")));
}
