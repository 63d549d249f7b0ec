using DiyMl.Domain.Predictions;
using DiyMl.Domain.Reports;
using DiyMl.Domain.Tests.Predictions;

namespace DiyMl.Domain.Tests.Reports;

/// <summary>The usage chart counts the viewer's own days, not UTC ones.</summary>
public sealed class UsageReportLocalDaysTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    [Fact]
    public void An_evening_prediction_in_New_York_counts_on_that_evening_not_on_the_next_UTC_day()
    {
        // 02:00 UTC on 20 Nov is 21:00 on 19 Nov in New York; 15:00 UTC is 10:00 on the 20th.
        var records = Records(3, At(20, 2)).Concat(Records(2, At(20, 15)));

        var report = UsageReport.Compute(Rollups(records), Day(19), Day(20), NewYork, At(20, 18));

        Assert.Equal([(Day(18), 0L), (Day(19), 3L), (Day(20), 2L)], report.PerDay.Select(d => (d.Day, d.Count)));
        Assert.Equal(report.Total, report.PerDay.Sum(d => d.Count));
    }

    [Fact]
    public void Without_a_zone_the_days_stay_UTC_days()
    {
        var records = Records(3, At(20, 2)).Concat(Records(2, At(20, 15)));

        var report = UsageReport.Compute(Rollups(records), Day(19), Day(20));

        Assert.Equal([(Day(19), 0L), (Day(20), 5L)], report.PerDay.Select(d => (d.Day, d.Count)));
    }

    [Fact]
    public void East_of_UTC_the_viewers_today_is_listed_before_UTC_reaches_it()
    {
        // 20:00 UTC on 20 Nov is 05:00 on 21 Nov in Tokyo, and the viewer's clock already says the 21st.
        var report = UsageReport.Compute(Rollups(Records(4, At(20, 20))), Day(20), Day(20), Tokyo, At(20, 22));

        Assert.Equal([(Day(20), 0L), (Day(21), 4L)], report.PerDay.Select(d => (d.Day, d.Count)));
    }

    [Fact]
    public void A_rollup_written_before_hours_were_kept_stays_on_its_days_noon()
    {
        var rollups = Rollups(Records(5, At(20, 2)));
        rollups.ForEach(r => r.Hours = []);

        var report = UsageReport.Compute(rollups, Day(20), Day(20), NewYork, At(20, 23));

        Assert.Equal(5, report.PerDay.Single(d => d.Day == Day(20)).Count);
        Assert.Equal(5, report.PerDay.Sum(d => d.Count));
    }

    [Fact]
    public void Each_prediction_is_counted_in_its_UTC_hour()
    {
        var rollup = Rollups(Records(2, At(20, 7)).Concat(Records(1, At(20, 23)))).Single();

        Assert.Equal(PredictionRollup.HoursPerDay, rollup.Hours.Count);
        Assert.Equal(2, rollup.Hours[7]);
        Assert.Equal(1, rollup.Hours[23]);
        Assert.Equal(rollup.Count, rollup.Hours.Sum());
    }

    private static DateOnly Day(int day) => new(2026, 11, day);

    private static DateTime At(int day, int hour) => new(2026, 11, day, hour, 0, 0, DateTimeKind.Utc);

    private static IEnumerable<PredictionRecord> Records(int count, DateTime at) =>
        Enumerable.Range(0, count).Select(_ => new PredictionRecordBuilder().At(at).Build());

    private static List<PredictionRollup> Rollups(IEnumerable<PredictionRecord> records) => UsageReportTests.Rollups(records);
}
