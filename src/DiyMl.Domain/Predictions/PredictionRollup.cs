using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Predictions;

/// <summary>A predicted class and how often it was answered.</summary>
public sealed class LabelCount
{
    public string Label { get; set; } = "";

    public long Count { get; set; }
}

/// <summary>
/// Everything a usage report needs about one model, one UTC day and one channel, kept up to date
/// as predictions are recorded. Why rollups and not a scan of the raw records: a report over
/// 100,000 predictions then reads a few dozen small documents (days × channels) instead of
/// 100,000, so it opens in milliseconds however busy the model is. Each prediction updates its
/// rollup by compare-and-set of the whole document, so a reader sees a prediction entirely or not
/// at all (per-class counts, bins and latency buckets always add up to <see cref="Count"/>).
/// The raw <see cref="PredictionRecord"/>s are kept too, as the audit trail and to rebuild from.
/// </summary>
public sealed class PredictionRollup : Entity, IOwned
{
    public const int HoursPerDay = 24;

    public string OwnerId { get; set; } = "";

    public string ModelId { get; set; } = "";

    /// <summary>Midnight UTC of the day counted.</summary>
    public DateTime Day { get; set; }

    public PredictionChannel Channel { get; set; }

    public long Count { get; set; }

    public long Uncertain { get; set; }

    public double LatencyTotalMs { get; set; }

    public List<LabelCount> Classes { get; set; } = [];

    public List<long> ConfidenceBins { get; set; } = NewList(Predictions.ConfidenceBins.Count);

    public List<long> LatencyBuckets { get; set; } = NewList(LatencyHistogram.BucketCount);

    /// <summary>
    /// Predictions per UTC hour of the day (24 entries), so a report can count days in the viewer's
    /// own time zone: a day of one viewer starts in the middle of another's. Documents written before
    /// this list existed read as zeros; their counts stay on their UTC day.
    /// </summary>
    public List<long> Hours { get; set; } = NewList(HoursPerDay);

    /// <summary>
    /// The rollup's id is derived from what it counts, so concurrent writers meet on one document
    /// (and a second insert of the same day fails instead of splitting the counts). 24 hex digits,
    /// like every id, so the Mongo engine stores it as an ObjectId.
    /// </summary>
    public static string IdFor(string modelId, DateTime day, PredictionChannel channel)
    {
        var key = string.Create(CultureInfo.InvariantCulture, $"{modelId}|{day:yyyyMMdd}|{channel}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)).AsSpan(0, 12));
    }

    public static PredictionRollup For(PredictionRecord record)
    {
        var day = record.At.Date;
        return new PredictionRollup
        {
            Id = IdFor(record.ModelId, day, record.Channel),
            OwnerId = record.OwnerId,
            ModelId = record.ModelId,
            Day = DateTime.SpecifyKind(day, DateTimeKind.Utc),
            Channel = record.Channel,
        };
    }

    public void Add(PredictionRecord record)
    {
        Count++;
        if (record.Uncertain)
        {
            Uncertain++;
        }

        LatencyTotalMs += record.LatencyMs;
        var entry = Classes.FirstOrDefault(c => string.Equals(c.Label, record.Label, StringComparison.Ordinal));
        if (entry is null)
        {
            Classes.Add(entry = new LabelCount { Label = record.Label });
        }

        entry.Count++;
        Pad(ConfidenceBins, Predictions.ConfidenceBins.Count)[Predictions.ConfidenceBins.BinOf(record.Confidence)]++;
        Pad(LatencyBuckets, LatencyHistogram.BucketCount)[LatencyHistogram.BucketOf(record.LatencyMs)]++;
        Pad(Hours, HoursPerDay)[record.At.Hour]++;
    }

    private static List<long> NewList(int count) => [.. new long[count]];

    // A document written before a bucket layout grew still reads; missing buckets count zero.
    private static List<long> Pad(List<long> list, int count)
    {
        while (list.Count < count)
        {
            list.Add(0);
        }

        return list;
    }
}
