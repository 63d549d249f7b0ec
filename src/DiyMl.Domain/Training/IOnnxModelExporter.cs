namespace DiyMl.Domain.Training;

/// <summary>
/// Builds the portable form of a trained model: one ONNX file that any ONNX Runtime runs with
/// nothing else. Input <c>image</c>: uint8 <c>[1,S,S,3]</c> RGB pixels, already resized the way
/// the portal resizes (S = 224 for transfer models, the model's own size for pixel models);
/// output <c>probabilities</c>: float <c>[1,C]</c> in the order of the JSON array in the file's
/// <c>labels</c> metadata. Everything in between - preprocessing, network, head, softmax - is in the graph.
/// </summary>
public interface IOnnxModelExporter
{
    /// <summary>
    /// Writes the file to <paramref name="destination"/>. Throws <see cref="Common.DomainValidationException"/>
    /// (field <c>format</c>) when this model type cannot be exported yet, InvalidDataException when the stored model is damaged.
    /// </summary>
    Task ExportAsync(ModelHandle model, Stream destination, CancellationToken ct);

    /// <summary>A suggested file name for the download, e.g. <c>my-model.onnx</c>.</summary>
    static string FileName(string modelName) => IModelExporter.FileName(modelName).Replace(".mlnet.zip", ".onnx", StringComparison.Ordinal);
}
