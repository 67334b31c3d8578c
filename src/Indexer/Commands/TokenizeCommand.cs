using System.CommandLine;
using System.Text.Json;
using ClipSearch.Clip.Models;
using ClipSearch.Clip.Tokenization;
using ClipSearch.Indexer.Cli;
using ClipSearch.Indexer.Output;

namespace ClipSearch.Indexer.Commands;

/// <summary>
/// <c>clipsearch tokenize</c>: one JSON line per text, <c>{"text", "ids": [context ids], "truncated"}</c>,
/// exactly the text tower's input (SOT, BPE ids, EOT, zero padding), as OpenAI's <c>clip.tokenize</c>.
/// </summary>
internal static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new ModelOptions();
        var texts = new Argument<string[]>("text") { Description = "Texts to tokenize.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("tokenize", "Print CLIP's token ids for each text (the text tower's input), one JSON line each.");
        model.AddTo(command, folderOnly: true);
        command.Arguments.Add(texts);
        command.SetAction(async (parse, ct) =>
        {
            using var engine = CliEngine.Create(parse, model);
            var location = engine.ModelLocation;
            var folder = ClipModelFolder.Open(location.Folder, location.Variant);
            var tokenizer = ClipTokenizer.FromFiles(folder.VocabPath, folder.MergesPath);
            var context = folder.TextContextLength ?? ClipTokenizer.DefaultContextLength;
            var output = parse.InvocationConfiguration.Output;
            foreach (var text in parse.GetValue(texts) ?? [])
            {
                var tokens = tokenizer.Tokenize(text, context);
                await output.WriteLineAsync(JsonSerializer.Serialize(new TokenizeOutput(text, tokens.Ids, tokens.Truncated), CliJsonContext.Relaxed.TokenizeOutput))
                    .ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
