namespace DiyMl.Domain.Common;

/// <summary>
/// The one place that decides who sees a resource: its owner. Anyone else is told it does not
/// exist (404), so ids of other people's things leak nothing.
/// </summary>
public static class Ownership
{
    public static T EnsureOwnedBy<T>(this T? resource, string userId, string resourceName, string id)
        where T : class, IOwned
    {
        if (resource is null || !string.Equals(resource.OwnerId, userId, StringComparison.Ordinal))
        {
            throw new NotFoundException(resourceName, id);
        }

        return resource;
    }
}
