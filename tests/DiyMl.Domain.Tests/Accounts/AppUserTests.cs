using DiyMl.Domain.Accounts;

namespace DiyMl.Domain.Tests.Accounts;

public sealed class AppUserTests
{
    private static readonly DateTime Now = new(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_lockout_in_the_future_locks_and_one_in_the_past_does_not()
    {
        Assert.True(new AppUser { LockoutEndUtc = Now.AddMinutes(1) }.IsLockedOutAt(Now));
        Assert.False(new AppUser { LockoutEndUtc = Now.AddMinutes(-1) }.IsLockedOutAt(Now));
        Assert.False(new AppUser().IsLockedOutAt(Now));
    }

    [Fact]
    public void Admin_role_makes_an_admin()
    {
        Assert.True(new AppUser { Roles = [AppRoles.Admin] }.IsAdmin);
        Assert.False(new AppUser { Roles = [AppRoles.User] }.IsAdmin);
    }
}
