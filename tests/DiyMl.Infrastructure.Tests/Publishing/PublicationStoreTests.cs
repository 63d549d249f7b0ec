using DiyMl.Domain.Publishing;
using DiyMl.Infrastructure.Publishing;

namespace DiyMl.Infrastructure.Tests.Publishing;

public sealed class PublicationStoreTests : IDisposable
{
    private readonly TempLiteDb _db = new();
    private readonly PublicationStore _store;

    public PublicationStoreTests() => _store = new PublicationStore(_db.Engine);

    [Fact]
    public async Task A_second_publication_of_the_same_name_by_the_same_owner_is_refused_whatever_the_case()
    {
        var ct = TestContext.Current.CancellationToken;

        Assert.True(await _store.TryInsertAsync(Publication("alice", "Flowers", "aaaaaaaaaaaaaaaaaaaaaaaa"), ct));
        Assert.False(await _store.TryInsertAsync(Publication("alice", "  flowers ", "bbbbbbbbbbbbbbbbbbbbbbbb"), ct));
        Assert.True(await _store.TryInsertAsync(Publication("bob", "Flowers", "cccccccccccccccccccccccc"), ct));
    }

    [Fact]
    public async Task A_publication_is_found_by_the_model_it_points_at_until_switched()
    {
        var ct = TestContext.Current.CancellationToken;
        var publication = Publication("alice", "Flowers", "aaaaaaaaaaaaaaaaaaaaaaaa");
        await _store.TryInsertAsync(publication, ct);

        publication.ModelId = "bbbbbbbbbbbbbbbbbbbbbbbb";
        Assert.True(await _store.ReplaceAsync(publication, ct));

        Assert.Null(await _store.FindByModelAsync("aaaaaaaaaaaaaaaaaaaaaaaa", ct));
        Assert.Equal(publication.Id, (await _store.FindByModelAsync("bbbbbbbbbbbbbbbbbbbbbbbb", ct))?.Id);
    }

    [Fact]
    public async Task Listing_by_owner_shows_only_theirs_and_listing_all_shows_everyone()
    {
        var ct = TestContext.Current.CancellationToken;
        await _store.TryInsertAsync(Publication("alice", "One", "aaaaaaaaaaaaaaaaaaaaaaaa"), ct);
        await _store.TryInsertAsync(Publication("bob", "Two", "bbbbbbbbbbbbbbbbbbbbbbbb"), ct);

        Assert.Equal(1, (await _store.ListAsync("alice", 0, 10, ct)).Total);
        Assert.Equal(2, (await _store.ListAsync(null, 0, 10, ct)).Total);
    }

    public void Dispose() => _db.Dispose();

    private static Publication Publication(string owner, string name, string modelId) => new()
    {
        Id = Domain.Publishing.Publication.IdFor(owner, name),
        OwnerId = owner,
        Name = name,
        ModelId = modelId,
        VersionNumber = 1,
        PublishedAt = DateTime.UtcNow,
    };
}
