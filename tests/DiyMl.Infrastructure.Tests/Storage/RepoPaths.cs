namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>Finds files of the checkout from the test's bin folder, wherever the clone lives.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built in.</summary>
    public static string Configuration { get; } =
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DiyMl.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"DiyMl.sln was not found above {AppContext.BaseDirectory}.");
    }
}
