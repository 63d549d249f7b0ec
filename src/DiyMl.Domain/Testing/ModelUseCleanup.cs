using DiyMl.Domain.Models;
using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Testing;

/// <summary>A deleted model takes its test runs and its usage records with it.</summary>
public sealed class ModelUseCleanup(IModelTestStore tests, IPredictionStore predictions, IKeptPredictionStore kept) : IModelDeletedListener
{
    public async Task OnModelDeletedAsync(TrainedModel model, CancellationToken ct)
    {
        await tests.DeleteForModelAsync(model.Id, ct);
        await predictions.DeleteForModelAsync(model.Id, ct);
        await kept.DeleteForModelAsync(model.Id, ct);
    }
}
