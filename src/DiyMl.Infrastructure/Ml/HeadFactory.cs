using DiyMl.Domain.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.LightGbm;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// The ML.NET estimator learning classes from features, per model type. Everything runs
/// single-threaded where threads would make results depend on scheduling: same seed, same model.
/// </summary>
internal static class HeadFactory
{
    /// <summary>The L2 values tried by cross-validation when the user leaves l2 at 0 ("choose for me").</summary>
    public static readonly double[] L2Grid = [0.00001, 0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 1];

    public const string Features = nameof(FeatureRow.Features);
    public const string Label = nameof(FeatureRow.Label);

    /// <summary>
    /// The head's estimator; <paramref name="ranking"/> gives L-BFGS heads the candidates' looser
    /// tolerance, for fits that are only compared (the learning curve's), never stored or calibrated.
    /// </summary>
    public static IEstimator<ITransformer> Create(MLContext ml, FeatureSpec spec, string modelTypeId, IReadOnlyDictionary<string, double> parameters, double l2, int trainingRows, int classes, int seed, bool ranking = false) =>
        modelTypeId switch
        {
            // v2 features arrive with each block at unit length already: the head is a bare linear layer.
            ModelCatalog.ResNetLbfgs when !spec.IsV1 => Lbfgs(ml, l2, (int)parameters["iterations"], ranking ? CandidateTolerance : null),
            ModelCatalog.ResNetLbfgs => ml.Transforms.NormalizeLpNorm(Features)
                .Append(Lbfgs(ml, l2, (int)parameters["iterations"], ranking ? CandidateTolerance : null)),
            ModelCatalog.ResNetLightGbm => ml.MulticlassClassification.Trainers.LightGbm(new LightGbmMulticlassTrainer.Options
            {
                LabelColumnName = Label,
                FeatureColumnName = Features,
                NumberOfIterations = (int)parameters["trees"],
                NumberOfLeaves = (int)parameters["leaves"],
                LearningRate = parameters["learningRate"],
                // LightGBM's default of 20 rows per leaf never splits on a few dozen images per class.
                MinimumExampleCountPerLeaf = Math.Clamp(trainingRows / (classes * 4), 2, 20),
                // Each tree looks at half the 768 features: building the histograms of every feature
                // for every leaf is most of a fit's time on a few hundred rows (63 bins instead of 255
                // measured no faster), and a half per tree is the usual guard against overfitting
                // that many features. Drawn from the seed: the same seed grows the same trees.
                Booster = new GradientBooster.Options { FeatureFraction = LightGbmFeatureFraction },
                Seed = seed,
                NumberOfThreads = 1,
                Silent = true,
                Verbose = false,
            }),
            ModelCatalog.Pixels => Lbfgs(ml, l2, (int)parameters["iterations"], ranking ? CandidateTolerance : null),
            _ => throw new ArgumentException($"Unknown model type '{modelTypeId}'.", nameof(modelTypeId)),
        };

    /// <summary>
    /// The trainer alone for one L2 candidate during cross-validation, on rows already scaled the
    /// way <see cref="Create"/> scales them (<see cref="ScalesToUnitLength"/>). A looser tolerance
    /// than the final fit: the candidates are only ranked, and a tenth of the effort ranks them alike.
    /// </summary>
    public static LbfgsMaximumEntropyMulticlassTrainer Candidate(MLContext ml, IReadOnlyDictionary<string, double> parameters, double l2) =>
        Lbfgs(ml, l2, (int)parameters["iterations"], CandidateTolerance);

    /// <summary>Whether the head starts by scaling each feature vector to unit length (v1 ResNet features).</summary>
    public static bool ScalesToUnitLength(string modelTypeId, FeatureSpec spec) => modelTypeId == ModelCatalog.ResNetLbfgs && spec.IsV1;

    /// <summary>Whether this type's L2 is to be chosen by cross-validation on the training split.</summary>
    public static bool ChoosesL2(string modelTypeId, IReadOnlyDictionary<string, double> parameters) =>
        modelTypeId == ModelCatalog.Pixels || (modelTypeId == ModelCatalog.ResNetLbfgs && parameters["l2"] <= 0);

    /// <summary>Share of the features each LightGBM tree may split on (LightGBM's default is all of them).</summary>
    public const double LightGbmFeatureFraction = 0.5;

    /// <summary>
    /// Folds whose out-of-fold predictions fit a LightGBM head's temperature: two, not the L2
    /// search's three, since LightGBM searches nothing and each fold is a full boosting run.
    /// </summary>
    public const int LightGbmCalibrationFolds = 2;

    private const float CandidateTolerance = 1e-3f;

    private static LbfgsMaximumEntropyMulticlassTrainer Lbfgs(MLContext ml, double l2, int iterations, float? tolerance = null) =>
        ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = Label,
            FeatureColumnName = Features,
            L1Regularization = 0,
            L2Regularization = (float)l2,
            MaximumNumberOfIterations = iterations,
            OptimizationTolerance = tolerance ?? new LbfgsMaximumEntropyMulticlassTrainer.Options().OptimizationTolerance,
            NumberOfThreads = 1,
        });
}
