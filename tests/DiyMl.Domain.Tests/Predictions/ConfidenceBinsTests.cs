using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Tests.Predictions;

public sealed class ConfidenceBinsTests
{
    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.05, 0)]
    [InlineData(0.1, 1)]
    [InlineData(0.49, 4)]
    [InlineData(0.5, 5)]
    [InlineData(0.99, 9)]
    [InlineData(1.0, 9)]
    [InlineData(-0.2, 0)]
    [InlineData(1.7, 9)]
    public void Confidence_falls_in_its_tenth(double confidence, int bin) => Assert.Equal(bin, ConfidenceBins.BinOf(confidence));
}
