using DiyMl.Domain.Common;

namespace DiyMl.Domain.Tests;

public sealed class IdsTests
{
    [Fact]
    public void New_ids_are_unique_valid_and_sort_by_creation_second()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => Ids.New()).ToList();

        Assert.Equal(1000, ids.Distinct().Count());
        Assert.All(ids, id => Assert.True(Ids.IsValid(id), id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("ABCDEFABCDEFABCDEFABCDEF")]
    [InlineData("0123456789abcdef0123456")]
    public void IsValid_rejects_malformed_ids(string? id) => Assert.False(Ids.IsValid(id));

    [Fact]
    public void EnsureOwnedBy_hides_other_peoples_resources_as_not_found()
    {
        var thing = new OwnedThing("alice");

        Assert.Same(thing, thing.EnsureOwnedBy("alice", "Thing", "1"));
        Assert.Throws<NotFoundException>(() => thing.EnsureOwnedBy("bob", "Thing", "1"));
        Assert.Throws<NotFoundException>(() => ((OwnedThing?)null).EnsureOwnedBy("alice", "Thing", "1"));
    }

    private sealed record OwnedThing(string OwnerId) : IOwned;
}
