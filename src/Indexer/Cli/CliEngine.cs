using System.CommandLine;
using ClipSearch.Clip;
using ClipSearch.Core.Embeddings;
using ClipSearch.Engine;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Models;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClipSearch.Indexer.Cli;

/// <summary>
/// The engine as one command runs it: its flags and the CLIPSEARCH_* variables read into the engine's settings
/// through Microsoft.Extensions.Configuration (flags first), validated before anything runs, and the engine's
/// services composed by <see cref="EngineServices.AddClipSearchEngine"/> exactly as the Search API composes them.
/// Nothing is loaded until a command asks for it (a search by a stored image never loads the model).
/// </summary>
internal sealed class CliEngine : IDisposable
{
    private readonly ServiceProvider _services;

    private CliEngine(ServiceProvider services) => _services = services;

    /// <summary>The engine for <paramref name="parse"/>: the settings its <paramref name="options"/> groups give, over the environment's.</summary>
    /// <exception cref="CliUsageException">A setting is invalid (the message names the flag or variable).</exception>
    public static CliEngine Create(ParseResult parse, params ISettingOptions[] options) => Create(parse, null, options);

    /// <summary>As <see cref="Create(ParseResult, ISettingOptions[])"/>, with settings of the command's own (<paramref name="extra"/>) on top.</summary>
    public static CliEngine Create(ParseResult parse, IEnumerable<KeyValuePair<string, string?>>? extra, params ISettingOptions[] options)
    {
        ArgumentNullException.ThrowIfNull(parse);
        // The command's own settings win over its flags' (eval's runs name each model over the last --model).
        var flags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in options.SelectMany(o => o.Settings(parse)).Concat(extra ?? []))
        {
            flags[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddClipSearchEnvironment().AddInMemoryCollection(flags).Build();
        var verbose = options.OfType<ModelOptions>().Any(m => parse.GetValue(m.Verbose));
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(builder => CliLogging.Configure(builder, verbose))
            .AddClipSearchEngine(configuration, new EngineHost(typeof(CliEngine).Assembly, CliNames.Settings))
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException e)
        {
            services.Dispose();
            throw new CliUsageException(CliNames.InFlags(string.Join(Environment.NewLine, e.Failures)), e);
        }

        return new CliEngine(services);
    }

    /// <summary>The loaded model (for the commands about the model itself: inspect, tokenize, benchmarks).</summary>
    public ClipModel Model => _services.GetRequiredService<ClipModel>();

    /// <summary>The model's text encoder, with the engine's cache.</summary>
    public ITextEncoder Text => _services.GetRequiredService<ITextEncoder>();

    /// <summary>The model's image encoder, decoding exactly as the reference transform, in worker processes.</summary>
    public IImageEncoder Images => _services.GetRequiredService<IImageEncoder>();

    /// <summary>For image encoders that decode otherwise (indexing's scaled JPEG decode).</summary>
    public ImageEncoderFactory ImageEncoders => _services.GetRequiredService<ImageEncoderFactory>();

    public ModelSettings ModelSettings => _services.GetRequiredService<IOptions<ModelSettings>>().Value;

    /// <summary>Where the settings say the model is.</summary>
    public ModelLocation ModelLocation => _services.GetRequiredService<ModelLocation>();

    public IndexSettings IndexSettings => _services.GetRequiredService<IOptions<IndexSettings>>().Value;

    /// <summary>The configured vector index.</summary>
    public StoreContext Store => _services.GetRequiredService<StoreContext>();

    public CollectionAccess Collections => _services.GetRequiredService<CollectionAccess>();

    /// <summary>Calibrated cut-offs, per collection and text model.</summary>
    public ScoreCalibration Calibration => _services.GetRequiredService<ScoreCalibration>();

    public ILoggerFactory Logging => _services.GetRequiredService<ILoggerFactory>();

    public void Dispose() => _services.Dispose();
}
