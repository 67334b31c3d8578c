namespace ClipSearch.SearchApi.Tests;

/// <summary>
/// The API's folders (namespaces) depend one way: Hosting (the composition root) -> Apis (endpoints) -> Services
/// (application logic) -> Common (options, request rules, RequestException). Read from the compiled assembly, IL included.
/// </summary>
public sealed class FolderDependencyTests
{
    /// <summary>Lowest first: a folder may use those before it, never those after it.</summary>
    private static readonly string[] Layers = ["Common", "Services", "Apis", "Hosting"];

    private const string Root = "ClipSearch.SearchApi.";

    /// <summary>Each folder and the other folders its types refer to. Program (the global namespace) is the entry point above them all.</summary>
    private static Dictionary<string, HashSet<string>> Graph()
    {
        var assembly = typeof(Program).Assembly;
        static string? Folder(Type t) => t.Namespace is { } ns && ns.StartsWith(Root, StringComparison.Ordinal) ? ns[Root.Length..] : null;
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes())
        {
            if (Folder(type) is not { } from)
            {
                continue;
            }

            var edges = graph.TryGetValue(from, out var known) ? known : graph[from] = new HashSet<string>(StringComparer.Ordinal);
            foreach (var used in TypeReferences.Of(type).Where(t => t.Assembly == assembly))
            {
                if (Folder(used) is { } to && to != from)
                {
                    edges.Add(to);
                }
            }
        }

        return graph;
    }

    [Fact]
    public void Folders_ReferenceEachOther_WithoutACycle()
    {
        var graph = Graph();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Cycle(string folder)
        {
            if (path.IndexOf(folder) is >= 0 and var start)
            {
                return [.. path[start..], folder];
            }

            if (!done.Add(folder))
            {
                return null;
            }

            path.Add(folder);
            var found = graph.GetValueOrDefault(folder, []).Select(Cycle).FirstOrDefault(c => c is not null);
            path.RemoveAt(path.Count - 1);
            return found;
        }

        foreach (var folder in graph.Keys)
        {
            var cycle = Cycle(folder);
            Assert.True(cycle is null, $"folders depend on each other in a cycle: {string.Join(" -> ", cycle ?? [])}");
        }
    }

    [Fact]
    public void Folders_DependOnlyOnLowerLayers()
    {
        var graph = Graph();
        Assert.Equal(Layers.Order(StringComparer.Ordinal), graph.Keys.Order(StringComparer.Ordinal));
        var wrong = graph.SelectMany(kv => kv.Value.Where(to => Array.IndexOf(Layers, to) >= Array.IndexOf(Layers, kv.Key)).Select(to => $"{kv.Key} -> {to}")).ToList();
        Assert.True(wrong.Count == 0, $"references against the layering {string.Join(" -> ", Enumerable.Reverse(Layers))}: {string.Join(", ", wrong)}");

        // The reading sees real references, those in signatures and those only in IL (services registered by type argument).
        Assert.Contains("Apis", graph["Hosting"]);
        Assert.Contains("Services", graph["Hosting"]);
        Assert.Contains("Services", graph["Apis"]);
        Assert.Contains("Common", graph["Services"]);
    }
}
