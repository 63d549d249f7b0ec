using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>
/// What every storage engine promises the stores. Each engine gets a subclass that says how to
/// open it; every fact here then runs against that engine.
/// </summary>
public abstract partial class StorageContract : IAsyncLifetime
{
    private IStorageEngine? _engine;
    private IBlobStore? _blobs;

    protected IStorageEngine Engine => _engine ?? throw new InvalidOperationException("Not initialised.");

    protected IBlobStore Blobs => _blobs ?? throw new InvalidOperationException("Not initialised.");

    protected IDocumentCollection<Specimen> Specimens => Engine.Collection<Specimen>("specimens");

    /// <summary>Null when the engine enforces unique secondary indexes; otherwise why it does not.</summary>
    protected virtual string? UniqueIndexSkipReason => null;

    protected abstract Task<(IStorageEngine Engine, IBlobStore Blobs)> OpenAsync();

    protected abstract ValueTask CloseAsync();

    /// <summary>How many copies of a blob the engine physically holds (content addressing means one).</summary>
    protected abstract Task<int> CountStoredCopiesAsync(string sha256);

    public async ValueTask InitializeAsync() => (_engine, _blobs) = await OpenAsync();

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task Engine_reports_itself_healthy()
    {
        var (healthy, reason) = await Engine.CheckAsync();

        Assert.True(healthy, reason);
    }

    [Fact]
    public async Task Inserted_document_reads_back_with_every_member_and_version_1()
    {
        var specimen = new SpecimenBuilder().Named("Tulip").InGroup("flowers").Ranked(7).Shaded(Shade.Dark).Build();

        await Specimens.InsertAsync(specimen);
        var stored = await Specimens.GetAsync(specimen.Id);

        Assert.NotNull(stored);
        Assert.Equal(1, stored.Version);
        Assert.Equal(specimen.Id, stored.Id);
        Assert.Equal("Tulip", stored.Name);
        Assert.Equal("flowers", stored.Group);
        Assert.Equal(7, stored.Rank);
        Assert.Equal(Shade.Dark, stored.Shade);
        Assert.Equal(specimen.Token, stored.Token);
        Assert.Equal(specimen.Tags, stored.Tags);
        Assert.Null(stored.SeenAt);
    }

    [Fact]
    public async Task Unknown_or_malformed_ids_find_nothing()
    {
        await Specimens.InsertAsync(new SpecimenBuilder().Build());

        Assert.Null(await Specimens.GetAsync(Ids.New()));
        Assert.Null(await Specimens.GetAsync("not-an-id"));
        Assert.Null(await Specimens.GetAsync(""));
        Assert.Empty(await Specimens.FindAsync(x => x.Id == "not-an-id"));
        Assert.Equal(0, await Specimens.CountAsync(x => x.Id == "zz"));
        Assert.False(await Specimens.DeleteAsync("not-an-id"));
    }

    [Fact]
    public async Task Insert_many_stores_all_with_version_1()
    {
        var batch = SpecimenBuilder.Many(30, (i, b) => b.Ranked(i));

        await Specimens.InsertManyAsync(batch);

        Assert.Equal(30, await Specimens.CountAsync(_ => true));
        Assert.All(await Specimens.FindAsync(_ => true), s => Assert.Equal(1, s.Version));
    }

    [Fact]
    public async Task Inserting_an_existing_id_is_a_conflict()
    {
        var specimen = new SpecimenBuilder().Build();
        await Specimens.InsertAsync(specimen);

        var twin = new SpecimenBuilder().Named("twin").Build();
        twin.Id = specimen.Id;

        await Assert.ThrowsAsync<ConflictException>(() => Specimens.InsertAsync(twin));
        Assert.Equal(specimen.Name, (await Specimens.GetAsync(specimen.Id))!.Name);
    }

    [Fact]
    public async Task Delete_removes_only_that_document()
    {
        var keep = new SpecimenBuilder().Build();
        var drop = new SpecimenBuilder().Build();
        await Specimens.InsertManyAsync([keep, drop]);

        Assert.True(await Specimens.DeleteAsync(drop.Id));
        Assert.False(await Specimens.DeleteAsync(drop.Id));

        Assert.Null(await Specimens.GetAsync(drop.Id));
        Assert.NotNull(await Specimens.GetAsync(keep.Id));
    }

    [Fact]
    public async Task Unique_index_refuses_a_second_document_with_the_same_value()
    {
        if (UniqueIndexSkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        await Specimens.EnsureIndexAsync(x => x.Name, unique: true);
        await Specimens.EnsureIndexAsync(x => x.Name, unique: true);
        await Specimens.InsertAsync(new SpecimenBuilder().Named("only-one").Build());

        await Assert.ThrowsAsync<ConflictException>(() => Specimens.InsertAsync(new SpecimenBuilder().Named("only-one").Build()));
        Assert.Equal(1, await Specimens.CountAsync(x => x.Name == "only-one"));
    }

    [Fact]
    public async Task Non_unique_index_is_idempotent_and_queries_still_answer()
    {
        await Specimens.EnsureIndexAsync(x => x.Group);
        await Specimens.EnsureIndexAsync(x => x.Group);
        await Specimens.InsertManyAsync(SpecimenBuilder.Many(4, (i, b) => b.InGroup(i % 2 == 0 ? "even" : "odd")));

        Assert.Equal(2, await Specimens.CountAsync(x => x.Group == "even"));
    }
}
