using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.SignalR;

namespace DiyMl.Web.Security;

public static class SecurityServiceCollectionExtensions
{
    /// <summary>Throttling, session revocation, headers, reverse-proxy handling and key-ring encryption.</summary>
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>().BindConfiguration(SecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SessionRevocation>();
        services.AddSingleton<HubSessionFilter>();
        // The jobs hub only: Blazor circuits are hub connections too, but they re-check their account
        // themselves and must stay up long enough to send the page to the sign-in page with a message.
        // AddHubOptions (not Configure) marks the hub's own options as set, which makes SignalR use them.
        services.AddSignalR().AddHubOptions<Hubs.JobsHub>(o => o.AddFilter<HubSessionFilter>());
        services.AddHostedService<SessionRevalidator>();
        services.AddScoped<CspNonce>();
        services.AddHttpContextAccessor();

        // Behind a reverse proxy that terminates TLS: trust X-Forwarded-For/-Proto only from the
        // proxies named here (loopback by default), so cookies get Secure and throttling sees clients.
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in configuration.GetSection("ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>() ?? [])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));

        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
            services.AddDataProtection().ProtectKeysWithCertificate(certificate);
        }
        else
        {
            services.AddHostedService<UnencryptedKeysWarning>();
        }

        return services;
    }

    /// <summary>Order matters: the real client address and scheme first, then headers, then the CSRF guard before any endpoint.</summary>
    public static WebApplication UseSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts(); // sent on HTTPS responses only
        }

        app.UseSecurityHeaders();
        app.UseSameOriginApi();
        return app;
    }
}

/// <summary>Says once, at start-up, that the key ring is stored unencrypted and how to change that.</summary>
internal sealed class UnencryptedKeysWarning(ILogger<UnencryptedKeysWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogWarning(
            "Data-protection keys (they seal cookies, tokens and login tickets) are stored unencrypted in the data directory or database; " +
            "set DataProtection:CertificatePath (a .pfx file) and DataProtection:CertificatePassword to encrypt them at rest.");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
