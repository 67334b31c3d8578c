using ClipSearch.Clip;
using ClipSearch.Clip.Imaging;
using ClipSearch.Clip.Imaging.Isolation;
using ClipSearch.Clip.Imaging.Thumbnails;
using ClipSearch.Clip.Inference;
using ClipSearch.Core.Embeddings;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Models;
using ClipSearch.Engine.Search;
using ClipSearch.Engine.Stores;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ClipSearch.Engine;

/// <summary>
/// The engine's composition, the same for every front end: settings bound from one configuration and validated at
/// start, the model they name (loaded on first use), its text encoder (cached) and image encoders, and the vector index.
/// </summary>
public static class EngineServices
{
    public static IServiceCollection AddClipSearchEngine(this IServiceCollection services, IConfiguration configuration, EngineHost host)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(host);
        services.AddSingleton(host);
        services.AddOptions<ModelSettings>().Bind(configuration.GetSection(ModelSettings.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelSettings>>(new RenamedSettings(configuration));
        services.AddOptions<ClipEngineOptions>().Bind(configuration.GetSection(SettingKeys.Section))
            .PostConfigure(o => o.GraphCacheFolder = o.GraphCacheFolder switch
            {
                null => UserFolders.Cache("onnx"),
                _ when o.GraphCacheFolder.Equals("none", StringComparison.OrdinalIgnoreCase) => string.Empty, // the cache turned off
                var folder => folder,
            })
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IndexSettings>().Bind(configuration.GetSection(IndexSettings.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IndexSettings>, IndexSettingsValidator>();
        services.AddOptions<ImageDecodeOptions>().Bind(configuration.GetSection(SettingKeys.DecodingSection)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DecodingSettings>().Bind(configuration.GetSection(DecodingSettings.SectionName)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(sp => ModelResolver.Resolve(sp.GetRequiredService<IOptions<ModelSettings>>().Value, host.Names));
        services.AddSingleton(sp =>
        {
            var location = sp.GetRequiredService<ModelLocation>();
            var logger = sp.GetService<ILoggerFactory>()?.CreateLogger("ClipSearch.Engine");
            // Each tower loads when first used: a text search never loads the image tower, an index run never the text tower's session
            // before it needs it (see LoadedModel below for what reading the dimension costs).
            return ClipModel.Load(location.Folder, sp.GetRequiredService<IOptions<ClipEngineOptions>>().Value, location.Variant, logger, ModelTowers.None);
        });
        services.AddSingleton(sp =>
        {
            var model = sp.GetRequiredService<ClipModel>();
            return new LoadedModel(model.ModelId, model.Dimension, model.Device.ToString().ToLowerInvariant(), sp.GetRequiredService<ModelLocation>(), model.HasImageTower);
        });
        services.AddSingleton(sp => new CachedTextEncoder(sp.GetRequiredService<ClipModel>(), sp.GetRequiredService<IOptions<ModelSettings>>().Value.TextCacheEntries));
        services.AddSingleton<ITextEncoder>(sp => sp.GetRequiredService<CachedTextEncoder>());
        services.AddSingleton<ImageEncoderFactory>();
        services.AddSingleton(sp => sp.GetRequiredService<ImageEncoderFactory>().Create(ImageDecoding.Exact));
        services.AddSingleton<IThumbnailRenderer>(sp =>
        {
            var (limits, settings) = (sp.GetRequiredService<IOptions<ImageDecodeOptions>>().Value, sp.GetRequiredService<IOptions<DecodingSettings>>().Value);
            return settings.Isolate ? new IsolatedThumbnailRenderer(limits, settings.WorkerOptions(host)) : new InProcessThumbnailRenderer(limits);
        });

        services.AddSingleton(sp => StoreFactory.Open(sp.GetRequiredService<IOptions<IndexSettings>>().Value, sp.GetService<ILoggerFactory>()));
        services.AddSingleton<CollectionAccess>();
        services.AddSingleton<Search.ScoreCalibration>();
        return services;
    }

    /// <summary>Refuses a start that still uses a key of an earlier release, naming its new name.</summary>
    private sealed class RenamedSettings(IConfiguration configuration) : IValidateOptions<ModelSettings>
    {
        public ValidateOptionsResult Validate(string? name, ModelSettings options)
        {
            var errors = SettingKeys.Renamed.Where(kv => configuration[kv.Key] is { Length: > 0 })
                .Select(kv => $"{kv.Key} is now called {kv.Value}; rename the setting.")
                .ToList();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
