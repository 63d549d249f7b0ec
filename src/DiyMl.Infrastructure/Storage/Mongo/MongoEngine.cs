using DiyMl.Domain.Common;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DiyMl.Infrastructure.Storage.Mongo;

/// <summary>
/// The scale-out engine: every instance shares one MongoDB database (a replica set in production).
/// Blobs live in the same database through GridFS (see <see cref="Blobs.GridFsBlobStore"/>).
/// </summary>
public sealed class MongoEngine : IStorageEngine, IDisposable
{
    private readonly MongoClient _client;
    private readonly string _hosts;
    private readonly TimeSpan _timeout;

    public MongoEngine(string connectionString, string databaseName, TimeSpan serverSelectionTimeout)
    {
        MongoMapping.EnsureRegistered();
        MongoUrl url;
        try
        {
            url = MongoUrl.Create(connectionString);
        }
        catch (Exception ex) when (ex is MongoConfigurationException or FormatException or ArgumentException)
        {
            // The driver's message may echo the string, password included; say only what to fix.
            throw new StartupException(
                "ConnectionStrings:Mongo is not a valid MongoDB connection string (expected e.g. mongodb://host:27017).");
        }

        _hosts = string.Join(",", url.Servers.Select(s => $"{s.Host}:{s.Port}"));
        _timeout = serverSelectionTimeout;
        var settings = MongoClientSettings.FromUrl(url);
        settings.ServerSelectionTimeout = serverSelectionTimeout;
        settings.ConnectTimeout = serverSelectionTimeout;
        _client = new MongoClient(settings);
        Database = _client.GetDatabase(url.DatabaseName ?? databaseName);
    }

    public string Engine => "Mongo";

    /// <summary>The database the collections and the GridFS bucket live in.</summary>
    public IMongoDatabase Database { get; }

    /// <summary>Host list from the connection string, safe to show (never the credentials).</summary>
    public string Hosts => _hosts;

    public IDocumentCollection<T> Collection<T>(string name) where T : Entity =>
        new MongoCollection<T>(Database.GetCollection<T>(name));

    public async Task<(bool Healthy, string? Reason)> CheckAsync(CancellationToken ct = default)
    {
        try
        {
            await Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: ct);
            return (true, null);
        }
        catch (Exception ex) when (ex is TimeoutException or MongoException)
        {
            var why = ex is TimeoutException
                ? $"did not answer within {_timeout.TotalSeconds:0.#} s"
                : $"answered with an error: {FirstLine(ex.Message)}";
            return (false, $"MongoDB at {_hosts} (ConnectionStrings:Mongo) {why}.");
        }
    }

    public void Dispose() => _client.Dispose();

    private static string FirstLine(string text)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n')[0];
        return line.Length > 200 ? line[..200] : line;
    }
}
