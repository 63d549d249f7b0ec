using DiyMl.Infrastructure.Storage;
using DiyMl.Infrastructure.Storage.LiteDb;

namespace DiyMl.Infrastructure.Tests.Storage;

public sealed class LiteDbEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public void A_second_engine_on_the_same_data_directory_refuses_and_says_it_is_in_use()
    {
        using var first = new LiteDbEngine(_dir.Path);

        var refused = Assert.Throws<StartupException>(() => new LiteDbEngine(_dir.Path));

        Assert.Contains("in use", refused.Message);
        Assert.Contains("Storage:DataDirectory", refused.Message);
        Assert.DoesNotContain('\n', refused.Message);
    }

    [Fact]
    public async Task The_data_directory_is_free_again_once_the_engine_is_closed()
    {
        var specimen = new SpecimenBuilder().Build();
        using (var first = new LiteDbEngine(_dir.Path))
        {
            await first.Collection<Specimen>("specimens").InsertAsync(specimen);
        }

        using var second = new LiteDbEngine(_dir.Path);

        Assert.NotNull(await second.Collection<Specimen>("specimens").GetAsync(specimen.Id));
    }

    [Fact]
    public void A_missing_data_directory_is_created()
    {
        var nested = Path.Combine(_dir.Path, "a", "b");

        using var engine = new LiteDbEngine(nested);

        Assert.True(File.Exists(Path.Combine(nested, "diyml.db")));
    }

    public void Dispose() => _dir.Dispose();
}
