namespace DiyMl.Infrastructure.Tests.Storage;

/// <summary>
/// A clock the test moves by hand. It starts at the real time, so files and ObjectIds stamped by
/// the operating system agree with it until the test jumps ahead (past a grace period, a day…).
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
