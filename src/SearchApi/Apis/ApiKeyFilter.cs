using System.Security.Cryptography;
using System.Text;
using ClipSearch.SearchApi.Common;
using Microsoft.Extensions.Options;

namespace ClipSearch.SearchApi.Apis;

/// <summary>When <see cref="ClipSearchOptions.ApiKey"/> is set, write endpoints need it in the <c>X-Api-Key</c> header (401 otherwise).</summary>
internal sealed class ApiKeyFilter(IOptions<ClipSearchOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        Check(context.HttpContext, options.Value);
        return next(context);
    }

    public static void Check(HttpContext http, ClipSearchOptions options)
    {
        if (options.ApiKey is not { Length: > 0 } key)
        {
            return;
        }

        var given = http.Request.Headers[Header].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(key)))
        {
            throw new RequestException(StatusCodes.Status401Unauthorized, "API key required",
                given.Length == 0 ? $"this request writes to the index: send the API key in the {Header} header." : $"the {Header} header does not hold the API key.");
        }
    }
}
