using DiyMl.Web.Auth;
using DiyMl.Web.Endpoints;
using DiyMl.Web.Hubs;
using MudBlazor.Services;

namespace DiyMl.Web;

public static class DependencyInjection
{
    public static IServiceCollection AddWeb(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddScoped<Components.Shared.ViewerClock>();
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Malformed JSON, a missing body or a wrong content type become exceptions the handler answers as 4xx ProblemDetails.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddOpenApi(o => o.AddDocumentTransformer<SecuritySchemesTransformer>());
        services.AddAccountsWeb();
        services.AddJobsWeb();
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // 404 is a legitimate answer of the /api exception handler (someone else's resource), not a misconfigured error page.
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", CreateScopeForErrors = true, AllowStatusCode404Response = true });
        app.UseStatusCodeProblems();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapWeb(this WebApplication app)
    {
        app.MapStaticAssets();
        app.MapHealthEndpoint();
        app.MapApi()
            .MapDatasetEndpoints()
            .MapLabelSuggestionEndpoints()
            .MapPredictionLogEndpoints()
            .MapPredictionEndpoints()
            .MapPublishingEndpoints()
            .MapReportEndpoints()
            .MapModelTestEndpoints();
        app.MapJobsHub();
        app.MapRazorComponents<Components.App>().AddInteractiveServerRenderMode();
        return app;
    }
}
