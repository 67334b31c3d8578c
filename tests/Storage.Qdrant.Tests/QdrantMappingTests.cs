using ClipSearch.Core.Index;
using Grpc.Core;
using Qdrant.Client.Grpc;
using static ClipSearch.Tests.Storage.ConformanceData;

namespace ClipSearch.Storage.Qdrant.Tests;

/// <summary>Our requests as Qdrant.Client 1.20 messages, checked field by field without a server.</summary>
public sealed class QdrantMappingTests
{
    [Fact]
    public void CreateRequest_Options_CosineSizeTiersHnswShardsAndModelMetadata()
    {
        var options = new QdrantStoreOptions { HnswM = 32, HnswEfConstruct = 200, ShardNumber = 3, ReplicationFactor = 2, OnDisk = true, ScalarQuantization = true };
        var r = QdrantVectorStore.CreateRequest("photos", "openai/clip-vit-base-patch32", 512, options);
        Assert.Equal("photos", r.CollectionName);
        Assert.Equal(512UL, r.VectorsConfig.Params.Size);
        Assert.Equal(Distance.Cosine, r.VectorsConfig.Params.Distance);
        Assert.Equal(Memory.Cold, r.VectorsConfig.Params.Memory);
        Assert.Equal(Memory.Cold, r.Payload.Memory);
        Assert.Equal((32UL, 200UL), (r.HnswConfig.M, r.HnswConfig.EfConstruct));
        Assert.Equal((3U, 2U), (r.ShardNumber, r.ReplicationFactor));
        Assert.Equal(QuantizationType.Int8, r.QuantizationConfig.Scalar.Type);
        Assert.Equal(Memory.Pinned, r.QuantizationConfig.Scalar.Memory);
        Assert.Equal("openai/clip-vit-base-patch32", r.Metadata[QdrantVectorStore.ModelKey].StringValue);
        Assert.Equal("512", r.Metadata[QdrantVectorStore.DimensionKey].StringValue);

        var plain = QdrantVectorStore.CreateRequest("p", "m", 96, new QdrantStoreOptions());
        Assert.Equal(Memory.Cached, plain.VectorsConfig.Params.Memory);
        Assert.Null(plain.QuantizationConfig);
    }

    [Fact]
    public void PointStruct_ImagePoint_UuidVectorAndEveryPayloadField()
    {
        var payload = Payload("2023/été/a b.jpg", taken: new DateTime(2023, 7, 14, 18, 30, 5), modified: new DateTimeOffset(2024, 2, 3, 4, 5, 6, 789, TimeSpan.Zero)) with
        {
            Labels = new Dictionary<string, LabelAssignment>
            {
                ["animals"] = new("cat", 0.3125f, "run-1", "dog", 0.25f),
                ["tags"] = new("cat", 0.3125f, "run-2", "dog", 0.25f, [new ScoredLabel("dog", 0.25f), new ScoredLabel("indoor", 0.125f)]),
            },
        };
        var point = new VectorPoint(PointIds.ForImage("/photos", payload.Path), AtAngle(30), payload);
        var s = QdrantCollection.ToPointStruct(point);
        Assert.Equal(point.Id.ToString("D"), s.Id.Uuid);
        Assert.Equal(point.Vector, s.Vectors.Vector.Dense.Data);
        Assert.Equal("2023/été/a b.jpg", s.Payload["path"].StringValue);
        Assert.Equal(["/photos", "/photos/2023", "/photos/2023/été"], s.Payload["folders"].ListValue.Values.Select(v => v.StringValue));
        Assert.Equal("2024-02-03T04:05:06.7890000Z", s.Payload["modified_at"].StringValue);
        Assert.Equal("2023-07-14T18:30:05.0000000Z", s.Payload["taken_at"].StringValue);
        Assert.Equal(640, s.Payload["width"].IntegerValue);
        Assert.Equal("cat", s.Payload["labels"].StructValue.Fields["animals"].StructValue.Fields["label"].StringValue);
        var also = s.Payload["labels"].StructValue.Fields["tags"].StructValue.Fields["also"].ListValue.Values;
        Assert.Equal(["dog", "indoor"], also.Select(v => v.StructValue.Fields["label"].StringValue));
        Assert.Equal([0.25, 0.125], also.Select(v => v.StructValue.Fields["score"].DoubleValue));
        Assert.False(s.Payload["labels"].StructValue.Fields["animals"].StructValue.Fields.ContainsKey("also"));

        Assert.Equal(payload, QdrantPayloads.FromQdrant(s.Payload));
    }

