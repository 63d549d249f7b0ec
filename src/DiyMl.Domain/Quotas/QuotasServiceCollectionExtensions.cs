using Microsoft.Extensions.DependencyInjection;

namespace DiyMl.Domain.Quotas;

public static class QuotasServiceCollectionExtensions
{
    /// <summary>Quota by reservation; its store comes from the infrastructure.</summary>
    public static IServiceCollection AddQuotas(this IServiceCollection services) => services.AddSingleton<QuotaService>();
}
