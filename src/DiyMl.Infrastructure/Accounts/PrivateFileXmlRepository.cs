using System.Xml.Linq;
using DiyMl.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;

namespace DiyMl.Infrastructure.Accounts;

/// <summary>
/// The embedded engine's data-protection key ring: files in <c>{data}/keys</c>, which anyone
/// holding them could use to forge cookies and tokens, so the folder is 0700 and each key 0600.
/// </summary>
public sealed class PrivateFileXmlRepository : IXmlRepository
{
    private readonly FileSystemXmlRepository _inner;
    private readonly string _directory;

    public PrivateFileXmlRepository(string directory, ILoggerFactory loggers)
    {
        _directory = directory;
        DataFilePermissions.EnsurePrivateDirectory(directory);
        DataFilePermissions.MakeFilesPrivate(directory);
        _inner = new FileSystemXmlRepository(new DirectoryInfo(directory), loggers);
    }

    public IReadOnlyCollection<XElement> GetAllElements() => _inner.GetAllElements();

    public void StoreElement(XElement element, string friendlyName)
    {
        _inner.StoreElement(element, friendlyName);
        DataFilePermissions.MakeFilesPrivate(_directory);
    }
}
