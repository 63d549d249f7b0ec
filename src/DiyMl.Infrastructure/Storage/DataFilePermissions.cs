namespace DiyMl.Infrastructure.Storage;

/// <summary>
/// Keeps the data directory private to the account running DIY ML: the directory (and the keys
/// folder) 0700, the database and key files 0600. The directory alone already shuts everyone
/// else out, whatever mode files created later get; the files are tightened too so a copied or
/// moved file stays private. No-op on Windows, where the ACLs of the user profile apply.
/// </summary>
public static class DataFilePermissions
{
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the directory if needed and makes it 0700.</summary>
    public static void EnsurePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, PrivateDirectory);
        File.SetUnixFileMode(path, PrivateDirectory);
    }

    /// <summary>Makes the files that exist among <paramref name="paths"/> 0600.</summary>
    public static void MakePrivate(params string[] paths)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (var path in paths.Where(File.Exists))
        {
            File.SetUnixFileMode(path, PrivateFile);
        }
    }

    /// <summary>Makes every file directly inside the directory 0600.</summary>
    public static void MakeFilesPrivate(string directory)
    {
        if (Directory.Exists(directory))
        {
            MakePrivate(Directory.GetFiles(directory));
        }
    }
}
