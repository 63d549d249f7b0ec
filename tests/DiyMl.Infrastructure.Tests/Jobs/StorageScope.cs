using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests.Jobs;

/// <summary>A fresh LiteDB data directory, removed afterwards.</summary>
internal sealed class StorageScope : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "diyml-jobs-" + Guid.NewGuid().ToString("N"));

    public StorageScope() => Engine = new LiteDbEngine(_directory);

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
