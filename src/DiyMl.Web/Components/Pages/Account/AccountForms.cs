using System.ComponentModel.DataAnnotations;
using DiyMl.Web.Auth;

namespace DiyMl.Web.Components.Pages.Account;

/// <summary>What the log-in form collects; the messages are the ones people see under each field.</summary>
public sealed class LoginForm
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [MaxLength(AccountInput.MaxEmailLength, ErrorMessage = "The e-mail address can be at most 256 characters long.")]
    [EmailAddress(ErrorMessage = "Enter a valid e-mail address, like name@example.org.")]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Enter your password.")]
    [MaxLength(AccountInput.MaxPasswordLength, ErrorMessage = "The password can be at most 128 characters long.")]
    public string? Password { get; set; }

    public bool RememberMe { get; set; }
}

public sealed class RegisterForm
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [MaxLength(AccountInput.MaxEmailLength, ErrorMessage = "The e-mail address can be at most 256 characters long.")]
    [EmailAddress(ErrorMessage = "Enter a valid e-mail address, like name@example.org.")]
    public string? Email { get; set; }

    [Required(ErrorMessage = "Choose a password.")]
    [StrongPassword]
    [MaxLength(AccountInput.MaxPasswordLength, ErrorMessage = "The password can be at most 128 characters long.")]
    public string? Password { get; set; }

    [Required(ErrorMessage = "Type the password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    public string? ConfirmPassword { get; set; }
}

public sealed class ChangePasswordForm
{
    [Required(ErrorMessage = "Enter your current password.")]
    public string? CurrentPassword { get; set; }

    [Required(ErrorMessage = "Choose a new password.")]
    [StrongPassword]
    [MaxLength(AccountInput.MaxPasswordLength, ErrorMessage = "The password can be at most 128 characters long.")]
    public string? NewPassword { get; set; }

    [Required(ErrorMessage = "Type the new password again.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two passwords are not the same.")]
    public string? ConfirmPassword { get; set; }
}
