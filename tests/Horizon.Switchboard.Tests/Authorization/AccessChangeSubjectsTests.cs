using Horizon.Exchange.Client;
using Horizon.Switchboard.Authorization;

namespace Horizon.Switchboard.Tests.Authorization;

public sealed class AccessChangeSubjectsTests
{
    [Theory]
    [InlineData("node", true)]
    [InlineData("agbot", true)]
    [InlineData("agbotpatterns", true)]
    [InlineData("agbotbusinesspols", true)]
    [InlineData("org", true)]
    [InlineData("agbotagreements", false)]
    [InlineData("service", false)]
    [InlineData("user", false)]
    public void ExchangeChangeOfResource_CallsForAResync_OnlyWhenItCanChangeAccess(string resource, bool affectsAccess)
    {
        Assert.Equal(affectsAccess, AccessChangeSubjects.AffectsAccess(ChangeSubjects.For("my.org", resource)));
    }

    [Theory]
    [InlineData("hzn.mbox.myorg.node")]
    [InlineData("node")]
    [InlineData("")]
    public void SubjectsOutsideTheChangeNotifications_DoNotCallForAResync(string subject)
    {
        Assert.False(AccessChangeSubjects.AffectsAccess(subject));
    }
}
