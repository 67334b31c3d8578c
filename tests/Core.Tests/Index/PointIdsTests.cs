using ClipSearch.Core.Index;

namespace ClipSearch.Core.Tests.Index;

public sealed class PointIdsTests
{
    // Reference values from Python's uuid.uuid5(UUID('5d0c6c3e-6f8e-4b8a-9a57-1c2b0e6f4a11'), name).
    [Theory]
    [InlineData("/photos\n2023/a.jpg", "690752f8-5b33-5c16-85bf-02f58df4b1c0")]
    [InlineData("bench-7", "e55ff356-4431-5823-b896-4f42ea3373f9")]
    public void NameBased_KnownNames_MatchRfc9562Version5(string name, string expected)
    {
        Assert.Equal(Guid.Parse(expected), PointIds.NameBased(name));
    }

    [Fact]
    public void ForImage_SameRootAndPath_SameIdEveryTime()
    {
        Assert.Equal(PointIds.ForImage("/photos", "2023/a.jpg"), PointIds.ForImage("/photos", "2023/a.jpg"));
        Assert.Equal(Guid.Parse("690752f8-5b33-5c16-85bf-02f58df4b1c0"), PointIds.ForImage("/photos", "2023/a.jpg"));
        Assert.NotEqual(PointIds.ForImage("/photos", "2023/a.jpg"), PointIds.ForImage("/other", "2023/a.jpg"));
    }
}
