using DiyMl.Infrastructure.Ml;
using Microsoft.ML.OnnxRuntime;

namespace DiyMl.Infrastructure.Tests.Ml.Onnx;

/// <summary>An exported ONNX file on disk, opened as any ONNX Runtime user would, deleted when disposed.</summary>
public sealed class OnnxFile : IDisposable
{
    private readonly string _path;

    public OnnxFile(string path)
    {
        _path = path;
        Session = new InferenceSession(path);
    }

    public InferenceSession Session { get; }

    public long Bytes => new FileInfo(_path).Length;

    /// <summary>The RGB bytes the person feeds the file: the picture resized by the portal's own rule.</summary>
    public static byte[] Rgb(byte[] image, int size)
    {
        using var bitmap = ImagePixels.DecodeSquare(image, size, "test picture");
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[size * size * 3];
        for (var i = 0; i < size * size; i++)
        {
            rgb[3 * i] = rgba[4 * i];
            rgb[(3 * i) + 1] = rgba[(4 * i) + 1];
            rgb[(3 * i) + 2] = rgba[(4 * i) + 2];
        }

        return rgb;
    }

    public float[] Run(byte[] rgb, int size)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(rgb, [1, size, size, 3]);
        using var runOptions = new RunOptions();
        using var outputs = Session.Run(runOptions, ["image"], [input], ["probabilities"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        Session.Dispose();
        File.Delete(_path);
    }
}
