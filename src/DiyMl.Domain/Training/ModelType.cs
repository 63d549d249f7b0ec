namespace DiyMl.Domain.Training;

public enum ParameterType
{
    Number,
    Integer,
    Boolean,
}

/// <summary>One tunable setting of a model type, with its default and allowed range.</summary>
public sealed record ModelParameter(
    string Name,
    string Label,
    string Help,
    ParameterType Type,
    double Default,
    double Min,
    double Max,
    bool Advanced = false);

/// <summary>An entry of the model catalog: what it is, what it is good at, how long it takes.</summary>
public sealed record ModelType(
    string Id,
    string Name,
    string Description,
    string GoodFor,
    string Duration,
    bool IsDefault,
    IReadOnlyList<ModelParameter> Parameters);
