using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Security;

/// <summary>
/// Counts wrong passwords per account and per client address. When either runs out, password
/// sign-in (only that) answers "try again in N seconds"; API keys, bearer tokens and open
/// sessions are never touched, so guessing someone's password cannot lock them out of their work.
/// Also meters every authentication attempt per address, for the Blazor forms that do not pass
/// through the HTTP rate limiter. Counts live in this process: with several instances each
/// counts on its own, which multiplies the allowance but keeps the bound.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _accounts;
    private readonly PartitionedRateLimiter<string> _addresses;
    private readonly PartitionedRateLimiter<string> _attempts;
    private readonly TimeSpan _refill;

    public LoginThrottle(IOptions<SecurityOptions> options)
    {
        var o = options.Value;
        _refill = TimeSpan.FromSeconds(o.FailureRefillSeconds);
        _accounts = Buckets(o.FailuresPerAccount, TimeSpan.FromSeconds(o.FailureRefillSeconds));
        _addresses = Buckets(o.FailuresPerAddress, TimeSpan.FromSeconds(o.FailureRefillSeconds));
        _attempts = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = o.AuthRequestsPerMinute,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
        }));
    }

    /// <summary>How long to wait before a password may be tried for this account from this address; null when it may be tried now.</summary>
    public TimeSpan? RetryAfter(string account, string address) =>
        Exhausted(_accounts, account) || (Known(address) && Exhausted(_addresses, address)) ? _refill : null;

    // A request whose address cannot be seen must not share one bucket with every other such
    // request: a stranger's guesses would then make sign-in wait for everybody. The per-account
    // allowance still holds for it.
    private static bool Known(string address) => address != ClientAddress.Unknown;

    // Asks without taking: a correct password after the allowance is spent must not be counted as a guess.
    private static bool Exhausted(PartitionedRateLimiter<string> limiter, string key) =>
        limiter.GetStatistics(key) is { CurrentAvailablePermits: <= 0 };

    public void RecordFailure(string account, string address)
    {
        _accounts.AttemptAcquire(account).Dispose();
        if (Known(address))
        {
            _addresses.AttemptAcquire(address).Dispose();
        }
    }

    /// <summary>Takes one authentication attempt from the address's allowance; the wait when there is none left.</summary>
    public TimeSpan? TakeAttempt(string address)
    {
        if (!Known(address))
        {
            return null;
        }

        using var lease = _attempts.AttemptAcquire(address);
        return Longest(lease);
    }

    private static TimeSpan? Longest(params RateLimitLease[] leases)
    {
        TimeSpan? wait = null;
        foreach (var lease in leases.Where(l => !l.IsAcquired))
        {
            var after = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(60);
            wait = wait is { } w && w > after ? w : after;
        }

        return wait;
    }

    private static PartitionedRateLimiter<string> Buckets(int size, TimeSpan refill) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = size,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = refill,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    public void Dispose()
    {
        _accounts.Dispose();
        _addresses.Dispose();
        _attempts.Dispose();
    }
}

/// <summary>Raised when password sign-in or registration must wait; answered as 429 with Retry-After.</summary>
public sealed class TooManyAttemptsException(TimeSpan retryAfter)
    : Exception($"Too many attempts; try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))} seconds.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;

    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
