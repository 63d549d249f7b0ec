namespace DiyMl.Domain.Common;

/// <summary>
/// Saves an operation's intent, runs it, then forgets it. A crash in between leaves the record,
/// and <see cref="ResumeAsync"/> (at start-up, and periodically for other instances' crashes)
/// runs it to the end.
/// </summary>
public sealed class OperationLog(IOperationStore store, IEnumerable<IOperationHandler> handlers, TimeProvider clock)
{
    public async Task RunAsync(PendingOperation operation, CancellationToken ct = default)
    {
        operation.CreatedAt = clock.GetUtcNow().UtcDateTime;
        await store.InsertAsync(operation, ct);

        // Once begun, an edit finishes even if the caller goes away: a half-done merge is what
        // the record exists to prevent, and cancelling here would only leave it for the resume.
        await HandlerFor(operation.Kind).RunAsync(operation, CancellationToken.None);
        await store.DeleteAsync(operation.Id, CancellationToken.None);
    }

    /// <summary>Finishes every operation begun before <paramref name="before"/>; returns how many.</summary>
    public async Task<int> ResumeAsync(DateTime before, CancellationToken ct = default)
    {
        var pending = await store.ListAsync(before, ct);
        foreach (var operation in pending)
        {
            await HandlerFor(operation.Kind).RunAsync(operation, ct);
            await store.DeleteAsync(operation.Id, ct);
        }

        return pending.Count;
    }

    private IOperationHandler HandlerFor(OperationKind kind) =>
        handlers.FirstOrDefault(h => h.Kind == kind)
        ?? throw new InvalidOperationException($"No handler is registered for {kind} operations.");
}
