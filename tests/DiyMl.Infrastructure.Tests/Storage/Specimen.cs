using DiyMl.Domain.Common;

namespace DiyMl.Infrastructure.Tests.Storage;

public enum Shade
{
    Light,
    Dark,
}

/// <summary>A document with one member of each kind the stores use.</summary>
public sealed class Specimen : Entity
{
    public string Name { get; set; } = "";

    public string? Group { get; set; }

    public int Rank { get; set; }

    public Shade Shade { get; set; }

    public Guid Token { get; set; }

    public DateTime At { get; set; }

    public DateTime? SeenAt { get; set; }

    public List<string> Tags { get; set; } = [];
}

/// <summary>Builds specimens with sensible, distinct defaults; tests set only what they check.</summary>
public sealed class SpecimenBuilder
{
    private static readonly DateTime Epoch = new(2026, 3, 14, 15, 9, 26, 535, DateTimeKind.Utc);
    private static int _counter;

    private string _name = $"specimen-{Interlocked.Increment(ref _counter)}";
    private string? _group = "default";
    private int _rank;
    private Shade _shade = Shade.Light;
    private DateTime _at = Epoch;

    public SpecimenBuilder Named(string name) { _name = name; return this; }

    public SpecimenBuilder InGroup(string? group) { _group = group; return this; }

    public SpecimenBuilder Ranked(int rank) { _rank = rank; _at = Epoch.AddMinutes(rank); return this; }

    public SpecimenBuilder Shaded(Shade shade) { _shade = shade; return this; }

    public SpecimenBuilder At(DateTime at) { _at = at; return this; }

    public Specimen Build() => new()
    {
        Name = _name,
        Group = _group,
        Rank = _rank,
        Shade = _shade,
        Token = Guid.NewGuid(),
        At = _at,
        Tags = ["a", _name],
    };

    public static IReadOnlyList<Specimen> Many(int count, Func<int, SpecimenBuilder, SpecimenBuilder> configure) =>
        Enumerable.Range(0, count).Select(i => configure(i, new SpecimenBuilder()).Build()).ToList();
}