    [Fact]
    public void Payload_WithoutOptionalFields_RoundTripsWithoutThem()
    {
        var payload = new ImagePayload { Path = "x.png", Root = "/r", Width = 1, Height = 2 };
        var map = new PointStruct();
        map.Payload.Add(QdrantPayloads.ToQdrant(payload));
        Assert.False(map.Payload.ContainsKey("taken_at"));
        Assert.False(map.Payload.ContainsKey("format"));
        Assert.Equal(payload, QdrantPayloads.FromQdrant(map.Payload));
    }

    [Fact]
    public void Filters_EachKind_MapsToTheQdrantCondition()
    {
        var folder = QdrantFilters.ToCondition(new FolderFilter("/photos/2020/"));
        Assert.Equal(("folders", "/photos/2020"), (folder.Field.Key, folder.Field.Match.Keyword));

        var format = QdrantFilters.ToCondition(new FormatFilter(["png", "gif"]));
        Assert.Equal(["png", "gif"], format.Field.Match.Keywords.Strings);

        var range = QdrantFilters.ToCondition(new RangeFilter(NumericField.Width, 600, null));
        Assert.Equal("width", range.Field.Key);
        Assert.Equal(600, range.Field.Range.Gte);
        Assert.False(range.Field.Range.HasLte);

        var date = QdrantFilters.ToCondition(new DateRangeFilter(DateField.TakenAt, null, new DateTimeOffset(2020, 12, 31, 23, 59, 59, TimeSpan.FromHours(2))));
        Assert.Equal("taken_at", date.Field.Key);
        Assert.Null(date.Field.DatetimeRange.Gte);
        Assert.Equal(new DateTime(2020, 12, 31, 21, 59, 59, DateTimeKind.Utc), date.Field.DatetimeRange.Lte.ToDateTime());

        // The best label, or one element of a multi-label run's further labels whose own score reaches the minimum.
        var label = QdrantFilters.ToCondition(new LabelFilter("animals", ["cat", "dog"], 0.2f));
        Assert.Equal(2, label.Filter.Should.Count);
        var must = label.Filter.Should[0].Filter.Must;
        Assert.Equal("labels.animals.label", must[0].Field.Key);
        Assert.Equal(["cat", "dog"], must[0].Field.Match.Keywords.Strings);
        Assert.Equal("labels.animals.score", must[1].Field.Key);
        Assert.Equal(0.2f, (float)must[1].Field.Range.Gte);
        var nested = label.Filter.Should[1].Nested;
        Assert.Equal("labels.animals.also", nested.Key);
        Assert.Equal("label", nested.Filter.Must[0].Field.Key);
        Assert.Equal(["cat", "dog"], nested.Filter.Must[0].Field.Match.Keywords.Strings);
        Assert.Equal("score", nested.Filter.Must[1].Field.Key);
        Assert.Equal(0.2f, (float)nested.Filter.Must[1].Field.Range.Gte);
    }

    [Fact]
    public void Filters_AndOrNot_MapToMustShouldMustNot()
    {
        var f = QdrantFilters.ToQdrant((new FormatFilter(["png"]) | new RangeFilter(NumericField.Height, null, 100)) & !new FolderFilter("/photos/2020"));
        Assert.Equal(2, f.Must.Count);
        Assert.Equal(2, f.Must[0].Filter.Should.Count);
        Assert.Equal("format", f.Must[0].Filter.Should[0].Field.Key);
        Assert.Equal("height", f.Must[0].Filter.Should[1].Field.Key);
        Assert.Equal("folders", Assert.Single(f.Must[1].Filter.MustNot).Field.Key);
    }

