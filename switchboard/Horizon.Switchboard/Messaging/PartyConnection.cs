using Horizon.Switchboard.Addressing;
using Horizon.Switchboard.Credentials;
using Horizon.Switchboard.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NATS.Client.Core;

namespace Horizon.Switchboard.Messaging;

/// <summary>
/// A node's or agbot's own NATS connection, logged in with a user JWT the switchboard issued for
/// the party's identity key (or anonymously, without a switchboard: a development server without
/// authentication). The JWT is renewed at four fifths of its life and the connection
/// re-established with it (the mailbox catches up after the reconnect, so nothing is lost), and
/// whenever the party must write to an org its JWT does not name yet.
/// </summary>
public sealed partial class PartyConnection : ISendPermissions, IAsyncDisposable
{
    private static readonly TimeSpan MinimumRenewalGap = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ReopenWait = TimeSpan.FromSeconds(10);
    private readonly PartyKeys _keys;
    private readonly SwitchboardClient? _switchboard;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private IssuedCredentials? _current;
    private DateTimeOffset _lastRenewal = DateTimeOffset.MinValue;
    private Task? _renewals;
    private int _disposed;

    private PartyConnection(PartyAddress self, PartyKeys keys, string natsUrl, SwitchboardClient? switchboard, ILoggerFactory loggerFactory, TimeProvider time)
    {
        Self = self;
        _keys = keys;
        _switchboard = switchboard;
        _time = time;
        _logger = loggerFactory.CreateLogger<PartyConnection>();
        var options = NatsConnections.ForParty(natsUrl, self, loggerFactory);
        Connection = new NatsConnection(switchboard is null ? options : options with
        {
            AuthOpts = NatsAuthOpts.Default with { AuthCredCallback = AuthenticateAsync },
        });
    }

    public PartyAddress Self { get; }

    public NatsConnection Connection { get; }

    /// <summary>The credentials in use, once connected.</summary>
    public IssuedCredentials? Credentials => Volatile.Read(ref _current);

