using System.CommandLine;
using ClipSearch.Core.ZeroShot;

namespace ClipSearch.Indexer.Cli;

/// <summary>The label and prompt options of the zero-shot commands, declared once and read back from a parse result.</summary>
internal sealed class PromptOptions
{
    public Option<string> Labels { get; } = new("--labels")
    {
        Description = "The classes, comma-separated, e.g. \"cat,dog,bird\".",
        Required = true,
    };

    public Option<string?> Template { get; } = new("--template") { Description = "One prompt template, {} for the label, e.g. \"a photo of a {}, a type of pet.\"." };

    public Option<string?> Ensemble { get; } = new("--ensemble")
    {
        Description = $"A named ensemble of templates whose embeddings are averaged: {string.Join(", ", Core.ZeroShot.PromptSet.Ensembles.Keys)} (default: {Core.ZeroShot.PromptSet.DefaultEnsemble}).",
    };

    public Option<FileInfo?> Prompts { get; } = new("--prompts")
    {
        Description = "A prompts file: template lines with {}, and 'label: prompt' lines that override a label's prompts (e.g. 'boxer: a photo of a boxer, a type of dog.').",
    };

    public void AddTo(Command command, bool withLabels = true)
    {
        if (withLabels)
        {
            command.Options.Add(Labels);
        }

        command.Options.Add(Template);
        command.Options.Add(Ensemble);
        command.Options.Add(Prompts);
        command.Validators.Add(r =>
        {
            var given = new Option[] { Template, Ensemble, Prompts }.Count(o => r.GetResult(o) is { Implicit: false });
            if (given > 1)
            {
                r.AddError("Give at most one of --template, --ensemble and --prompts.");
            }
        });
    }

    /// <summary>The labels, trimmed, in order.</summary>
    public IReadOnlyList<string> LabelList(ParseResult parse) =>
        [.. (parse.GetValue(Labels) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>The prompt set asked for. Throws <see cref="ArgumentException"/> or <see cref="FormatException"/> with a message for the user.</summary>
    public PromptSet Resolve(ParseResult parse)
    {
        if (parse.GetValue(Template) is { Length: > 0 } template)
        {
            return new PromptSet([template]);
        }

        if (parse.GetValue(Prompts) is { } file)
        {
            return file.Exists
                ? Core.ZeroShot.PromptSet.Parse(File.ReadAllText(file.FullName), file.Name)
                : throw new ArgumentException($"--prompts: {file.FullName} does not exist");
        }

        return Core.ZeroShot.PromptSet.Ensemble(parse.GetValue(Ensemble) ?? Core.ZeroShot.PromptSet.DefaultEnsemble);
    }
}
