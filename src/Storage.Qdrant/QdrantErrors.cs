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
        RpcException { StatusCode: StatusCode.NotFound } r => new(VectorStoreErrorKind.CollectionNotFound, $"Could not {doing}: {r.Status.Detail}",
            $"Could not {doing}: not found.", e),
        RpcException { StatusCode: StatusCode.AlreadyExists } r => new(VectorStoreErrorKind.CollectionExists, $"Could not {doing}: {r.Status.Detail}",
            $"Could not {doing}: it already exists.", e),
        RpcException { StatusCode: StatusCode.InvalidArgument } r => new(VectorStoreErrorKind.InvalidRequest, $"Could not {doing}: Qdrant refused the request ({r.Status.Detail}).",
            $"Could not {doing}: the index refused the request.", e),
        RpcException { StatusCode: StatusCode.Unauthenticated or StatusCode.PermissionDenied } => new(VectorStoreErrorKind.Unavailable,
            $"Could not {doing}: Qdrant at {server} refused the API key (set ClipSearch:Index:Qdrant:ApiKey).", $"Could not {doing}: the index server refused the server's credentials.", e),
        RpcException r when IsTransient(r) => new(VectorStoreErrorKind.Unavailable, $"Could not {doing}: Qdrant at {server} is unreachable or overloaded ({r.StatusCode}: {r.Status.Detail}).",
            $"Could not {doing}: the index server is unreachable or overloaded.", e),
        RpcException r => new(VectorStoreErrorKind.Failed, $"Could not {doing}: Qdrant at {server} answered {r.StatusCode}: {r.Status.Detail}", Neutral(doing), e),
        QdrantException q => new(VectorStoreErrorKind.Failed, $"Could not {doing}: {q.Message}", Neutral(doing), e),
        HttpRequestException or IOException => new(VectorStoreErrorKind.Unavailable, $"Could not {doing}: cannot reach Qdrant at {server} ({e.Message}).",
            $"Could not {doing}: the index server is unreachable.", e),
        _ => new(VectorStoreErrorKind.Failed, $"Could not {doing}: {e.Message}", Neutral(doing), e),
    };

    private static string Neutral(string doing) => $"Could not {doing}: the index failed; the error is in the server's log.";
}
