using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class EvaluationTests
{
    [Fact]
    public void Metrics_are_computed_from_the_confusion_matrix()
    {
        // rows = truth, columns = prediction
        int[][] matrix =
        [
            [8, 2, 0],
            [1, 6, 3],
            [0, 0, 5],
        ];

        var evaluation = Evaluation.FromConfusion(["cat", "dog", "fox"], matrix);

        Assert.Equal(25, evaluation.Count);
        Assert.Equal(19.0 / 25, evaluation.Accuracy, 10);
        var dog = evaluation.PerClass[1];
        Assert.Equal(6.0 / 8, dog.Precision, 10);
        Assert.Equal(6.0 / 10, dog.Recall, 10);
        Assert.Equal(2 * 0.75 * 0.6 / 1.35, dog.F1, 10);
        Assert.Equal(10, dog.Support);
        var expectedMacro = evaluation.PerClass.Average(c => c.F1);
        Assert.Equal(expectedMacro, evaluation.MacroF1, 10);
    }

    [Fact]
    public void A_class_with_no_true_examples_does_not_count_in_macro_f1()
    {
        int[][] matrix = [[4, 0], [0, 0]];

        var evaluation = Evaluation.FromConfusion(["a", "b"], matrix);

        Assert.Equal(1.0, evaluation.MacroF1, 10);
    }

    [Fact]
    public void A_matrix_that_does_not_match_the_classes_is_refused() =>
        Assert.Throws<ArgumentException>(() => Evaluation.FromConfusion(["a", "b"], [[1, 2]]));
}
