using DiyMl.Domain.Common;

namespace DiyMl.Domain.Datasets;

/// <summary>Rules for class (label) names and dataset names, shared by every way they are typed in.</summary>
public static class ClassNames
{
    public const int MaxLength = 64;

    /// <summary>Trims and checks a class name; throws with the field a person should fix.</summary>
    public static string Validate(string? name, string field = "name")
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainValidationException(field, "A class needs a name.");
        }

        if (trimmed.Length > MaxLength)
        {
            throw new DomainValidationException(field, $"A class name can be at most {MaxLength} characters.");
        }

        if (trimmed.Any(char.IsControl))
        {
            throw new DomainValidationException(field, "A class name cannot contain control characters.");
        }

        return trimmed;
    }

    /// <summary>The existing spelling of a class that matches ignoring case, so "Cat" and "cat" stay one class.</summary>
    public static string? FindExisting(IEnumerable<string> classes, string name) =>
        classes.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));

    public static string ValidateDatasetName(string? name)
    {
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw new DomainValidationException("name", "Give the dataset a name.");
        }

        if (trimmed.Length > 100 || trimmed.Any(char.IsControl))
        {
            throw new DomainValidationException("name", "A dataset name is at most 100 characters, without control characters.");
        }

        return trimmed;
    }

    public static string ValidateDescription(string? description)
    {
        var text = description?.Trim() ?? "";
        return text.Length <= 2000
            ? text
            : throw new DomainValidationException("description", "A description can be at most 2000 characters.");
    }
}
