namespace DiyMl.Domain.Datasets;

/// <summary>
/// What a dataset is for. Pictures sent only to test a model become a test set: they are kept
/// for the test's results but never offered for training, so no one trains on their test pictures
/// by a slip of the mouse. A person can turn a test set into an ordinary dataset on purpose.
/// </summary>
public enum DatasetPurpose
{
    Training = 0,
    Test = 1,
}
