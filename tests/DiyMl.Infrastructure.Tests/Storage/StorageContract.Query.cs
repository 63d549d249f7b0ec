namespace DiyMl.Infrastructure.Tests.Storage;

public abstract partial class StorageContract
{
    [Fact]
    public async Task Find_filters_then_sorts_then_pages_without_gaps_or_repeats()
    {
        var seeded = SpecimenBuilder.Many(25, (i, b) => b.Ranked((i * 7) % 25).InGroup(i % 5 == 0 ? "other" : "mine"));
        await Specimens.InsertManyAsync(seeded);
        var expected = seeded.Where(s => s.Group == "mine").OrderByDescending(s => s.Rank).Select(s => s.Name).ToList();

        var pages = new List<string>();
        for (var skip = 0; skip < 25; skip += 6)
        {
            var page = await Specimens.FindAsync(x => x.Group == "mine", new(x => x.Rank, Descending: true, Skip: skip, Limit: 6));
            Assert.True(page.Count <= 6);
            pages.AddRange(page.Select(s => s.Name));
        }

        Assert.Equal(expected, pages);
        Assert.Equal(20, await Specimens.CountAsync(x => x.Group == "mine"));
    }

    [Fact]
    public async Task A_page_of_size_zero_is_empty_and_a_negative_skip_starts_at_the_beginning()
    {
        await Specimens.InsertManyAsync(SpecimenBuilder.Many(3, (i, b) => b.Ranked(i)));

        var none = await Specimens.FindAsync(_ => true, new(x => x.Rank, Limit: 0));
        var all = await Specimens.FindAsync(_ => true, new(x => x.Rank, Skip: -5, Limit: 10));
        var beyond = await Specimens.FindAsync(_ => true, new(x => x.Rank, Skip: 10, Limit: 10));

        Assert.Empty(none);
        Assert.Equal([0, 1, 2], all.Select(s => s.Rank));
        Assert.Empty(beyond);
    }

    [Fact]
    public async Task Find_sorts_ascending_by_timestamp()
    {
        var seeded = SpecimenBuilder.Many(10, (i, b) => b.Ranked((i * 3) % 10));
        await Specimens.InsertManyAsync(seeded);

        var found = await Specimens.FindAsync(_ => true, new(x => x.At));

        Assert.Equal(seeded.OrderBy(s => s.At).Select(s => s.Id), found.Select(s => s.Id));
    }

    [Fact]
    public async Task Filters_on_enums_nulls_and_ranges_combine()
    {
        await Specimens.InsertManyAsync(
        [
            new SpecimenBuilder().Named("a").Ranked(1).Shaded(Shade.Dark).Build(),
            new SpecimenBuilder().Named("b").Ranked(5).Shaded(Shade.Dark).InGroup(null).Build(),
            new SpecimenBuilder().Named("c").Ranked(9).Shaded(Shade.Light).Build(),
            new SpecimenBuilder().Named("d").Ranked(12).Shaded(Shade.Dark).Build(),
        ]);

        var dark = await Specimens.FindAsync(x => x.Shade == Shade.Dark && x.Rank > 2 && x.Rank < 20, new(x => x.Rank));
        var ungrouped = await Specimens.FindAsync(x => x.Group == null);
        var either = await Specimens.CountAsync(x => x.Name == "a" || x.Name == "c");
        var notLight = await Specimens.CountAsync(x => x.Shade != Shade.Light);

        Assert.Equal(["b", "d"], dark.Select(s => s.Name));
        Assert.Equal("b", Assert.Single(ungrouped).Name);
        Assert.Equal(2, either);
        Assert.Equal(3, notLight);
    }

    [Fact]
    public async Task Filters_may_compute_their_values_from_captured_variables()
    {
        var seeded = SpecimenBuilder.Many(6, (i, b) => b.Ranked(i).Named($"item-{i}"));
        await Specimens.InsertManyAsync(seeded);
        var cutoff = seeded[0].At;
        var typed = "  item-4 ";

        var early = await Specimens.CountAsync(x => x.At < cutoff.AddMinutes(3));
        var named = await Specimens.FindAsync(x => x.Name == typed.Trim());

        Assert.Equal(3, early);
        Assert.Equal(seeded[4].Id, Assert.Single(named).Id);
    }

    [Fact]
    public async Task Delete_many_removes_the_matching_documents_and_says_how_many()
    {
        await Specimens.InsertManyAsync(SpecimenBuilder.Many(12, (i, b) => b.Ranked(i)));

        var deleted = await Specimens.DeleteManyAsync(x => x.Rank >= 8);

        Assert.Equal(4, deleted);
        Assert.Equal(8, await Specimens.CountAsync(_ => true));
        Assert.Equal(0, await Specimens.DeleteManyAsync(x => x.Rank >= 8));
    }

    [Fact]
    public async Task Collections_with_different_names_do_not_see_each_other()
    {
        await Specimens.InsertAsync(new SpecimenBuilder().Build());

        var elsewhere = Engine.Collection<Specimen>("other-specimens");

        Assert.Equal(0, await elsewhere.CountAsync(_ => true));
    }
}
