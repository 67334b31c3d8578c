using ClipSearch.Core.Index;
using Grpc.Core;
using Qdrant.Client;

namespace ClipSearch.Storage.Qdrant;

/// <summary>Maps gRPC and client failures to the one <see cref="VectorStoreException"/>.</summary>
internal static class QdrantErrors
{
    public static bool IsTransient(Exception e) => e is RpcException { StatusCode: StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.ResourceExhausted or StatusCode.Aborted };

    public static VectorStoreException Wrap(Exception e, string doing, Uri server) => e switch
    {
        VectorStoreException v => v,
        RpcException { StatusCode: StatusCode.NotFound } r => new(VectorStoreErrorKind.CollectionNotFound, $"Could not {doing}: {r.Status.Detail}", e),
        RpcException { StatusCode: StatusCode.AlreadyExists } r => new(VectorStoreErrorKind.CollectionExists, $"Could not {doing}: {r.Status.Detail}", e),
        RpcException { StatusCode: StatusCode.InvalidArgument } r => new(VectorStoreErrorKind.InvalidRequest, $"Could not {doing}: Qdrant refused the request ({r.Status.Detail}).", e),
        RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } => new(VectorStoreErrorKind.Unavailable,
            $"Could not {doing}: Qdrant at {server} refused the API key (set ClipSearch:Index:Qdrant:ApiKey).", e),
        RpcException r when IsTransient(r) => new(VectorStoreErrorKind.Unavailable, $"Could not {doing}: Qdrant at {server} is unreachable or overloaded ({r.StatusCode}: {r.Status.Detail}).", e),
        RpcException r => new(VectorStoreErrorKind.Failed, $"Could not {doing}: Qdrant at {server} answered {r.StatusCode}: {r.Status.Detail}", e),
        QdrantException q => new(VectorStoreErrorKind.Failed, $"Could not {doing}: {q.Message}", e),
        HttpRequestException or IOException => new(VectorStoreErrorKind.Unavailable, $"Could not {doing}: cannot reach Qdrant at {server} ({e.Message}).", e),
        _ => new(VectorStoreErrorKind.Failed, $"Could not {doing}: {e.Message}", e),
    };
}
