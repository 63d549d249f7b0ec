using DiyMl.Domain;
using DiyMl.Infrastructure;
using DiyMl.Web;

if (args is ["--health-probe", ..])
{
    return await HealthProbe.RunAsync();
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseStaticWebAssets(); // serve _content/* from a plain build too, not only in Development

builder.Services
    .AddDomain()
    .AddInfrastructure(builder.Configuration)
    .AddWeb(builder.Configuration);

var app = builder.Build();

if (!await StartupChecks.PassAsync(app))
{
    return 1;
}

app.UseWeb();
app.MapWeb();

await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
