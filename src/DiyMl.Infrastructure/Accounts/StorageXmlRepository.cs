using System.Xml.Linq;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace DiyMl.Infrastructure.Accounts;

/// <summary>One data-protection key (cookie, token and ticket encryption), stored as its XML.</summary>
public sealed class DataProtectionKeyDocument : Entity
{
    public string FriendlyName { get; set; } = "";

    public string Xml { get; set; } = "";
}

/// <summary>
/// Keeps the data-protection key ring in the shared database, so every instance behind a load
/// balancer can read every other instance's cookies and bearer tokens. The interface is
/// synchronous; the key ring is read rarely (start-up, then about once a day).
/// </summary>
public sealed class StorageXmlRepository(IStorageEngine engine) : IXmlRepository
{
    private readonly IDocumentCollection<DataProtectionKeyDocument> _keys = engine.Collection<DataProtectionKeyDocument>("data_protection_keys");

    public IReadOnlyCollection<XElement> GetAllElements() =>
        [.. _keys.FindAsync(k => k.Id != null).GetAwaiter().GetResult().Select(k => XElement.Parse(k.Xml))];

    public void StoreElement(XElement element, string friendlyName) =>
        _keys.InsertAsync(new DataProtectionKeyDocument { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) })
            .GetAwaiter().GetResult();
}
