using System.Reflection;
using Microsoft.ML;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// ML.NET's Fit takes no token. MLContext.CancelExecution() (internal in 5.0.1) makes running
/// trainers throw within milliseconds; the context is unusable afterwards, hence one per job.
/// </summary>
internal static class MlCancellation
{
    private static readonly MethodInfo? CancelExecution =
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, Type.EmptyTypes);

    /// <summary>Runs <paramref name="work"/>; cancellation surfaces as OperationCanceledException and never as a partly fitted result.</summary>
    public static T Run<T>(MLContext ml, Func<T> work, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        T result;
        using (ct.Register(() => CancelExecution?.Invoke(ml, null)))
        {
            try
            {
                result = work();
            }
            catch (Exception ex) when (ct.IsCancellationRequested && ex is not OperationCanceledException)
            {
                throw new OperationCanceledException("Training was cancelled.", ex, ct);
            }
        }

        // Some trainers stop quietly and hand back what they had; that model is not the one asked for.
        ct.ThrowIfCancellationRequested();
        return result;
    }
}
