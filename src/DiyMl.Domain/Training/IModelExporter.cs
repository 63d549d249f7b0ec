namespace DiyMl.Domain.Training;

/// <summary>
/// Builds the downloadable form of a trained model: one self-contained ML.NET zip (backbone
/// included for transfer models, so tens of MB) that predicts with <c>mlContext.Model.Load</c>
/// alone. Its input is a row with a string column <c>ImagePath</c> (a file path); its outputs are
/// <c>PredictedLabel</c> (string) and <c>Score</c> (float[], one per class in the model's class order).
/// </summary>
public interface IModelExporter
{
    /// <summary>Writes the zip to <paramref name="destination"/>; throws InvalidDataException when the stored model is damaged.</summary>
    Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct);

    /// <summary>A suggested file name for the download, e.g. <c>my-model.mlnet.zip</c>.</summary>
    static string FileName(string modelName) =>
        new string([.. modelName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]).Trim('-') is { Length: > 0 } safe
            ? $"{safe}.mlnet.zip"
            : "model.mlnet.zip";
}
