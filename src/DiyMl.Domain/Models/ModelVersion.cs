namespace DiyMl.Domain.Models;

/// <summary>
/// A model seen as one version of the dataset it was trained from: Version 1 is the oldest
/// training of that dataset that still exists, numbered by training time.
/// </summary>
public sealed record ModelVersion(int Number, TrainedModel Model);
