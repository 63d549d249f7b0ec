using System.Xml.Linq;
using DiyMl.Infrastructure.Accounts;
using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Web.Tests.Accounts;

public sealed class KeyRingStorageTests
{
    [Fact]
    public void Keys_stored_in_the_database_are_read_back_by_another_instance()
    {
        var directory = Path.Combine(Path.GetTempPath(), "diyml-keyring-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var engine = new LiteDbEngine(directory))
            {
                new StorageXmlRepository(engine).StoreElement(new XElement("key", new XAttribute("id", "k1"), "secret"), "key-k1");
            }

            using var reopened = new LiteDbEngine(directory);
            var keys = new StorageXmlRepository(reopened).GetAllElements();

            var key = Assert.Single(keys);
            Assert.Equal("k1", key.Attribute("id")?.Value);
            Assert.Equal("secret", key.Value);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
