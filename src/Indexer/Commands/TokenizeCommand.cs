using System.CommandLine;
using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch tokenize</c>: one JSON line per text, <c>{"text", "ids": [context ids], "truncated"}</c>,
/// exactly the text tower's input as the model's family frames it (CLIP: SOT, BPE ids, EOT, zero padding, as OpenAI's
/// <c>clip.tokenize</c>; SigLIP: pieces, &lt;/s&gt;, padding to 64).
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var texts = new Argument<string[]>("text") { Description = "Texts to tokenize.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("tokenize", "Print the model's token ids for each text (the text tower's input), one JSON line each.");
        model.AddTo(command, folderOnly: true);
        command.Arguments.Add(texts);
        command.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, model);
            var location = engine.ModelLocation;
            var folder = ClipModelFolder.Open(location.Folder, location.Variant);
            var tokenizer = folder.Tokenizer.Open(folder.Family);
            var output = parse.InvocationConfiguration.Output;
            foreach (var text in parse.GetValue(texts) ?? [])
            {
                var tokens = tokenizer.Tokenize(text);
                await output.WriteLineAsync(JsonSerializer.Serialize(new TokenizeOutput(text, tokens.Ids, tokens.Truncated), CliJsonContext.Relaxed.TokenizeOutput))
                    .ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
