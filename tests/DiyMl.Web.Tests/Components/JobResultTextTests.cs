using DiyMl.Web.Components.Pages.Jobs;

namespace DiyMl.Web.Tests.Components;

public sealed class JobResultTextTests
{
    [Fact]
    public void A_finished_test_reads_as_how_many_it_got_right()
    {
        var test = JobResultText.Test("""{"runId":"r1","images":31,"accuracy":0.871,"macroF1":0.8,"unknownClasses":[],"unreadable":0}""");

        Assert.Equal("r1", test!.RunId);
        Assert.Equal("87 % right on 31 pictures", JobResultText.TestSentence(test));
    }

    [Fact]
    public void A_batch_prediction_says_how_many_were_answered_and_how_many_could_not_be_read()
    {
        Assert.Equal("1 picture answered", JobResultText.Batch("""{"resultSha256":"ab","images":1,"answered":1,"failed":0}"""));
        Assert.Equal("40 pictures answered, 2 could not be read", JobResultText.Batch("""{"resultSha256":"ab","images":42,"answered":40,"failed":2}"""));
    }

    [Fact]
    public void A_missing_or_odd_result_gives_no_sentence_instead_of_failing_the_list()
    {
        Assert.Null(JobResultText.Test(null));
        Assert.Null(JobResultText.Batch("not json"));
    }
}
