using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ClipSearch.Clip.Imaging;
using ClipSearch.Engine.Configuration;
using ClipSearch.Engine.Imaging;
using ClipSearch.Engine.Models;
using ClipSearch.Engine.Stores;
using ClipSearch.Indexer;
using ClipSearch.SearchApi.Common;
using Microsoft.Extensions.Configuration;
using ClipSearch.Tests.Shared;
using ClipSearch.WebUi.Hosting;
using YamlDotNet.RepresentationModel;

namespace ClipSearch.Deployment.Tests;

/// <summary>
/// docker-compose.yml and the Dockerfiles, checked against what the applications actually read, so that the
/// deployment cannot drift from the code. (No Docker engine runs here: nothing is built or started.)
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Load();
    private static readonly YamlMappingNode Services = (YamlMappingNode)Compose["services"];

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        using var reader = new StringReader(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docker-compose.yml")));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)Services[name];

    private static string? Scalar(YamlMappingNode node, string key) => node.Children.TryGetValue(key, out var v) ? ((YamlScalarNode)v).Value : null;

    /// <summary>A service's environment, with merged anchors (&lt;&lt;) resolved by the YAML reader.</summary>
    private static Dictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        void Read(YamlMappingNode map)
        {
            foreach (var (key, value) in map.Children)
            {
                if (((YamlScalarNode)key).Value == "<<")
                {
                    Read((YamlMappingNode)value);
                }
                else
                {
                    result[((YamlScalarNode)key).Value!] = ((YamlScalarNode)value).Value ?? "";
                }
            }
        }

        if (Service(service).Children.TryGetValue("environment", out var env))
        {
            Read((YamlMappingNode)env);
        }

        return result;
    }

    private static List<string> Sequence(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(key, out var v) ? [.. ((YamlSequenceNode)v).Children.Select(c => ((YamlScalarNode)c).Value!)] : [];

    [Fact]
    public void Services_AreTheDocumentedOnes()
    {
        var names = Services.Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToList();
        Assert.Equal(["qdrant", "searchapi", "searchapi-gpu", "webui", "indexer", "indexer-watch"], names);
        Assert.Equal(["gpu"], Sequence(Service("searchapi-gpu"), "profiles"));
        Assert.Equal(["watch"], Sequence(Service("indexer-watch"), "profiles"));
    }

    [Fact]
    public void Qdrant_ImageIsPinnedToTheClientsMinorVersion()
    {
        var client = Regex.Match(File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "Directory.Packages.props")), "Include=\"Qdrant.Client\" Version=\"(\\d+\\.\\d+)\\.").Groups[1].Value;
        var image = Scalar(Service("qdrant"), "image")!;
        Assert.Matches($"^qdrant/qdrant:v{Regex.Escape(client)}\\.\\d+$", image);
        Assert.Contains("qdrant-storage:/qdrant/storage", Sequence(Service("qdrant"), "volumes"));
        Assert.Contains(Sequence(Service("qdrant"), "ports"), p => p.EndsWith(":6334", StringComparison.Ordinal));
        Assert.True(Service("qdrant").Children.ContainsKey("healthcheck"));
    }

    [Theory]
    [InlineData("searchapi")]
    [InlineData("searchapi-gpu")]
    public void SearchApi_EveryVariable_IsASettingTheApiReads(string service)
    {
        var environment = Environment(service);
        Assert.NotEmpty(environment);
        foreach (var key in environment.Keys)
        {
            Assert.True(EnvironmentSettings.Keys.ContainsKey(key) || (key.StartsWith("ClipSearch__", StringComparison.Ordinal) && IsApiSetting(key.Split("__")[1..])),
                $"{service}: {key} is neither a CLIPSEARCH_* variable nor a ClipSearch__ setting the API reads");
        }

        Assert.Equal(service == "searchapi" ? "cpu" : "cuda", environment["ClipSearch__Device"]);
        Assert.Contains("models:/models:ro", Sequence(Service(service), "volumes"));
        Assert.Contains(Sequence(Service(service), "ports"), p => p.EndsWith(":8080", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("searchapi", "indexer")]
    [InlineData("searchapi-gpu", "indexer-watch")]
    public void ApiAndIndexer_ReadTheSameModelVariantAndIndex(string api, string indexer)
    {
        // What a user sets in the shell, as the file's header says: a pulled model's name and its variant.
        var shell = new Dictionary<string, string> { ["CLIPSEARCH_MODEL"] = "openai/clip-vit-base-patch32", ["CLIPSEARCH_VARIANT"] = "quantized", ["QDRANT_API_KEY"] = "k" };
        var apiSettings = ApiConfiguration(Expand(Environment(api), shell));
        var cliSettings = CliConfiguration(Expand(Environment(indexer), shell));
        foreach (var settings in new[] { apiSettings, cliSettings })
        {
            var model = Bind<ModelSettings>(settings, ModelSettings.SectionName);
            Assert.Equal("openai/clip-vit-base-patch32", model.Model);
            Assert.Equal("quantized", model.Variant);
            Assert.Equal("/models", model.ModelsFolder);
            var index = Bind<IndexSettings>(settings, IndexSettings.SectionName);
            Assert.Equal(new Uri("http://qdrant:6334"), index.Qdrant.Url);
            Assert.Equal("k", index.Qdrant.ApiKey);
        }

        // Without the shell's variables both fall back to the bundled model, again alike.
        Assert.Null(Bind<ModelSettings>(ApiConfiguration(Expand(Environment(api), new())), ModelSettings.SectionName).Model);
        Assert.Null(Bind<ModelSettings>(CliConfiguration(Expand(Environment(indexer), new())), ModelSettings.SectionName).Model);
    }

    [Fact]
    public void WebUi_PointsAtTheApiServiceWithASettingItReads()
    {
        var environment = Environment("webui");
        foreach (var key in environment.Keys)
        {
            Assert.True(key.StartsWith("ClipSearch__", StringComparison.Ordinal) && IsOption(typeof(WebUiOptions), key.Split("__")[1..]), $"webui: {key} is not a setting of WebUiOptions");
        }

        Assert.Equal("http://searchapi:8080", environment["ClipSearch__ApiUrl"]);
    }

    [Theory]
    [InlineData("indexer")]
    [InlineData("indexer-watch")]
    public void Indexer_EveryVariable_IsOneTheCliReadsAndPhotosAreReadOnly(string service)
    {
        var environment = Environment(service);
        Assert.All(environment.Keys, k => Assert.True(EnvironmentSettings.Keys.ContainsKey(k), $"{service}: {k} is not a CLIPSEARCH_* variable the CLI reads"));
        Assert.Contains(Sequence(Service(service), "volumes"), v => v.EndsWith(":/photos:ro", StringComparison.Ordinal));
        var command = Sequence(Service(service), "command");
        Assert.Equal(["index", "/photos"], command.Take(2));
        Assert.Equal(service == "indexer-watch", command.Contains("--watch"));
        // The command line parses: every option in it exists on `clipsearch index`.
        var parse = ClipSearchCli.Build().Parse([.. command.Select(c => c.Replace("${CLIPSEARCH_COLLECTION:-photos}", "photos", StringComparison.Ordinal))]);
        Assert.Empty(parse.Errors);
    }

    [Fact]
    public void Volumes_NamedOnesAreDeclared()
    {
        var declared = ((YamlMappingNode)Compose["volumes"]).Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToHashSet();
        foreach (var (_, node) in Services.Children)
        {
            foreach (var volume in Sequence((YamlMappingNode)node, "volumes"))
            {
                var source = volume.Split(':')[0];
                if (!source.StartsWith('.') && !source.StartsWith('/') && !source.StartsWith('$'))
                {
                    Assert.Contains(source, declared);
                }
            }
        }
    }

    public static TheoryData<string> Dockerfiles() =>
        [.. Services.Children.Values.Cast<YamlMappingNode>().Where(s => s.Children.ContainsKey("build"))
            .Select(s => Scalar((YamlMappingNode)s["build"], "dockerfile")!).Distinct()];

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Dockerfile_IsMultiStageNonRootWithAHealthCheckAndNoSecrets(string dockerfile)
    {
        var path = Path.Combine(TestPaths.RepoRoot, dockerfile);
        Assert.True(File.Exists(path), $"{dockerfile} is missing");
        var lines = File.ReadAllLines(path).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.True(lines.Count(l => l.StartsWith("FROM ", StringComparison.Ordinal)) >= 2, "not a multi-stage build");
        Assert.Contains(lines, l => l.StartsWith("RUN dotnet publish src/", StringComparison.Ordinal));
        var user = lines.Last(l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.NotEqual("USER root", user);
        Assert.Contains(lines, l => l.StartsWith("HEALTHCHECK ", StringComparison.Ordinal));
        Assert.DoesNotMatch(SecretPattern(), string.Join("\n", lines.Where(l => l.StartsWith("ENV ", StringComparison.Ordinal) || l.StartsWith("ARG ", StringComparison.Ordinal) || l.Contains('='))));
        foreach (var env in lines.SelectMany(l => ClipSearchEnv().Matches(l)).Select(m => m.Value))
        {
            Assert.True(IsApiSetting(env.Split("__")[1..]), $"{dockerfile}: {env} is not a setting the API reads");
        }
    }

    [Fact]
    public void GpuProfile_ReservesAnNvidiaGpuOnACuda13Image()
    {
        var devices = Service("searchapi-gpu")["deploy"]["resources"]["reservations"]["devices"][0];
        Assert.Equal("nvidia", ((YamlScalarNode)devices["driver"]).Value);
        Assert.Contains("FROM nvidia/cuda:13.", File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "docker", "searchapi-gpu.Dockerfile")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DockerCompose_Config_ValidatesTheFileOffline()
    {
        Skip.If(!File.Exists("/usr/bin/docker-compose"), "Debian's docker-compose is not installed (./test.sh installs it with apt).");
        var start = new ProcessStartInfo("/usr/bin/docker-compose", ["-f", "docker-compose.yml", "--profile", "gpu", "--profile", "watch", "config", "-q"])
        {
            WorkingDirectory = TestPaths.RepoRoot, RedirectStandardError = true, RedirectStandardOutput = true,
        };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
    }

    /// <summary>Whether a key below ClipSearch (e.g. ["Index", "Qdrant", "Url"]) is one of the settings the API binds: its own or the engine's.</summary>
    private static bool IsApiSetting(string[] path) =>
        IsOption(typeof(ClipSearchOptions), path) || IsOption(typeof(ModelSettings), path) || IsOption(typeof(Clip.Inference.ClipEngineOptions), path)
        || (path.Length > 1 && path[0] == "Index" && IsOption(typeof(IndexSettings), path.Skip(1).ToList()))
        || (path.Length > 1 && path[0] == "Decoding" && (IsOption(typeof(ImageDecodeOptions), path.Skip(1).ToList()) || IsOption(typeof(DecodingSettings), path.Skip(1).ToList())));

    /// <summary>A service's environment with the shell's values put in for ${VAR:-default}.</summary>
    private static Dictionary<string, string> Expand(Dictionary<string, string> environment, Dictionary<string, string> shell) =>
        environment.ToDictionary(kv => kv.Key, kv => ShellVariable().Replace(kv.Value, m => shell.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Groups[2].Value));

    /// <summary>The API's configuration from an environment: the CLIPSEARCH_* variables under ASP.NET Core's ClipSearch__ ones ("__" is ":").</summary>
    private static IConfiguration ApiConfiguration(Dictionary<string, string> environment) => new ConfigurationBuilder()
        .AddClipSearchEnvironment(v => environment.GetValueOrDefault(v))
        .AddInMemoryCollection(environment.Where(kv => kv.Key.Contains("__", StringComparison.Ordinal)).Select(kv => KeyValuePair.Create(kv.Key.Replace("__", ":", StringComparison.Ordinal), (string?)kv.Value)))
        .Build();

    /// <summary>The CLI's configuration from an environment (its flags, none here, would come on top).</summary>
    private static IConfiguration CliConfiguration(Dictionary<string, string> environment) =>
        new ConfigurationBuilder().AddClipSearchEnvironment(v => environment.GetValueOrDefault(v)).Build();

    private static T Bind<T>(IConfiguration configuration, string section) where T : new()
    {
        var value = new T();
        configuration.GetSection(section).Bind(value);
        return value;
    }

    [GeneratedRegex(@"\$\{([A-Z_]+):-([^}]*)\}")]
    private static partial Regex ShellVariable();

    /// <summary>Whether a configuration path (e.g. ["Qdrant", "Url"]) names a settable property under <paramref name="type"/>.</summary>
    private static bool IsOption(Type type, IReadOnlyList<string> path)
    {
        var property = type.GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        return property is { CanWrite: true } && (path.Count == 1 || IsOption(property.PropertyType, path.Skip(1).ToList()))
            || property is not null && path.Count > 1 && IsOption(property.PropertyType, path.Skip(1).ToList());
    }

    [GeneratedRegex(@"(?i)(api_?key|password|secret|token)\s*=\s*[^\s$""]")]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"ClipSearch__[A-Za-z_]+")]
    private static partial Regex ClipSearchEnv();
}
