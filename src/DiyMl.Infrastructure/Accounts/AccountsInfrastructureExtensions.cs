using DiyMl.Domain.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Infrastructure.Accounts;

public static class AccountsInfrastructureExtensions
{
    /// <summary>Stores for users and API keys; Identity itself is configured by the web project.</summary>
    public static IServiceCollection AddAccountStores(this IServiceCollection services)
    {
        services.AddSingleton<UserWriteGate>();
        services.AddScoped<IUserStore<AppUser>, AppUserStore>();
        services.AddSingleton<IApiKeyStore, ApiKeyStore>();
        services.AddSingleton<IRefreshChainStore, RefreshChainStore>();
        services.AddSingleton<IPortalSettingsStore, PortalSettingsStore>();
        services.AddSingleton<IInviteStore, InviteStore>();
        services.AddSingleton<ILoginTicketStore, LoginTicketStore>();
        services.AddSingleton<IUserDirectory, UserDirectory>();
        services.AddHostedService<AccountIndexes>();
        return services;
    }
}
