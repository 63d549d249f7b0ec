using DiyMl.Domain.Common;
using DiyMl.Domain.Reports;
using DiyMl.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DiyMl.Web.Endpoints;

public static class ReportEndpoints
{
    public sealed record OverviewListDto(IReadOnlyList<ModelOverview> Items, long Total);

    public static RouteGroupBuilder MapReportEndpoints(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("").WithTags("Reports").RequireAuthorization();
        group.MapGet("/models/{id}/report", GetAsync).WithName("ModelReport");
        group.MapGet("/reports", OverviewAsync).WithName("ReportsOverview");
        group.MapGet("/admin/usage", AdminTotalsAsync).WithName("AdminUsageTotals");
        return api;
    }

    /// <summary>JSON by default; <c>?format=csv</c> gives the same figures as <c>section,key,value</c> rows.</summary>
    internal static async Task<Results<Ok<ModelReport>, ContentHttpResult>> GetAsync(
        string id, string? format, int? days, HttpContext http, ModelReportService service, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv"))
        {
            throw new DomainValidationException("format", "format must be json or csv.");
        }

        var report = await service.GetAsync(http.User.GetUserId(), id, days, ct);
        if (format == "csv")
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"model-report-{report.Training.ModelId}.csv\"";
            return TypedResults.Text(ReportCsv.Write(report), "text/csv; charset=utf-8");
        }

        return TypedResults.Ok(report);
    }

    internal static async Task<Ok<OverviewListDto>> OverviewAsync(HttpContext http, ReportsOverviewService service, CancellationToken ct)
    {
        var rows = await service.ListAsync(http.User.GetUserId(), ct);
        return TypedResults.Ok(new OverviewListDto(rows, rows.Count));
    }

    /// <summary>Counts across all users, for administrators only.</summary>
    internal static async Task<Ok<AdminUsageTotals>> AdminTotalsAsync(HttpContext http, ReportsOverviewService service, CancellationToken ct)
    {
        if (!http.User.IsAdmin())
        {
            throw new ForbiddenException("Only administrators can see totals across users.");
        }

        return TypedResults.Ok(await service.AdminTotalsAsync(ct));
    }
}
