using Xunit;

namespace Horizon.Docker.Tests.Unit;

public sealed class PullReferenceTests
{
    [Theory]
    [InlineData("busybox", "busybox", "latest")]
    [InlineData("hzn/busybox:1.0", "hzn/busybox", "1.0")]
    [InlineData("127.0.0.1:5000/repo", "127.0.0.1:5000/repo", "latest")]
    [InlineData("127.0.0.1:5000/org/repo:2.1.0", "127.0.0.1:5000/org/repo", "2.1.0")]
    [InlineData("127.0.0.1:5000/repo@sha256:abc", "127.0.0.1:5000/repo@sha256:abc", null)]
    [InlineData(" repo:1 ", "repo", "1")]
    public void ForPull_SplitsTagFromRepository_ButNotARegistryPortOrDigest(string reference, string fromImage, string? tag) =>
        Assert.Equal((fromImage, tag), PullReference.ForPull(reference));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ForPull_OfAnEmptyReference_IsRejected(string reference) =>
        Assert.Throws<ArgumentException>(() => PullReference.ForPull(reference));

    [Fact]
    public void Credentials_WhenPrinted_DoNotShowThePassword() =>
        Assert.DoesNotContain("s3cret", new RegistryCredentials("me", "s3cret", "127.0.0.1:5000").ToString(), StringComparison.Ordinal);
}
