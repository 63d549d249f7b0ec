using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;

namespace DiyMl.Web.Hubs;

public static class JobsWebExtensions
{
    /// <summary>SignalR and the hub's group bridge.</summary>
    public static IServiceCollection AddJobsWeb(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<JobHubSubscriptions>();

        // Browsers cannot set headers on a WebSocket: SignalR sends the bearer token as ?access_token=.
        services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            var previous = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async context =>
            {
                await previous(context);
                if (context.Token is null
                    && context.HttpContext.Request.Path.StartsWithSegments("/hubs")
                    && context.Request.Query["access_token"] is [{ Length: > 0 } token])
                {
                    context.Token = token;
                }
            };
        });
        return services;
    }

    public static WebApplication MapJobsHub(this WebApplication app)
    {
        app.MapHub<JobsHub>(JobsHub.Path);
        return app;
    }
}
