namespace Horizon.Patterns.Constraints;

internal enum ComparisonOutcome
{
    Satisfied,
    Unmet,
    Missing,
    OperandNotConvertible,
    OperatorNotApplicable,
}
