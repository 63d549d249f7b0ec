using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests;

/// <summary>A LiteDB engine on a fresh temporary data directory, removed afterwards.</summary>
internal sealed class TempLiteDb : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "diyml-test-" + Guid.NewGuid().ToString("N"));

    public TempLiteDb() => Engine = new LiteDbEngine(_directory);

    public LiteDbEngine Engine { get; }

    public void Dispose()
    {
        Engine.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory harms nothing.
        }
    }
}
