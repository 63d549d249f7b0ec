using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Testing;

/// <summary>Images of a class the model was never trained on: counted and reported, not scored.</summary>
public sealed class UnknownClass
{
    public string Label { get; set; } = "";

    public int Images { get; set; }
}

/// <summary>
/// One test of a model on a labelled dataset, kept with the model so its test runs can be listed
/// and compared. Metrics cover images of classes the model knows; images of other classes are
/// listed in <see cref="UnknownClasses"/>. Per-image answers live in <see cref="TestPrediction"/>.
/// </summary>
public sealed class ModelTestRun : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string ModelId { get; set; } = "";

    public string DatasetId { get; set; } = "";

    public string DatasetName { get; set; } = "";

    public string JobId { get; set; } = "";

    public Evaluation Evaluation { get; set; } = new();

    public List<UnknownClass> UnknownClasses { get; set; } = [];

    /// <summary>Images skipped because they had no label.</summary>
    public int Unlabelled { get; set; }

    /// <summary>Images the model could not read (a per-image error, not a failed test).</summary>
    public int Unreadable { get; set; }

    public double Seconds { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>The model's answer for one test image, kept for error analysis.</summary>
public sealed class TestPrediction : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string RunId { get; set; } = "";

    public string ImageId { get; set; } = "";

    public string FileName { get; set; } = "";

    public string TrueLabel { get; set; } = "";

    public string PredictedLabel { get; set; } = "";

    public double Confidence { get; set; }

    public bool Correct { get; set; }

    /// <summary>False when <see cref="TrueLabel"/> is a class the model does not know.</summary>
    public bool KnownClass { get; set; }

    /// <summary>Set when the image was relabelled in its dataset from the error analysis.</summary>
    public string? RelabelledTo { get; set; }
}
