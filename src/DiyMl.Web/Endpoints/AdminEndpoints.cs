using System.Security.Claims;
using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>User administration for the Admin role: see accounts, lock and unlock them. Never anyone's data.</summary>
public static class AdminEndpoints
{
    public sealed record UserSummary(string Id, string Email, IReadOnlyList<string> Roles, DateTime CreatedAt, bool LockedOut, DateTime? LockoutEnd);

    public sealed record UserList(IReadOnlyList<UserSummary> Items, long Total);

    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Administration").RequireAuthorization(p => p.RequireRole(AppRoles.Admin));
        admin.MapGet("/users", ListUsersAsync).WithName("ListUsers");
        admin.MapPost("/users/{id}/lock", LockAsync).WithName("LockUser");
        admin.MapPost("/users/{id}/unlock", UnlockAsync).WithName("UnlockUser");
        return api;
    }

    internal static async Task<Ok<UserList>> ListUsersAsync(IUserDirectory directory, TimeProvider clock, int? page, int? pageSize, CancellationToken ct)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, 200);
        var skip = (Math.Max(page ?? 1, 1) - 1) * size;
        var users = await directory.ListAsync(skip, size, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        return TypedResults.Ok(new UserList([.. users.Items.Select(u => ToSummary(u, now))], users.Total));
    }

    internal static async Task<NoContent> LockAsync(string id, ClaimsPrincipal admin, AccountService accounts)
    {
        await accounts.SetLockedAsync(admin.GetUserId(), id, locked: true);
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> UnlockAsync(string id, ClaimsPrincipal admin, AccountService accounts)
    {
        await accounts.SetLockedAsync(admin.GetUserId(), id, locked: false);
        return TypedResults.NoContent();
    }

    public static UserSummary ToSummary(AppUser user, DateTime nowUtc) =>
        new(user.Id, user.Email, user.Roles, user.CreatedAtUtc, user.IsLockedOutAt(nowUtc), user.LockoutEndUtc);
}
