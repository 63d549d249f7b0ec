using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain.Accounts;

public static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddSingleton<ApiKeyService>();
        services.AddSingleton<RefreshTokenService>();
        services.AddSingleton<RegistrationPolicy>();
        return services;
    }
}
