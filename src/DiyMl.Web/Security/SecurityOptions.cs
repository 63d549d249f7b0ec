using System.ComponentModel.DataAnnotations;

namespace DiyMl.Web.Security;

/// <summary>
/// Section <c>Security</c>: how hard password guessing is made and how fast a revoked session
/// ends. The defaults suit a classroom behind one address; raise the per-address figures when
/// many people sign in through one proxy or NAT.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    /// <summary>Wrong passwords for one account before password sign-in to it is refused for a while.</summary>
    [Range(1, 1000)]
    public int FailuresPerAccount { get; set; } = 5;

    /// <summary>Wrong passwords from one client address (any accounts) before it is refused for a while.</summary>
    [Range(1, 100_000)]
    public int FailuresPerAddress { get; set; } = 20;

    /// <summary>One more guess is allowed again after this many seconds.</summary>
    [Range(1, 86_400)]
    public int FailureRefillSeconds { get; set; } = 60;

    /// <summary>Log-in, register and refresh requests per client address per minute (REST and forms).</summary>
    [Range(1, 1_000_000)]
    public int AuthRequestsPerMinute { get; set; } = 30;

    /// <summary>How often cookies, circuits and hub connections re-check that their account is still allowed in.</summary>
    [Range(1, 3600)]
    public int SessionCheckSeconds { get; set; } = 5;
}