    /// <summary>A connection for <paramref name="self"/>, not yet open; without <paramref name="switchboard"/> it logs in anonymously.</summary>
    public static PartyConnection Create(PartyAddress self, PartyKeys keys, string natsUrl, SwitchboardClient? switchboard,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(self);
        ArgumentNullException.ThrowIfNull(keys);
        return new PartyConnection(self, keys, natsUrl, switchboard, loggerFactory ?? NullLoggerFactory.Instance, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Creates and opens a connection (see <see cref="OpenAsync"/>); disposes it when opening fails.</summary>
    /// <exception cref="CredentialsRefusedException">The switchboard does not accept the party's key.</exception>
    /// <exception cref="MessagingException">The switchboard or NATS cannot be reached.</exception>
    public static async Task<PartyConnection> ConnectAsync(PartyAddress self, PartyKeys keys, string natsUrl, SwitchboardClient? switchboard,
        ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        var party = Create(self, keys, natsUrl, switchboard, loggerFactory, timeProvider);
        try
        {
            await party.OpenAsync(cancellationToken);
            return party;
        }
        catch
        {
            await party.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Obtains credentials from the switchboard and connects, so that a refusal surfaces here rather
    /// than in the client's reconnect loop; then keeps renewing them before they expire.
    /// </summary>
    /// <exception cref="CredentialsRefusedException">The switchboard does not accept the party's key.</exception>
    /// <exception cref="MessagingException">The switchboard or NATS cannot be reached.</exception>
    public async Task OpenAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            if (_switchboard is not null && Credentials is null)
            {
                await RenewAsync(cancellationToken);
            }
            await Connection.ConnectAsync();
        }
        catch (Exception e) when (MessagingException.IsNatsFailure(e) && !cancellationToken.IsCancellationRequested)
        {
            throw MessagingException.From(e, $"connecting {Self} to NATS");
        }
        if (_switchboard is not null && _renewals is null)
        {
            _renewals = RenewBeforeExpiryAsync(_stopping.Token);
        }
    }

    public async ValueTask<bool> MayWriteToAsync(PartyAddress recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (_switchboard is null || Permits(recipient))
        {
            return true;
        }
        // Served orgs change (an agbot takes on another org's pattern); the JWT says what they were
        // when it was issued. Ask again, at most every few seconds so a refused peer costs little.
        if (_time.GetUtcNow() - _lastRenewal < MinimumRenewalGap)
        {
            return false;
        }
        await RenewAsync(cancellationToken);
        if (!Permits(recipient))
        {
            return false;
        }
        await ReconnectWithRenewedCredentialsAsync(cancellationToken);
        return true;
    }

    // ReconnectAsync only starts the reconnection: a publish or subscription made before the new
    // connection is open still goes out under the old JWT and is refused (a refused subscription
    // silently hears nothing). Callers are told "yes" once the connection with the new JWT is open.
    private async Task ReconnectWithRenewedCredentialsAsync(CancellationToken cancellationToken)
    {
        var reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ValueTask OnOpened(object? sender, NatsEventArgs args)
        {
            reopened.TrySetResult();
            return ValueTask.CompletedTask;
        }
        Connection.ConnectionOpened += OnOpened;
        try
        {
            await Connection.ReconnectAsync();
            await reopened.Task.WaitAsync(ReopenWait, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Still reconnecting (the server is slow or away); the client keeps trying on its own.
        }
        finally
        {
            Connection.ConnectionOpened -= OnOpened;
        }
    }

    private bool Permits(PartyAddress recipient) => Credentials?.PeerOrgs.Contains(recipient.OrgToken, StringComparer.Ordinal) == true;

    private async ValueTask<NatsAuthCred> AuthenticateAsync(Uri server, CancellationToken cancellationToken)
    {
        var current = Credentials;
        if (current is null || _time.GetUtcNow() >= RenewalDue(current))
        {
            await RenewAsync(cancellationToken);
            current = Credentials!;
        }
        return NatsAuthCred.FromJwt(current.Jwt, _keys.IdentitySeed);
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await _renewing.WaitAsync(cancellationToken);
        try
        {
            var issued = await _switchboard!.ObtainAsync(Self, _keys, cancellationToken);
            Volatile.Write(ref _current, issued);
            _lastRenewal = _time.GetUtcNow();
            LogRenewed(_logger, Self, issued.ExpiresAt);
        }
        finally
        {
            _renewing.Release();
        }
    }

    private static DateTimeOffset RenewalDue(IssuedCredentials credentials) =>
        credentials.IssuedAt + ((credentials.ExpiresAt - credentials.IssuedAt) * 0.8);

    private async Task RenewBeforeExpiryAsync(CancellationToken stopping)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var due = RenewalDue(Credentials!) - _time.GetUtcNow();
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, _time, stopping);
                }
                await RenewAsync(stopping);
                await Connection.ReconnectAsync();
                retry = TimeSpan.FromSeconds(1);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (MessagingException e)
            {
                LogRenewalFailed(_logger, Self, retry, e.Message);
                await Task.Delay(retry, _time, stopping).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A host disposes a connection registered under several service types once per registration.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stopping.CancelAsync();
        if (_renewals is not null)
        {
            await _renewals.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
        await Connection.DisposeAsync();
        _stopping.Dispose();
        _renewing.Dispose();
    }

    [LoggerMessage(EventId = 6501, Level = LogLevel.Debug, Message = "NATS credentials of {Party} issued, valid until {ExpiresAt}")]
    private static partial void LogRenewed(ILogger logger, PartyAddress party, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 6502, Level = LogLevel.Warning, Message = "Renewing the NATS credentials of {Party} failed; again in {Retry}: {Error}")]
    private static partial void LogRenewalFailed(ILogger logger, PartyAddress party, TimeSpan retry, string error);
}
