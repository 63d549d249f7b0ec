using DiyMl.Infrastructure.Storage;
using Microsoft.Extensions.Options;

namespace DiyMl.Web;

/// <summary>
/// Runs before the host starts so that a wrong setting, a locked data directory or an
/// unreachable MongoDB ends start-up with one line naming the setting, not a stack trace.
/// </summary>
internal static class StartupChecks
{
    public static async Task<bool> PassAsync(WebApplication app)
    {
        try
        {
            app.Services.GetService<IStartupValidator>()?.Validate();
            var engine = app.Services.GetRequiredService<IStorageEngine>();
            var (healthy, reason) = await engine.CheckAsync();
            if (!healthy)
            {
                throw new StartupException(reason ?? $"{engine.Engine} storage is not reachable.");
            }

            return true;
        }
        catch (Exception ex) when (ex is StartupException or OptionsValidationException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"DIY ML cannot start: {OneLine(ex)}");
            return false;
        }
    }

    private static string OneLine(Exception ex) => ex.Message.ReplaceLineEndings(" ");
}
