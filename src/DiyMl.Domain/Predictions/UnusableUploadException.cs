namespace DiyMl.Domain.Predictions;

/// <summary>
/// No file of a prediction job's upload is a picture that can be answered: the job is not started
/// and nothing is stored. Carries the per-file report so the answer (a 422) says why for each.
/// </summary>
public sealed class UnusableUploadException(IReadOnlyList<BatchItem> files)
    : Exception("None of the files is a picture that can be answered; 'files' says why for each one. Nothing was stored.")
{
    public IReadOnlyList<BatchItem> Files { get; } = files;
}
