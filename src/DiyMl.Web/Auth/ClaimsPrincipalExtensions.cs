using System.Security.Claims;
using DiyMl.Domain.Accounts;

namespace DiyMl.Web.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>
    /// The signed-in user's id, the owner id of everything they create. Only call it behind
    /// authorization: an anonymous principal here is a programming error, not a user error.
    /// </summary>
    public static string GetUserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The request has no authenticated user; is the endpoint missing RequireAuthorization?");

    public static bool IsAdmin(this ClaimsPrincipal principal) => principal.IsInRole(AppRoles.Admin);
}
