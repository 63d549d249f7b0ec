using DiyMl.Domain.Predictions;

namespace DiyMl.Domain.Tests.Predictions;

/// <summary>Predictions with sensible defaults; tests change only what they are about.</summary>
internal sealed class PredictionRecordBuilder
{
    private string _owner = "owner-a";
    private string _model = "aaaaaaaaaaaaaaaaaaaaaaaa";
    private DateTime _at = new(2026, 11, 20, 10, 0, 0, DateTimeKind.Utc);
    private PredictionChannel _channel = PredictionChannel.Browser;
    private double _latency = 12;
    private string _label = "cat";
    private double _confidence = 0.9;

    public PredictionRecordBuilder Owner(string owner) { _owner = owner; return this; }

    public PredictionRecordBuilder Model(string model) { _model = model; return this; }

    public PredictionRecordBuilder At(DateTime at) { _at = at; return this; }

    public PredictionRecordBuilder Channel(PredictionChannel channel) { _channel = channel; return this; }

    public PredictionRecordBuilder Latency(double ms) { _latency = ms; return this; }

    public PredictionRecordBuilder Label(string label) { _label = label; return this; }

    public PredictionRecordBuilder Confidence(double confidence) { _confidence = confidence; return this; }

    public PredictionRecord Build() => new()
    {
        OwnerId = _owner,
        ModelId = _model,
        At = _at,
        CallerId = _owner,
        Channel = _channel,
        LatencyMs = _latency,
        Label = _label,
        Confidence = _confidence,
        Uncertain = _confidence < 0.5,
    };
}
