using Horizon.Agreements;

namespace Horizon.NodeAgent.Upgrades;

/// <summary>
/// What the node makes of an <c>update</c> before any image is touched: answer at once
/// (<see cref="Reply"/> set), ignore a repeat of the update under way (neither set), or go on to
/// check the <see cref="Terms"/> as a proposal is checked.
/// </summary>
public sealed record UpgradeScreening(UpdateAgreementReply? Reply, AgreementTerms? Terms, AgreementTerms? OldTerms)
{
    public static UpgradeScreening Answer(UpdateAgreementReply reply) => new(reply, null, null);

    public static UpgradeScreening AlreadyUnderWay { get; } = new(null, null, null);

    public static UpgradeScreening Proceed(AgreementTerms terms, AgreementTerms oldTerms) => new(null, terms, oldTerms);
}
