namespace DiyMl.Infrastructure.Storage;

/// <summary>
/// An exclusive, OS-level lock on <c>{dataDirectory}/.lock</c>, held for the life of the process.
/// .NET maps <see cref="FileShare.None"/> to an advisory lock on Unix, which the OS drops when
/// the process dies, so a crash never leaves a stale lock behind.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    private readonly FileStream _stream;

    private DataDirectoryLock(FileStream stream) => _stream = stream;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, ".lock");
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            stream.Write(pid);
            stream.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException ex)
        {
            throw new StartupException(
                $"Storage:DataDirectory '{Path.GetFullPath(dataDirectory)}' is in use by another DIY ML process; " +
                $"stop it or point Storage:DataDirectory elsewhere. ({ex.Message})");
        }
    }

    public void Dispose() => _stream.Dispose();
}
