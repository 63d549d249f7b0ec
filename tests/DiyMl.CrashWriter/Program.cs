using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage.LiteDb;

// Usage: DiyMl.CrashWriter <data directory>   (or: edit <scenario> <data directory>, see EditCrasher)
// Inserts documents one at a time, forever, printing "ACK <id>" only after each insert has
// returned. The crash test kills this process at an arbitrary point and then checks that every
// acknowledged document survived.
if (args is ["edit", var scenario, var directory, var killAfter])
{
    return await EditCrasher.RunAsync(scenario, directory, int.Parse(killAfter, System.Globalization.CultureInfo.InvariantCulture));
}

if (args.Length != 1)
{
    await Console.Error.WriteLineAsync("usage: DiyMl.CrashWriter <data directory>");
    return 2;
}

using var engine = new LiteDbEngine(args[0]);
var written = engine.Collection<Written>("written");
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
var payload = new string('x', 900);
for (var sequence = 0; ; sequence++)
{
    var document = new Written { Sequence = sequence, Payload = payload };
    await written.InsertAsync(document);
    await stdout.WriteLineAsync($"ACK {document.Id}");
}

/// <summary>One acknowledged write.</summary>
internal sealed class Written : Entity
{
    public int Sequence { get; set; }

    public string Payload { get; set; } = "";
}