    [Fact]
    public void SetLabelOperation_KeyedSetPayload_TouchesOnlyThatLabelSet()
    {
        var id = Guid.NewGuid();
        var op = QdrantCollection.SetLabelOperation("animals", id, new LabelAssignment("cat", 0.5f, "r1"));
        Assert.Equal("labels", op.SetPayload.Key);
        Assert.Equal(id.ToString("D"), Assert.Single(op.SetPayload.PointsSelector.Points.Ids).Uuid);
        var label = Assert.Single(op.SetPayload.Payload);
        Assert.Equal("animals", label.Key);
        Assert.Equal("cat", label.Value.StructValue.Fields["label"].StringValue);
    }

    [Fact]
    public void LabelIndexes_LabelSet_KeywordLabelsAndFloatScores()
    {
        Assert.Equal(
            [("labels.animals.label", PayloadSchemaType.Keyword), ("labels.animals.score", PayloadSchemaType.Float),
                ("labels.animals.also[].label", PayloadSchemaType.Keyword), ("labels.animals.also[].score", PayloadSchemaType.Float)],
            QdrantCollection.LabelIndexes("animals"));
        Assert.Contains(QdrantPayloads.Indexed, i => i == ("folders", PayloadSchemaType.Keyword));
        Assert.Contains(QdrantPayloads.Indexed, i => i == ("taken_at", PayloadSchemaType.Datetime));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, VectorStoreErrorKind.CollectionNotFound)]
    [InlineData(StatusCode.AlreadyExists, VectorStoreErrorKind.CollectionExists)]
    [InlineData(StatusCode.InvalidArgument, VectorStoreErrorKind.InvalidRequest)]
    [InlineData(StatusCode.Unavailable, VectorStoreErrorKind.Unavailable)]
    [InlineData(StatusCode.Unauthenticated, VectorStoreErrorKind.Unavailable)]
    [InlineData(StatusCode.Internal, VectorStoreErrorKind.Failed)]
    public void Errors_GrpcStatus_OneExceptionTypeWithKind(StatusCode status, VectorStoreErrorKind kind)
    {
        var e = QdrantErrors.Wrap(new RpcException(new Status(status, "detail")), "search 'c'", new Uri("http://q:6334"));
        Assert.Equal(kind, e.Kind);
        Assert.StartsWith("Could not search 'c'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Calls_TransientFailures_RetriedWithBackoffThenSucceed()
    {
        using var store = new QdrantVectorStore(new QdrantStoreOptions { Url = new Uri("http://127.0.0.1:9"), MaxAttempts = 4, RetryDelay = TimeSpan.FromMilliseconds(1) });
        var attempts = 0;
        var result = await store.CallAsync("upsert", _ =>
        {
            attempts++;
            return attempts < 3 ? throw new RpcException(new Status(StatusCode.Unavailable, "down")) : Task.FromResult(42);
        }, CancellationToken.None);
        Assert.Equal((42, 3), (result, attempts));
    }

    [Fact]
    public async Task Calls_PersistentOutage_GivesUpAsUnavailable()
    {
        using var store = new QdrantVectorStore(new QdrantStoreOptions { Url = new Uri("http://localhost:6334"), MaxAttempts = 3, RetryDelay = TimeSpan.FromMilliseconds(1) });
        var attempts = 0;
        var e = await Assert.ThrowsAsync<VectorStoreException>(() => store.CallAsync<int>("upsert", _ =>
        {
            attempts++;
            throw new RpcException(new Status(StatusCode.Unavailable, "down"));
        }, CancellationToken.None));
        Assert.Equal((VectorStoreErrorKind.Unavailable, 3), (e.Kind, attempts));
        Assert.Contains("localhost:6334", e.Message, StringComparison.Ordinal);
    }
}
