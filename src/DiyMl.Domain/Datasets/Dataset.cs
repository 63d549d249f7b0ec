using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>A named collection of one user's images, with the classes they can be labelled with.</summary>
public sealed class Dataset : Entity, IOwned
{
    public string OwnerId { get; set; } = "";

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    /// <summary>The class names, in the order the user created them.</summary>
    public List<string> Classes { get; set; } = [];

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Bumped whenever the images or their labels change, so cached figures (the analysis) know
    /// when they are stale without rereading every image.
    /// </summary>
    public long Revision { get; set; }

    /// <summary>Training unless made from a test zip; documents written before this field read as Training.</summary>
    public DatasetPurpose Purpose { get; set; }

    /// <summary>Uploads skipped because the same bytes were already in this dataset.</summary>
    public long DuplicatesSkipped { get; set; }
}
