using System.ComponentModel.DataAnnotations;

namespace DiyMl.Web.Auth;

/// <summary>
/// Identity's password rules in words, checked all at once so the form can name every rule a
/// password still misses, instead of revealing them one failed attempt at a time.
/// Keep in step with the Identity options in <see cref="AuthServiceCollectionExtensions"/>.
/// </summary>
public static class PasswordRules
{
    public const string Summary = "At least 8 characters, with a digit, an upper-case and a lower-case letter and a symbol.";

    public static IReadOnlyList<string> Missing(string? password)
    {
        var p = password ?? "";
        var missing = new List<string>();
        if (p.Length < 8)
        {
            missing.Add("at least 8 characters");
        }

        if (!p.Any(char.IsAsciiDigit))
        {
            missing.Add("a digit");
        }

        if (!p.Any(char.IsUpper))
        {
            missing.Add("an upper-case letter");
        }

        if (!p.Any(char.IsLower))
        {
            missing.Add("a lower-case letter");
        }

        if (p.All(char.IsLetterOrDigit))
        {
            missing.Add("a symbol such as - or !");
        }

        return missing;
    }
}

/// <summary>Fails with one message that lists every rule the password still misses.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StrongPasswordAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        if (value is not string { Length: > 0 } password)
        {
            return ValidationResult.Success; // [Required] speaks for an empty field
        }

        var missing = PasswordRules.Missing(password);
        return missing.Count == 0
            ? ValidationResult.Success
            : new ValidationResult("The password still needs " + string.Join(", ", missing) + ".", [validationContext.MemberName!]);
    }
}
