using DiyMl.Domain.Accounts;
using DiyMl.Infrastructure.Accounts;
using DiyMl.Infrastructure.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Identity;
using DiyMl.Web.Security;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Auth;

public static class AuthServiceCollectionExtensions
{
    /// <summary>OWASP's 2023 figure for PBKDF2-HMAC-SHA512.</summary>
    public const int PasswordHashIterations = 210_000;

    /// <summary>Identity over our stores, the three ways to authenticate, and the browser login bridge.</summary>
    public static IServiceCollection AddAccountsWeb(this IServiceCollection services)
    {
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = PasswordHashIterations);
        services.AddIdentityCore<AppUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.User.AllowedUserNameCharacters = ""; // the user name is the e-mail; its format is checked as an e-mail
                o.Password.RequiredLength = 8;

                // Identity's lockout would let anyone lock anyone out by guessing; wrong passwords are
                // throttled instead (Security/LoginThrottle) and only administrators disable accounts.
                o.Lockout.AllowedForNewUsers = false;
            })
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();

        // Each cookie re-checks its account this often, so a lock or "sign out everywhere" reaches every browser within seconds.
        services.AddOptions<SecurityStampValidatorOptions>().Configure<IOptions<SecurityOptions>>((o, security) =>
            o.ValidationInterval = TimeSpan.FromSeconds(security.Value.SessionCheckSeconds));

        services.AddAuthentication(AuthSchemes.Default)
            .AddPolicyScheme(AuthSchemes.Default, "Cookie, bearer token or API key", o => o.ForwardDefaultSelector = AuthSchemes.Select)
            .AddCookie(IdentityConstants.ApplicationScheme, o =>
            {
                o.LoginPath = "/account/login";
                o.AccessDeniedPath = "/not-found";
                o.ReturnUrlParameter = "returnUrl";
                o.Cookie.Name = AuthSchemes.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.ExpireTimeSpan = TimeSpan.FromDays(14);
                o.SlidingExpiration = true;
                o.Events.OnValidatePrincipal = SecurityStampValidator.ValidatePrincipalAsync;
                o.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
            })
            .AddBearerToken(IdentityConstants.BearerScheme, o =>
            {
                o.BearerTokenExpiration = TimeSpan.FromHours(1);
                o.Events.OnMessageReceived = context =>
                {
                    context.Token ??= AuthSchemes.HubAccessToken(context.Request);
                    return Task.CompletedTask;
                };
            })
            // SignInManager.SignOutAsync also signs these out; without them a rejected cookie was a 500
            // ("No sign-out authentication handler is registered for the scheme 'Identity.TwoFactorRememberMe'").
            .AddCookie(IdentityConstants.ExternalScheme)
            .AddCookie(IdentityConstants.TwoFactorRememberMeScheme)
            .AddCookie(IdentityConstants.TwoFactorUserIdScheme)
            .AddScheme<AuthenticationSchemeOptions, ActiveBearerHandler>(AuthSchemes.Bearer, null)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(AuthSchemes.ApiKey, null);
        services.AddAuthorization();

        services.AddDataProtection().SetApplicationName("DiyMl");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            // Keys persist, so cookies and tokens survive a restart. Embedded: next to the data.
            // MongoDB: in the shared database, so every instance reads every other one's tokens.
            var storage = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            o.XmlRepository = storage.ProviderKind == StorageProvider.Mongo
                ? new StorageXmlRepository(sp.GetRequiredService<IStorageEngine>())
                : new PrivateFileXmlRepository(Path.Combine(storage.DataDirectory, "keys"), sp.GetRequiredService<ILoggerFactory>());
        }));

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAccountStateProvider>();
        services.AddScoped<ActiveAccountCheck>();
        services.AddScoped<AccountService>();
        services.AddScoped<PasswordCheck>();
        services.AddSingleton<DummyPasswordHash>();
        services.AddScoped<SessionEnded>();
        services.AddSingleton<LoginTickets>();
        services.AddScoped<IBrowserLogin, BrowserLogin>();
        return services;
    }

    private static Task ApiAwareRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (AuthSchemes.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }
}
