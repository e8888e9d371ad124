using Horizon.Exchange.Enrollment;
using Horizon.Testing;
using Xunit;

namespace Horizon.Exchange.Tests;

/// <summary>
/// The HTTPS certificate and the TLS context handshakes take (made once per certificate, not per connection) are
/// always the same certificate, before and after the certificate is made again at two thirds of its life.
/// </summary>
public sealed class ExchangeServerCertificateTests
{
    [Fact]
    public void TheHandshakesContext_IsTheCurrentCertificates_AndIsMadeAgainWithIt()
    {
        using var directory = new TempDirectory("hzn-https-cert");
        var time = new ManualTimeProvider();
        using var ca = DeviceCertificateAuthority.LoadOrCreate(directory.Combine("ca"), time);
        using var server = new ExchangeServerCertificate(ca, new ExchangeHttpsOptions { Names = "localhost", CertificateLifetime = TimeSpan.FromDays(30) }, time);

        var first = server.Current;
        Assert.Same(server.CurrentContext, server.CurrentContext);
        Assert.Equal(first.Thumbprint, server.CurrentContext.TargetCertificate.Thumbprint);

        time.Advance(TimeSpan.FromDays(19));
        Assert.Equal(first.Thumbprint, server.CurrentContext.TargetCertificate.Thumbprint);

        time.Advance(TimeSpan.FromDays(2));
        var renewed = server.CurrentContext.TargetCertificate;
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        Assert.Equal(server.Current.Thumbprint, renewed.Thumbprint);
        Assert.True(renewed.NotAfter.ToUniversalTime() > time.GetUtcNow().UtcDateTime.AddDays(29));
    }
}
