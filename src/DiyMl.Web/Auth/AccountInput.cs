using System.ComponentModel.DataAnnotations;

namespace DiyMl.Web.Auth;

/// <summary>
/// The checks made before Identity is asked anything, shared by the REST endpoints and the
/// pages so both say the same thing. Lengths are capped first so a megabyte "e-mail" costs nothing.
/// </summary>
public static class AccountInput
{
    public const int MaxEmailLength = 256;

    public const int MaxPasswordLength = 128;

    private static readonly EmailAddressAttribute EmailFormat = new();

    public static string? EmailError(string? email)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            return "Enter your e-mail address.";
        }

        if (email.Length > MaxEmailLength)
        {
            return $"The e-mail address can be at most {MaxEmailLength} characters long.";
        }

        return EmailFormat.IsValid(email.Trim()) && email.Trim().Contains('.', StringComparison.Ordinal)
            ? null
            : "Enter a valid e-mail address, like name@example.org.";
    }

    public static string? PasswordPresenceError(string? password, string what = "your password")
    {
        if (string.IsNullOrEmpty(password))
        {
            return $"Enter {what}.";
        }

        return password.Length > MaxPasswordLength ? $"The password can be at most {MaxPasswordLength} characters long." : null;
    }

    /// <summary>Errors keyed by camelCase field name, empty when the input may go on to Identity.</summary>
    public static Dictionary<string, string[]> Validate(string? email, string? password)
    {
        var errors = new Dictionary<string, string[]>();
        if (EmailError(email) is { } emailError)
        {
            errors["email"] = [emailError];
        }

        if (PasswordPresenceError(password) is { } passwordError)
        {
            errors["password"] = [passwordError];
        }

        return errors;
    }
}
