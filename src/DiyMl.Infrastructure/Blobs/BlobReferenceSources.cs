using System.Text.RegularExpressions;
using DiyMl.Domain.Common;
using DiyMl.Domain.Jobs;
using DiyMl.Domain.Models;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Blobs;

/// <summary>A trained model uses its artifact (the fitted head) for as long as it exists.</summary>
internal sealed class ModelBlobReferences(IStorageEngine engine) : IBlobReferenceSource
{
    // The collection TrainedModelStore keeps models in; read-only here.
    private readonly IDocumentCollection<TrainedModel> _models = engine.Collection<TrainedModel>("models");

    public string Name => "models";

    public async Task AddReferencesAsync(ISet<string> referenced, CancellationToken ct)
    {
        foreach (var model in await _models.FindAsync(_ => true, null, ct))
        {
            referenced.Add(model.ArtifactSha256);
        }
    }
}

/// <summary>
/// Jobs use blobs named in their JSON: a queued or running job its input (a prediction job's
/// uploaded images, which must survive until it has run even if a dataset image with the same
/// bytes is deleted), any job its result (a prediction job's answers) until retention removes
/// the job. Any SHA-256 in the JSON counts, so a new job kind's blobs are protected without
/// anyone remembering to list them here.
/// </summary>
internal sealed partial class JobBlobReferences(IJobStore jobs) : IBlobReferenceSource
{
    private const int Limit = 1_000_000;

    public string Name => "jobs";

    public async Task AddReferencesAsync(ISet<string> referenced, CancellationToken ct)
    {
        foreach (var status in Enum.GetValues<JobStatus>())
        {
            foreach (var job in await jobs.FindByStatusAsync(status, Limit, ct))
            {
                if (!job.IsFinished)
                {
                    AddShas(job.InputJson, referenced);
                }

                AddShas(job.ResultJson, referenced);
            }
        }
    }

    internal static void AddShas(string? json, ISet<string> referenced)
    {
        if (json is null)
        {
            return;
        }

        foreach (Match match in Sha256Pattern().Matches(json))
        {
            referenced.Add(match.Value);
        }
    }

    [GeneratedRegex("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])", RegexOptions.CultureInvariant)]
    private static partial Regex Sha256Pattern();
}
