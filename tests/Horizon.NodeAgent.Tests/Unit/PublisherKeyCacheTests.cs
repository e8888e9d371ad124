using Horizon.NodeAgent.Decisions;
using Horizon.Patterns.Signing;
using Xunit;

namespace Horizon.NodeAgent.Tests.Unit;

public sealed class PublisherKeyCacheTests
{
    private const string Deployment = "{\"services\":{\"web\":{\"image\":\"x\"}}}";

    [Fact]
    public void SameKey_IsParsedOnce_AndStillVerifies()
    {
        var publisher = SigningKeys.Create();
        var signature = DeploymentSigner.Sign(Deployment, publisher.PrivateKeyPem);

        Assert.True(PublisherKeyCache.Verify(Deployment, signature, publisher.PublicKeyPem));
        var held = PublisherKeyCache.Count;
        for (var i = 0; i < 5; i++)
        {
            Assert.True(PublisherKeyCache.Verify(Deployment, signature, publisher.PublicKeyPem));
        }

        Assert.Equal(held, PublisherKeyCache.Count);
    }

    [Fact]
    public void CachedKey_RefusesTamperedDeployment_AndAnotherSignersSignature()
    {
        var publisher = SigningKeys.Create();
        var other = SigningKeys.Create();
        var signature = DeploymentSigner.Sign(Deployment, publisher.PrivateKeyPem);
        Assert.True(PublisherKeyCache.Verify(Deployment, signature, publisher.PublicKeyPem));

        Assert.False(PublisherKeyCache.Verify(Deployment.Replace("x", "y", StringComparison.Ordinal), signature, publisher.PublicKeyPem));
        Assert.False(PublisherKeyCache.Verify(Deployment, DeploymentSigner.Sign(Deployment, other.PrivateKeyPem), publisher.PublicKeyPem));
        Assert.False(PublisherKeyCache.Verify(Deployment, "not base64!", publisher.PublicKeyPem));
    }

    [Fact]
    public void MalformedKey_Throws_AndIsNotCached()
    {
        var signature = DeploymentSigner.Sign(Deployment, SigningKeys.Create().PrivateKeyPem);
        const string garbage = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n";

        Assert.Throws<SigningKeyException>(() => PublisherKeyCache.Verify(Deployment, signature, garbage));
        Assert.Throws<SigningKeyException>(() => PublisherKeyCache.Verify(Deployment, signature, garbage));
    }

    [Fact]
    public async Task ConcurrentChecks_OnOneCachedKey_AllVerify()
    {
        var publisher = SigningKeys.Create();
        var signature = DeploymentSigner.Sign(Deployment, publisher.PrivateKeyPem);

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => PublisherKeyCache.Verify(Deployment, signature, publisher.PublicKeyPem))));

        Assert.All(results, Assert.True);
    }
}
