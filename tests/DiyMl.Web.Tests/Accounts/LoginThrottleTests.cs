using DiyMl.Web.Security;
using Microsoft.Extensions.Options;

namespace DiyMl.Web.Tests.Accounts;

public sealed class LoginThrottleTests
{
    [Fact]
    public void Guesses_from_one_seen_address_across_accounts_make_that_address_wait()
    {
        using var throttle = new LoginThrottle(Options.Create(new SecurityOptions()));
        for (var i = 0; i < new SecurityOptions().FailuresPerAddress; i++)
        {
            throttle.RecordFailure($"victim-{i}@example.org", "203.0.113.7");
        }

        Assert.NotNull(throttle.RetryAfter("someone-else@example.org", "203.0.113.7"));
        Assert.Null(throttle.RetryAfter("someone-else@example.org", "203.0.113.8"));
    }

    [Fact]
    public void Requests_whose_address_cannot_be_seen_never_share_one_bucket()
    {
        // A sign-in form whose circuit has no visible address must not let one stranger's guesses
        // make everybody else's sign-in wait; the per-account allowance still applies.
        using var throttle = new LoginThrottle(Options.Create(new SecurityOptions()));
        for (var i = 0; i < 3 * new SecurityOptions().FailuresPerAddress; i++)
        {
            throttle.RecordFailure($"victim-{i}@example.org", ClientAddress.Unknown);
            Assert.Null(throttle.TakeAttempt(ClientAddress.Unknown));
        }

        Assert.Null(throttle.RetryAfter("someone-else@example.org", ClientAddress.Unknown));
        for (var i = 0; i < new SecurityOptions().FailuresPerAccount; i++)
        {
            throttle.RecordFailure("target@example.org", ClientAddress.Unknown);
        }

        Assert.NotNull(throttle.RetryAfter("target@example.org", ClientAddress.Unknown));
    }
}
