using System.Security.Claims;
using DiyMl.Domain.Accounts;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

/// <summary>User administration for the Admin role: see accounts, disable and enable them, decide who may register. Never anyone's data.</summary>
public static class AdminEndpoints
{
    public sealed record UserSummary(string Id, string Email, IReadOnlyList<string> Roles, DateTime CreatedAt, bool LockedOut, DateTime? LockoutEnd);

    public sealed record UserList(IReadOnlyList<UserSummary> Items, long Total);

    public sealed record RegistrationDto(string Mode);

    public sealed record InviteDto(string Id, string Code, string Url, DateTime ExpiresAt);

    public static RouteGroupBuilder MapAdminEndpoints(this RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin").WithTags("Administration").RequireAuthorization(p => p.RequireRole(AppRoles.Admin))
            .WithMetadata(new Security.RequiresApiScope(ApiKeyScopes.Manage));
        admin.MapGet("/users", ListUsersAsync).WithName("ListUsers");
        admin.MapPost("/users/{id}/lock", LockAsync).WithName("LockUser");
        admin.MapPost("/users/{id}/unlock", UnlockAsync).WithName("UnlockUser");
        admin.MapGet("/registration", GetRegistrationAsync).WithName("GetRegistrationMode");
        admin.MapPut("/registration", SetRegistrationAsync).WithName("SetRegistrationMode")
            .WithSummary("Who may register: open, invite (invite links only) or closed.");
        admin.MapPost("/invites", CreateInviteAsync).WithName("CreateInvite")
            .WithSummary("A one-use registration link, valid for 7 days; shown only in this answer.");
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

    internal static async Task<Ok<RegistrationDto>> GetRegistrationAsync(RegistrationPolicy registration, CancellationToken ct) =>
        TypedResults.Ok(new RegistrationDto(ModeName(await registration.GetModeAsync(ct))));

    internal static async Task<Ok<RegistrationDto>> SetRegistrationAsync(RegistrationDto request, RegistrationPolicy registration, CancellationToken ct)
    {
        var mode = request.Mode switch
        {
            "open" => RegistrationMode.Open,
            "invite" => RegistrationMode.InviteOnly,
            "closed" => RegistrationMode.Closed,
            _ => throw new Domain.Common.DomainValidationException("mode", "mode must be open, invite or closed."),
        };
        await registration.SetModeAsync(mode, ct);
        return TypedResults.Ok(new RegistrationDto(ModeName(mode)));
    }

    internal static async Task<Ok<InviteDto>> CreateInviteAsync(ClaimsPrincipal admin, HttpContext http, RegistrationPolicy registration, CancellationToken ct)
    {
        var created = await registration.CreateInviteAsync(admin.GetUserId(), ct);
        var url = $"{http.Request.Scheme}://{http.Request.Host}/account/register?invite={Uri.EscapeDataString(created.Code)}";
        return TypedResults.Ok(new InviteDto(created.Invite.Id, created.Code, url, created.Invite.ExpiresAtUtc));
    }

    public static string ModeName(RegistrationMode mode) => mode switch
    {
        RegistrationMode.InviteOnly => "invite",
        RegistrationMode.Closed => "closed",
        _ => "open",
    };

    public static UserSummary ToSummary(AppUser user, DateTime nowUtc) =>
        new(user.Id, user.Email, user.Roles, user.CreatedAtUtc, user.IsDisabledAt(nowUtc), user.DisabledAtUtc);
}
