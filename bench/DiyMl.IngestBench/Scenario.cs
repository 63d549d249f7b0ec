using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace DiyMl.IngestBench;

/// <summary>One measured upload against a fresh server process.</summary>
internal static class Scenario
{
    public static async Task<Result> RunAsync(string webDll, string name, IReadOnlyList<(string FileName, byte[] Content)> files)
    {
        await using var server = await BenchServer.StartAsync(webDll);
        var datasetId = await server.CreateDatasetAsync("bench");
        var rssBefore = server.StatusMb("VmRSS:");
        var cpuBefore = server.CpuSeconds();
        var clock = Stopwatch.StartNew();
        using var response = await server.UploadAsync(datasetId, files);
        clock.Stop();
        var cpu = server.CpuSeconds() - cpuBefore;
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"Upload failed: {(int)response.StatusCode} {body}");
        }

        var accepted = JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32();
        var peak = server.StatusMb("VmHWM:");
        Console.WriteLine($"  {name}: {accepted} images in {clock.Elapsed.TotalSeconds:0.00} s ({cpu:0.00} CPU-s), peak {peak:N0} MB");
        return new Result(name, accepted, clock.Elapsed.TotalSeconds, cpu, rssBefore, peak);
    }
}
