using System.Collections;

namespace Horizon.Exchange.Storage;

/// <summary>
/// The change records of several appends within one transaction, read through rather than copied: in a group-committed
/// transaction each append's list is filled only when the batch is written (<see cref="BatchChanges"/>), so a copy made
/// inside the write would be empty and its changes never announced.
/// </summary>
internal sealed class JoinedChanges(params IReadOnlyList<ChangeRecord>[] parts) : IReadOnlyList<ChangeRecord>
{
    public int Count => parts.Sum(p => p.Count);

    public ChangeRecord this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            foreach (var part in parts)
            {
                if (index < part.Count)
                {
                    return part[index];
                }
                index -= part.Count;
            }
            throw new ArgumentOutOfRangeException(nameof(index));
        }
    }

    public IEnumerator<ChangeRecord> GetEnumerator() => parts.SelectMany(p => p).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
