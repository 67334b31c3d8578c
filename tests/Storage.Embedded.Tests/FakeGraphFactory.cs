using ClipSearch.Storage.Embedded.Ann;

namespace ClipSearch.Storage.Embedded.Tests;

/// <summary>Makes <see cref="FakeGraph"/>s, whose adds a test can hold (<see cref="AddGate"/>) or fail (<see cref="AddFailure"/>).</summary>
internal sealed class FakeGraphFactory : IGraphFactory, IDisposable
{
    /// <summary>Adds wait while this is reset.</summary>
    public ManualResetEventSlim AddGate { get; } = new(initialState: true);

    /// <summary>Set once an add has begun (before it waits for <see cref="AddGate"/>).</summary>
    public ManualResetEventSlim AddStarted { get; } = new();

    /// <summary>Thrown by every add while set.</summary>
    public Exception? AddFailure { get; set; }

    public List<FakeGraph> Graphs { get; } = [];

    public IGraphIndex Create(int dimension, float largestMagnitude) => Made(new FakeGraph(this));

    public IGraphIndex Load(Stream stream, int dimension) => Made(FakeGraph.Read(this, stream));

    public void Dispose()
    {
        AddGate.Dispose();
        AddStarted.Dispose();
    }

    private FakeGraph Made(FakeGraph graph)
    {
        lock (Graphs)
        {
            Graphs.Add(graph);
        }

        return graph;
    }
}
