using DiyMl.Domain.Jobs;
using DiyMl.Domain.Training;

namespace DiyMl.Infrastructure.Ml;

/// <summary>
/// Tells the job about each L2 candidate as soon as all its folds are scored (the live chart of
/// settings tried), from the search's parallel fits. One lock keeps the reports in count order.
/// </summary>
internal sealed class TrialReporter
{
    private readonly IProgress<TrainingProgressUpdate>? _progress;
    private readonly double[] _grid;
    private readonly int _folds;
    private readonly (double Accuracy, double LogLoss)[] _scores;
    private readonly int[] _foldsDone;
    private readonly Lock _gate = new();
    private int _candidatesDone;

    public TrialReporter(IProgress<TrainingProgressUpdate>? progress, double[] grid, int folds, (double Accuracy, double LogLoss)[] scores)
    {
        (_progress, _grid, _folds, _scores, _foldsDone) = (progress, grid, folds, scores, new int[grid.Length]);
        _progress?.Report(new TrainingProgressUpdate(TrainingEstimator.TryingSettings, 0, grid.Length));
    }

    public void FoldDone(int candidate)
    {
        if (_progress is null)
        {
            return;
        }

        lock (_gate)
        {
            if (++_foldsDone[candidate] < _folds)
            {
                return;
            }

            var accuracy = Enumerable.Range(candidate * _folds, _folds).Average(j => _scores[j].Accuracy);
            _progress.Report(new TrainingProgressUpdate(TrainingEstimator.TryingSettings, ++_candidatesDone, _grid.Length)
            {
                Trial = new JobTrial { Setting = "l2", Value = _grid[candidate], Score = accuracy },
            });
        }
    }
}
