using System.Globalization;
using ClipSearch.Core.Index;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using CollectionInfo = ClipSearch.Core.Index.CollectionInfo;

namespace ClipSearch.Storage.Qdrant;

/// <summary>
/// The vector store on a Qdrant server or cluster (gRPC, Qdrant.Client). Collections use cosine distance and
/// record the model id and dimension in their metadata; every field a filter can use gets a payload index.
/// </summary>
public sealed class QdrantVectorStore : IVectorStore
{
    public const string BackendName = "qdrant";
    internal const string ModelKey = "clipsearch_model";
    internal const string DimensionKey = "clipsearch_dimension";

    private readonly QdrantClient _client;

    public QdrantVectorStore(QdrantStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Url, nameof(options) + "." + nameof(options.Url));
        Options = options;
        Url = options.Url;
        _client = new QdrantClient(options.Url, options.ApiKey, options.Timeout);
    }

    public string Backend => BackendName;

    /// <summary>The server's gRPC endpoint.</summary>
    public Uri Url { get; }

    internal QdrantStoreOptions Options { get; }

    internal QdrantClient Client => _client;

    /// <summary>Collections whose keyword fields were checked for points stored before them (see QdrantCollection.BackfillWordsAsync).</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<string, byte> WordsBackfilled { get; } = new(StringComparer.Ordinal);

    public async Task<IVectorCollection> CreateCollectionAsync(string name, string modelId, int dimension, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        await CallAsync($"create collection '{name}'", async ct =>
        {
            if (await _client.CollectionExistsAsync(name, ct).ConfigureAwait(false))
            {
                throw new VectorStoreException(VectorStoreErrorKind.CollectionExists, $"Collection '{name}' already exists on {Url}.", $"Collection '{name}' already exists.", null);
            }

            await _client.CreateCollectionAsync(CreateRequest(name, modelId, dimension, Options), ct).ConfigureAwait(false);
            foreach (var (field, type) in QdrantPayloads.Indexed)
            {
                await _client.CreatePayloadIndexAsync(name, field, type, cancellationToken: ct).ConfigureAwait(false);
            }

            return 0;
        }, cancellationToken).ConfigureAwait(false);
        return new QdrantCollection(this, name, modelId, dimension);
    }

    /// <summary>The create-collection message for our options (public to the tests of the mapping).</summary>
    internal static CreateCollection CreateRequest(string name, string modelId, int dimension, QdrantStoreOptions options)
    {
        // Qdrant 1.19+ memory tiers (they replace the on_disk flags): cold = memory-mapped, read from disk on
        // demand; cached = memory-mapped and warmed into the page cache at start.
        var tier = options.OnDisk ? Memory.Cold : Memory.Cached;
        var request = new CreateCollection
        {
            CollectionName = name,
            VectorsConfig = new VectorsConfig { Params = new VectorParams { Size = (ulong)dimension, Distance = Distance.Cosine, Memory = tier } },
            HnswConfig = new HnswConfigDiff { M = options.HnswM, EfConstruct = options.HnswEfConstruct },
            ShardNumber = options.ShardNumber,
            ReplicationFactor = options.ReplicationFactor,
            Payload = new PayloadStorageParams { Memory = tier },
            Metadata =
            {
                [ModelKey] = modelId,
                [DimensionKey] = dimension.ToString(CultureInfo.InvariantCulture),
            },
        };
        if (options.ScalarQuantization)
        {
            request.QuantizationConfig = new QuantizationConfig { Scalar = new ScalarQuantization { Type = QuantizationType.Int8, Memory = Memory.Pinned } };
        }

        return request;
    }

    public async Task<IVectorCollection> OpenCollectionAsync(string name, string? modelId, int? dimension, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        var (storedModel, storedDimension, _) = await ReadInfoAsync(name, cancellationToken).ConfigureAwait(false);
        if ((modelId is not null && modelId != storedModel) || (dimension is not null && dimension != storedDimension))
        {
            throw new VectorStoreException(VectorStoreErrorKind.ModelMismatch,
                $"Collection '{name}' holds {storedDimension}-dimensional embeddings of model '{storedModel}', but the model in use is '{modelId ?? storedModel}' ({dimension ?? storedDimension} dimensions). Embeddings of different models cannot be compared: use that model, or re-index into a new collection.");
        }

        return new QdrantCollection(this, name, storedModel, storedDimension);
    }

    internal Task<(string Model, int Dimension, long Count)> ReadInfoAsync(string name, CancellationToken cancellationToken) =>
        CallAsync($"open collection '{name}'", async ct =>
        {
            if (!await _client.CollectionExistsAsync(name, ct).ConfigureAwait(false))
            {
                throw new VectorStoreException(VectorStoreErrorKind.CollectionNotFound, $"Collection '{name}' does not exist on {Url}; index some images into it first.",
                    $"Collection '{name}' does not exist; index some images into it first.", null);
            }

            var info = await _client.GetCollectionInfoAsync(name, ct).ConfigureAwait(false);
            var meta = info.Config.Metadata;
            if (!meta.TryGetValue(ModelKey, out var model) || !meta.TryGetValue(DimensionKey, out var dim))
            {
                throw new VectorStoreException(VectorStoreErrorKind.ModelMismatch, $"Collection '{name}' on {Url} was not created by ClipSearch (no model recorded in its metadata).",
                    $"Collection '{name}' was not created by ClipSearch (no model recorded in its metadata).", null);
            }

            return (model.StringValue, int.Parse(dim.StringValue, CultureInfo.InvariantCulture), (long)info.PointsCount);
        }, cancellationToken);

    public async Task<IReadOnlyList<CollectionInfo>> ListCollectionsAsync(CancellationToken cancellationToken = default)
    {
        var names = await CallAsync("list collections", ct => _client.ListCollectionsAsync(ct), cancellationToken).ConfigureAwait(false);
        var list = new List<CollectionInfo>();
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            try
            {
                var (model, dimension, count) = await ReadInfoAsync(name, cancellationToken).ConfigureAwait(false);
                list.Add(new CollectionInfo(name, model, dimension, count, BackendName));
            }
            catch (VectorStoreException e) when (e.Kind is VectorStoreErrorKind.ModelMismatch or VectorStoreErrorKind.CollectionNotFound)
            {
                // Not ours (or dropped meanwhile): other applications' collections on a shared server are not listed.
            }
        }

        return list;
    }

    public Task<bool> DropCollectionAsync(string name, CancellationToken cancellationToken = default)
    {
        CollectionNames.Validate(name);
        return CallAsync($"drop collection '{name}'", async ct =>
        {
            if (!await _client.CollectionExistsAsync(name, ct).ConfigureAwait(false))
            {
                return false;
            }

            await _client.DeleteCollectionAsync(name, cancellationToken: ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Runs a call, retrying transient failures with exponential backoff, and maps every failure to <see cref="VectorStoreException"/>.</summary>
    internal async Task<T> CallAsync<T>(string doing, Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var delay = Options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException && QdrantErrors.IsTransient(e) && attempt < Options.MaxAttempts)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay *= 2;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw QdrantErrors.Wrap(e, doing, Url);
            }
        }
    }

    public void Dispose() => _client.Dispose();
}
