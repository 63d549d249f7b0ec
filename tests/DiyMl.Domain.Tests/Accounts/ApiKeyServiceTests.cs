using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;

namespace DiyMl.Domain.Tests.Accounts;

public sealed class ApiKeyServiceTests
{
    private readonly InMemoryApiKeyStore _store = new();
    private readonly ApiKeyService _service;

    public ApiKeyServiceTests() => _service = new ApiKeyService(_store, TimeProvider.System);

    [Fact]
    public async Task A_created_key_verifies_and_only_its_hash_is_stored()
    {
        var created = await _service.CreateAsync("owner-a", "  nightly  ");

        var verified = await _service.VerifyAsync(created.Key);

        Assert.Equal(created.Entity.Id, verified?.Id);
        Assert.Equal("nightly", created.Entity.Name);
        Assert.StartsWith($"dml_{created.Entity.Id}_", created.Key);
        Assert.DoesNotContain(created.Key, _store.Keys.Values.Select(k => k.HashHex));
        Assert.Equal(ApiKeyService.Hash(created.Key), _store.Keys[created.Entity.Id].HashHex);
        Assert.Equal(created.Key[^4..], created.Entity.Hint);
    }

    [Fact]
    public async Task Keys_are_different_every_time()
    {
        var first = await _service.CreateAsync("owner-a", "one");
        var second = await _service.CreateAsync("owner-a", "two");

        Assert.NotEqual(first.Key, second.Key);
        Assert.True(first.Key.Length > 60);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("dml_")]
    [InlineData("dml_0123456789abcdef01234567_guess")]
    [InlineData("Bearer something")]
    public async Task Malformed_or_unknown_keys_do_not_verify(string? presented)
    {
        await _service.CreateAsync("owner-a", "real");

        Assert.Null(await _service.VerifyAsync(presented));
    }

    [Fact]
    public async Task A_key_with_a_changed_secret_does_not_verify()
    {
        var created = await _service.CreateAsync("owner-a", "real");
        var tampered = created.Key[..^1] + (created.Key[^1] == 'A' ? 'B' : 'A');

        Assert.Null(await _service.VerifyAsync(tampered));
    }

    [Fact]
    public async Task A_revoked_key_no_longer_verifies()
    {
        var created = await _service.CreateAsync("owner-a", "real");

        await _service.RevokeAsync("owner-a", created.Entity.Id);

        Assert.Null(await _service.VerifyAsync(created.Key));
    }

    [Fact]
    public async Task Someone_elses_key_is_not_found_and_survives()
    {
        var created = await _service.CreateAsync("owner-a", "real");

        await Assert.ThrowsAsync<NotFoundException>(() => _service.RevokeAsync("owner-b", created.Entity.Id));
        Assert.NotNull(await _service.VerifyAsync(created.Key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    public async Task A_key_needs_a_name(string? name)
    {
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => _service.CreateAsync("owner-a", name));

        Assert.True(error.Errors.ContainsKey("name"));
    }

    [Fact]
    public async Task An_overlong_name_is_refused()
    {
        var error = await Assert.ThrowsAsync<DomainValidationException>(() => _service.CreateAsync("owner-a", new string('x', 101)));

        Assert.Contains("100", error.Errors["name"][0]);
    }

    [Fact]
    public async Task Keys_per_user_are_capped()
    {
        for (var i = 0; i < ApiKeyService.MaxKeysPerUser; i++)
        {
            await _service.CreateAsync("owner-a", $"key {i}");
        }

        await Assert.ThrowsAsync<LimitExceededException>(() => _service.CreateAsync("owner-a", "one too many"));
        Assert.NotNull(await _service.CreateAsync("owner-b", "another person's first"));
    }

    private sealed class InMemoryApiKeyStore : IApiKeyStore
    {
        public Dictionary<string, ApiKey> Keys { get; } = [];

        public Task<ApiKey?> GetAsync(string id, CancellationToken ct = default) => Task.FromResult(Keys.GetValueOrDefault(id));

        public Task<Page<ApiKey>> ListByOwnerAsync(string ownerId, CancellationToken ct = default)
        {
            var items = Keys.Values.Where(k => k.OwnerId == ownerId).ToList();
            return Task.FromResult(new Page<ApiKey>(items, items.Count));
        }

        public Task<long> CountByOwnerAsync(string ownerId, CancellationToken ct = default) =>
            Task.FromResult((long)Keys.Values.Count(k => k.OwnerId == ownerId));

        public Task InsertAsync(ApiKey key, CancellationToken ct = default)
        {
            Keys.Add(key.Id, key);
            return Task.CompletedTask;
        }

        public Task<bool> DeleteAsync(string id, CancellationToken ct = default) => Task.FromResult(Keys.Remove(id));

        public Task<bool> TouchAsync(ApiKey key, CancellationToken ct = default) => Task.FromResult(true);
    }
}
