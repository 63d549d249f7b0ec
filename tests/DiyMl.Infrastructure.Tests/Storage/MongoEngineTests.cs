using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>What the Mongo engine writes on the wire, and how it behaves when MongoDB is away.</summary>
public sealed class MongoEngineTests(MongoTestServer server) : IAsyncLifetime
{
    private MongoEngine? _engine;

    private MongoEngine Engine => _engine!;

    public async ValueTask InitializeAsync()
    {
        var url = await server.GetUrlForDatabaseAsync("diyml_map_" + Guid.NewGuid().ToString("N")[..12]);
        _engine = new MongoEngine(url, "unused", TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await Engine.Database.Client.DropDatabaseAsync(Engine.Database.DatabaseNamespace.DatabaseName);
        Engine.Dispose();
    }

    [Fact]
    public async Task Documents_are_stored_with_objectid_ids_string_enums_standard_guids_and_utc_dates()
    {
        var specimen = new SpecimenBuilder().Shaded(Shade.Dark).Build();
        await Engine.Collection<Specimen>("specimens").InsertAsync(specimen);

        var raw = await Engine.Database.GetCollection<BsonDocument>("specimens").Find(FilterDefinition<BsonDocument>.Empty).SingleAsync();

        Assert.Equal(ObjectId.Parse(specimen.Id), raw["_id"].AsObjectId);
        Assert.Equal("Dark", raw["Shade"].AsString);
        Assert.Equal(BsonBinarySubType.UuidStandard, raw["Token"].AsBsonBinaryData.SubType);
        Assert.Equal(specimen.At, raw["At"].ToUniversalTime());
        Assert.Equal(1, raw["Version"].ToInt64());
    }

    [Fact]
    public async Task Documents_with_unknown_or_missing_members_still_load()
    {
        var id = ObjectId.GenerateNewId();
        await Engine.Database.GetCollection<BsonDocument>("specimens").InsertOneAsync(new BsonDocument
        {
            ["_id"] = id,
            ["Version"] = 3L,
            ["Name"] = "from an older build",
            ["RetiredField"] = "written by a build that had it",
        });

        var loaded = await Engine.Collection<Specimen>("specimens").GetAsync(id.ToString());

        Assert.NotNull(loaded);
        Assert.Equal(("from an older build", 3L), (loaded.Name, loaded.Version));
        Assert.Empty(loaded.Tags);
    }

    [Fact]
    public async Task An_unreachable_server_is_unhealthy_with_a_reason_naming_the_setting_and_host_but_not_the_password()
    {
        using var engine = new MongoEngine("mongodb://diyml:s3cr3t-pw@127.0.0.1:9/db", "diyml", TimeSpan.FromSeconds(1));

        var (healthy, reason) = await engine.CheckAsync();

        Assert.False(healthy);
        Assert.Contains("ConnectionStrings:Mongo", reason);
        Assert.Contains("127.0.0.1:9", reason);
        Assert.DoesNotContain("s3cr3t-pw", reason);
    }

    [Fact]
    public void A_malformed_connection_string_stops_start_up_without_echoing_it()
    {
        var refused = Assert.Throws<StartupException>(() => new MongoEngine("mongodb://u:s3cr3t-pw@", "diyml", TimeSpan.FromSeconds(1)));

        Assert.Contains("ConnectionStrings:Mongo", refused.Message);
        Assert.DoesNotContain("s3cr3t-pw", refused.Message);
    }

    [Fact]
    public async Task Database_named_in_the_connection_string_wins_over_the_setting()
    {
        var named = await server.GetUrlForDatabaseAsync("from_url_db");

        using var engine = new MongoEngine(named, "from_setting", TimeSpan.FromSeconds(5));

        Assert.Equal("from_url_db", engine.Database.DatabaseNamespace.DatabaseName);
    }
}
