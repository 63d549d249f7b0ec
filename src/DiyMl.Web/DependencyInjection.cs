using DiyMl.Web.Auth;
using DiyMl.Web.Endpoints;
using DiyMl.Web.Hubs;
using DiyMl.Web.Security;
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
        services.AddSecurity(configuration);
        services.AddJobsWeb();
        services.AddPredictionJobRateLimits();
        services.AddModelDownloads();
        return services;
    }

    public static WebApplication UseWeb(this WebApplication app)
    {
        // 404 is a legitimate answer of the /api exception handler (someone else's resource), not a misconfigured error page.
        app.UseSecurity();
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/Error", CreateScopeForErrors = true, AllowStatusCode404Response = true });
        app.UseStatusCodeProblems();
        // Routing after the status-code pages: a re-executed request (an unknown URL sent to
        // /not-found) is routed again. With the implicit UseRouting at the start of the pipeline the
        // re-execution found no endpoint and the browser got an empty 404 ("HTTP ERROR 404").
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseApiKeyScopes();
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
