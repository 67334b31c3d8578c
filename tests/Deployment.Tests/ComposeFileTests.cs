using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using ClipSearch.Indexer.Cli;
using ClipSearch.SearchApi.Hosting;
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
    public void SearchApi_EveryClipSearchVariable_IsAnOptionTheApiReads(string service)
    {
        var environment = Environment(service);
        Assert.NotEmpty(environment);
        foreach (var key in environment.Keys.Where(k => k.StartsWith("ClipSearch__", StringComparison.Ordinal)))
        {
            Assert.True(IsOption(typeof(ClipSearchOptions), key.Split("__")[1..]), $"{service}: {key} is not a setting of ClipSearchOptions");
        }

        Assert.Equal("http://qdrant:6334", environment["ClipSearch__Qdrant__Url"]);
        Assert.Equal(service == "searchapi" ? "cpu" : "cuda", environment["ClipSearch__Device"]);
        Assert.Equal(environment["ClipSearch__Model"], Environment("indexer")[ModelLocator.EnvironmentVariable]); // one model for both
        Assert.Contains("models:/models:ro", Sequence(Service(service), "volumes"));
        Assert.Contains(Sequence(Service(service), "ports"), p => p.EndsWith(":8080", StringComparison.Ordinal));
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
        string[] read = [StoreOptions.StoreVariable, StoreOptions.QdrantVariable, StoreOptions.QdrantKeyVariable, ModelLocator.EnvironmentVariable, ModelLocator.ModelsFolderVariable];
        var environment = Environment(service);
        Assert.All(environment.Keys, k => Assert.Contains(k, read));
        Assert.Equal("http://qdrant:6334", environment[StoreOptions.QdrantVariable]);
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
            Assert.True(IsOption(typeof(ClipSearchOptions), env.Split("__")[1..]), $"{dockerfile}: {env} is not a setting of ClipSearchOptions");
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
