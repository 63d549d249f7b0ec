using System.Security.Claims;
using DiyMl.Domain.Predictions;
using DiyMl.Web.Auth;

namespace DiyMl.Web.Endpoints;

/// <summary>Who is calling a prediction endpoint, and over which channel (the scheme that authenticated them).</summary>
internal static class PredictionCallers
{
    /// <summary>The claim an API-key sign-in carries with the key's id (so usage names the key, not only its owner).</summary>
    public const string ApiKeyIdClaim = "diyml:api_key_id";

    public static PredictionCaller From(HttpContext http)
    {
        var user = http.User.GetUserId();
        return AuthSchemes.Select(http) switch
        {
            AuthSchemes.ApiKey => new PredictionCaller(user, PredictionChannel.ApiKey, http.User.FindFirstValue(ApiKeyIdClaim)),
            AuthSchemes.Bearer => new PredictionCaller(user, PredictionChannel.Bearer),
            _ => new PredictionCaller(user, PredictionChannel.Browser),
        };
    }
}
