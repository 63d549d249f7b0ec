using DiyMl.Domain.Common;
using DiyMl.Domain.Training;

namespace DiyMl.Domain.Tests.Training;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Exactly_one_model_type_is_the_default_and_it_is_resnet_with_logistic_regression()
    {
        Assert.Equal(ModelCatalog.ResNetLbfgs, ModelCatalog.Default.Id);
        Assert.Single(ModelCatalog.All, t => t.IsDefault);
    }

    [Fact]
    public void Missing_parameters_take_their_defaults()
    {
        var (type, parameters) = ModelCatalog.Resolve(ModelCatalog.Pixels, new Dictionary<string, double> { ["size"] = 16 });

        Assert.Equal(ModelCatalog.Pixels, type.Id);
        Assert.Equal(16, parameters["size"]);
        Assert.Equal(0.2, parameters[ModelCatalog.ValidationSplit]);
    }

    [Theory]
    [InlineData("size", 4, "parameters.size")]
    [InlineData("size", 12.5, "parameters.size")]
    [InlineData("validationSplit", 0.9, "parameters.validationSplit")]
    [InlineData("learningRate", 0.1, "parameters.learningRate")]
    public void Bad_parameters_are_refused_naming_the_field(string name, double value, string field)
    {
        var error = Assert.Throws<DomainValidationException>(() =>
            ModelCatalog.Resolve(ModelCatalog.Pixels, new Dictionary<string, double> { [name] = value }));

        Assert.Contains(field, error.Errors.Keys);
    }

    [Fact]
    public void Unknown_model_type_is_refused_naming_the_field()
    {
        var error = Assert.Throws<DomainValidationException>(() => ModelCatalog.Resolve("gpt-9", null));

        Assert.Contains("modelType", error.Errors.Keys);
    }
}
