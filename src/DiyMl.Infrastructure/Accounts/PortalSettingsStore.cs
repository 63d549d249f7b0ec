using DiyMl.Domain.Accounts;
using DiyMl.Domain.Common;
using DiyMl.Infrastructure.Storage;

namespace DiyMl.Infrastructure.Accounts;

internal sealed class PortalSettingsStore(IStorageEngine engine) : IPortalSettingsStore
{
    private readonly IDocumentCollection<PortalSettings> _settings = engine.Collection<PortalSettings>("portal_settings");

    private readonly IDocumentCollection<AppUser> _users = engine.Collection<AppUser>(AppUserStore.CollectionName);

    public async Task<PortalSettings> GetAsync(CancellationToken ct = default)
    {
        if (await _settings.GetAsync(PortalSettings.SingletonId, ct) is { } existing)
        {
            return existing;
        }

        // A portal that had accounts before this document existed already has its administrator.
        var created = new PortalSettings { FirstAdminId = await _users.CountAsync(u => u.Id != null, ct) > 0 ? "existing" : null };
        try
        {
            await _settings.InsertAsync(created, ct);
            return created;
        }
        catch (ConflictException)
        {
            // Another instance created it a moment ago; the _id is unique on every engine.
            return await _settings.GetAsync(PortalSettings.SingletonId, ct)
                ?? throw new InvalidOperationException("The portal settings document was created and then vanished.");
        }
    }

    public Task<bool> ReplaceAsync(PortalSettings settings, CancellationToken ct = default) => _settings.ReplaceAsync(settings, ct);
}
