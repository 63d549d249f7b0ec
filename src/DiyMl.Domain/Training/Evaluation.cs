namespace DiyMl.Domain.Training;

/// <summary>Precision, recall and F1 of one class, and how many true examples it had.</summary>
public sealed class ClassMetrics
{
    public string Label { get; set; } = "";

    public double Precision { get; set; }

    public double Recall { get; set; }

    public double F1 { get; set; }

    public int Support { get; set; }
}

/// <summary>
/// How well a model did on a set of labelled images. The confusion matrix is the source of
/// truth (rows are the true class, columns the predicted class, in <see cref="Classes"/> order);
/// accuracy, per-class figures and macro-F1 are computed from it by <see cref="FromConfusion"/>.
/// </summary>
public sealed class Evaluation
{
    public List<string> Classes { get; set; } = [];

    public List<List<int>> ConfusionMatrix { get; set; } = [];

    public int Count { get; set; }

    public double Accuracy { get; set; }

    public double MacroF1 { get; set; }

    public double? LogLoss { get; set; }

    /// <summary>Expected calibration error of the calibrated confidences (0 = "90 % sure" is right 90 % of the time).</summary>
    public double? CalibrationError { get; set; }

    /// <summary>The same before calibration, to show what calibration changed.</summary>
    public double? UncalibratedCalibrationError { get; set; }

    /// <summary>
    /// The ECE a perfectly calibrated model would show on as many pictures with these confidences
    /// (<see cref="Calibration.SamplingFloor"/>): how much of <see cref="CalibrationError"/> is chance.
    /// </summary>
    public double? CalibrationErrorFloor { get; set; }

    public List<ClassMetrics> PerClass { get; set; } = [];

    public static Evaluation FromConfusion(IReadOnlyList<string> classes, IReadOnlyList<IReadOnlyList<int>> matrix, double? logLoss = null)
    {
        var n = classes.Count;
        if (matrix.Count != n || matrix.Any(row => row.Count != n))
        {
            throw new ArgumentException("The confusion matrix must be square with one row and column per class.", nameof(matrix));
        }

        var total = matrix.Sum(row => row.Sum());
        var correct = Enumerable.Range(0, n).Sum(i => matrix[i][i]);
        var perClass = new List<ClassMetrics>(n);
        for (var c = 0; c < n; c++)
        {
            var truePositive = matrix[c][c];
            var actual = matrix[c].Sum();
            var predicted = Enumerable.Range(0, n).Sum(r => matrix[r][c]);
            var precision = predicted == 0 ? 0 : (double)truePositive / predicted;
            var recall = actual == 0 ? 0 : (double)truePositive / actual;
            var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            perClass.Add(new ClassMetrics { Label = classes[c], Precision = precision, Recall = recall, F1 = f1, Support = actual });
        }

        // Macro-F1 averages over classes that have true examples, so a class absent from the
        // evaluation set does not drag the figure to zero.
        var present = perClass.Where(m => m.Support > 0).ToList();
        return new Evaluation
        {
            Classes = [.. classes],
            ConfusionMatrix = matrix.Select(row => row.ToList()).ToList(),
            Count = total,
            Accuracy = total == 0 ? 0 : (double)correct / total,
            MacroF1 = present.Count == 0 ? 0 : present.Average(m => m.F1),
            LogLoss = logLoss,
            PerClass = perClass,
        };
    }
}
