using System.Diagnostics;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>
/// Kills a process in the middle of writing to the embedded store (SIGKILL, no chance to flush or
/// close) and shows that every write it had acknowledged is there after reopening.
/// </summary>
public sealed class LiteDbCrashSafetyTests : IDisposable
{
    private const int AcksBeforeKill = 200;
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task Every_acknowledged_write_survives_a_killed_writer()
    {
        var acked = new List<string>();
        using (var writer = StartWriter(_dir.Path))
        {
            var errors = writer.StandardError.ReadToEndAsync();
            while (acked.Count < AcksBeforeKill && await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                acked.Add(ParseAck(line));
            }

            writer.Kill(entireProcessTree: true);

            // Acks already in the pipe were acknowledged before the kill: they must survive too.
            while (await writer.StandardOutput.ReadLineAsync() is { } line)
            {
                acked.Add(ParseAck(line));
            }

            await writer.WaitForExitAsync();
            Assert.True(acked.Count >= AcksBeforeKill, $"the writer stopped early: {await errors}");
        }

        using var reopened = new LiteDbEngine(_dir.Path);
        var written = reopened.Collection<Written>("written");
        var missing = new List<string>();
        foreach (var id in acked)
        {
            if (await written.GetAsync(id) is null)
            {
                missing.Add(id);
            }
        }

        Assert.Empty(missing);
        Assert.True(await written.CountAsync(_ => true) >= acked.Count);
    }

    public void Dispose() => _dir.Dispose();

    private static Process StartWriter(string dataDirectory)
    {
        var dll = Path.Combine(RepoPaths.Root, "tests", "DiyMl.CrashWriter", "bin", RepoPaths.Configuration, "net10.0", "DiyMl.CrashWriter.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add(dataDirectory);
        return Process.Start(start)!;
    }

    private static string ParseAck(string line)
    {
        Assert.StartsWith("ACK ", line);
        return line[4..];
    }

    /// <summary>Same shape as the writer's document; LiteDB is schemaless, names are what count.</summary>
    private sealed class Written : Entity
    {
        public int Sequence { get; set; }

        public string Payload { get; set; } = "";
    }
}
