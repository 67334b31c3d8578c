using System.CommandLine;
using ClipSearch.Clip;
using ClipSearch.Clip.Inference;
using Microsoft.Extensions.Logging;

namespace ClipSearch.Indexer.Cli;

/// <summary>The model-related options of a command, declared once and read back from a parse result.</summary>
internal sealed class ModelOptions
{
    public Option<DirectoryInfo?> Model { get; } = CommonOptions.Model();

    public Option<string?> Variant { get; } = CommonOptions.Variant();

    public Option<ExecutionDevice> Device { get; } = CommonOptions.Device();

    public Option<int> Batch { get; } = CommonOptions.Batch();

    public Option<bool> Verbose { get; } = CommonOptions.Verbose();

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Variant);
        command.Options.Add(Device);
        command.Options.Add(Batch);
        command.Options.Add(Verbose);
        Batch.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<int>();
            if (value is < 1 or > 1024)
            {
                r.AddError($"--batch must be between 1 and 1024, got {value}.");
            }
        });
    }

    public string ModelPath(ParseResult parse) => ModelLocator.Resolve(parse.GetValue(Model));

    public ClipModel Load(ParseResult parse, ILoggerFactory logging)
    {
        var options = new ClipEngineOptions { Device = parse.GetValue(Device), BatchSize = parse.GetValue(Batch) };
        return ClipModel.Load(ModelPath(parse), options, parse.GetValue(Variant), logging.CreateLogger("ClipSearch.Engine"));
    }
}
