using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using DiyMl.Web.Tests.Infrastructure;

namespace DiyMl.Web.Tests.Accounts;

/// <summary>Guessing someone's password slows down and then refuses password sign-in, and never locks the owner out of their work.</summary>
public sealed class BruteForceTests(ThrottledPortal portal) : IClassFixture<ThrottledPortal>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Five_wrong_passwords_leave_the_victims_api_key_and_bearer_working_while_further_guesses_get_429()
    {
        var email = PortalFactory.NewEmail("victim");
        var victim = await portal.CreateUserClientAsync(email);
        var key = await SecurityTestSteps.CreateApiKeyAsync(victim);
        var attacker = portal.CreateClient();

        for (var guess = 1; guess <= 5; guess++)
        {
            using var wrong = await attacker.PostAsJsonAsync("/api/auth/login", new { email, password = $"Guess-{guess}-x" }, Ct);
            await ApiAssert.ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        }

        using var sixth = await attacker.PostAsJsonAsync("/api/auth/login", new { email, password = "Guess-6-x" }, Ct);
        var problem = await ApiAssert.ProblemAsync(sixth, HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(sixth.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("try again in", problem.GetProperty("detail").GetString());

        using var byBearer = await victim.GetAsync("/api/datasets", Ct);
        using var byKey = await SecurityTestSteps.WithApiKey(portal, key).GetAsync("/api/datasets", Ct);
        Assert.Equal(HttpStatusCode.OK, byBearer.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byKey.StatusCode);

        // Password sign-in (only) waits, for the owner too: the guesses cannot be told apart from them.
        using var right = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = PortalFactory.Password }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }

    [Fact]
    public async Task Guesses_against_one_account_do_not_slow_down_another()
    {
        var target = PortalFactory.NewEmail("target");
        await portal.CreateUserClientAsync(target);
        var bystander = PortalFactory.NewEmail("bystander");
        await portal.CreateUserClientAsync(bystander);
        var client = portal.CreateClient();
        for (var guess = 1; guess <= 6; guess++)
        {
            (await client.PostAsJsonAsync("/api/auth/login", new { email = target, password = $"Guess-{guess}-x" }, Ct)).Dispose();
        }

        var tokens = await PortalFactory.LoginAsync(client, bystander);

        Assert.False(string.IsNullOrEmpty(tokens.AccessToken));
    }

    [Fact]
    public async Task Wrong_and_unknown_accounts_cost_about_the_same_time()
    {
        var known = PortalFactory.NewEmail("known");
        await portal.CreateUserClientAsync(known);
        var client = portal.CreateClient();

        // Wrong passwords for a known account would soon be throttled; the right one costs the same PBKDF2 work plus the token.
        // A fresh unknown address each time: the same one would be throttled after five tries, like a known one.
        async Task<double> MedianMsAsync(Func<string> email, string password)
        {
            var times = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await client.PostAsJsonAsync("/api/auth/login", new { email = email(), password }, Ct);
                times.Add(watch.Elapsed.TotalMilliseconds);
                Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
            }

            times.Sort();
            return times[times.Count / 2];
        }

        await MedianMsAsync(() => PortalFactory.NewEmail("warm-up"), "Warm-up-1"); // JIT and the dummy hash
        var knownMs = await MedianMsAsync(() => known, PortalFactory.Password);
        var unknownMs = await MedianMsAsync(() => PortalFactory.NewEmail("nobody"), "Wrong-Horse-1");
        var ratio = knownMs / unknownMs;
        TestContext.Current.TestOutputHelper?.WriteLine($"LOGIN-TIMING median of 20: known {knownMs:F1} ms, unknown {unknownMs:F1} ms, ratio {ratio:F2}");

        // Before the dummy hash the ratio was ~65 (0.39 s vs 0.006 s); a generous bound that only that gap breaks.
        Assert.InRange(ratio, 0.2, 5);
    }
}

/// <summary>Limits per client address: any accounts, and every authentication request.</summary>
public sealed class AddressThrottleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wrong_passwords_from_one_address_across_accounts_are_refused_with_429()
    {
        await using var portal = new PortalFactory();
        portal.Settings["Security:FailuresPerAddress"] = "3";
        var client = portal.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsJsonAsync("/api/auth/login", new { email = PortalFactory.NewEmail("spray"), password = "Spray-1-x" }, Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/auth/login", new { email = PortalFactory.NewEmail("spray"), password = "Spray-1-x" }, Ct);
        await ApiAssert.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Registrations_from_one_address_are_rate_limited()
    {
        await using var portal = new PortalFactory();
        portal.Settings["Security:AuthRequestsPerMinute"] = "3";
        var client = portal.CreateClient();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail(), password = PortalFactory.Password }, Ct);
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        using var refused = await client.PostAsJsonAsync("/api/auth/register", new { email = PortalFactory.NewEmail(), password = PortalFactory.Password }, Ct);
        await ApiAssert.ProblemAsync(refused, HttpStatusCode.TooManyRequests);
        Assert.True(refused.Headers.RetryAfter is not null || refused.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task A_disabled_account_is_refused_with_a_plain_reason_only_after_the_right_password()
    {
        await using var portal = new PortalFactory();
        var admin = await portal.CreateUserClientAsync();
        var email = PortalFactory.NewEmail();
        await portal.CreateUserClientAsync(email);
        var id = await SecurityTestSteps.UserIdAsync(portal, email);
        (await admin.PostAsync($"/api/admin/users/{id}/lock", null, Ct)).EnsureSuccessStatusCode();

        using var wrong = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "Wrong-Horse-1" }, Ct);
        using var right = await portal.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = PortalFactory.Password }, Ct);

        Assert.Contains("wrong", (await ApiAssert.ProblemAsync(wrong, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
        Assert.Contains("locked", (await ApiAssert.ProblemAsync(right, HttpStatusCode.Unauthorized)).GetProperty("detail").GetString());
    }
}
