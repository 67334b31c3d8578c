namespace ClipSearch.SearchApi.Tests;

/// <summary>The test classes that share one indexed folder and one API instance.</summary>
[CollectionDefinition(Name)]
public sealed class ApiTests : ICollectionFixture<SharedApi>
{
    public const string Name = "api";
}
