using System.Text.Json;
using Horizon.Switchboard.Addressing;
using NATS.NKeys;

namespace Horizon.Switchboard.Credentials;

/// <summary>The claims of the operator, account and user JWTs Horizon signs (nats-server 2.9, JWT version 2).</summary>
public static class NatsClaims
{
    /// <summary>The operator, self-signed: trusts its signing key and names the system account.</summary>
    public static string Operator(KeyPair operatorKey, string operatorSigningKey, string systemAccount, DateTimeOffset now) =>
        NatsJwt.Encode(operatorKey, now, w =>
        {
            w.WriteString("name", "horizon");
            w.WriteString("sub", operatorKey.GetPublicKey());
            w.WriteStartObject("nats");
            WriteStrings(w, "signing_keys", [operatorSigningKey]);
            w.WriteString("system_account", systemAccount);
            w.WriteString("type", "operator");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });

    /// <summary>The system account: unlimited, no JetStream.</summary>
    public static string SystemAccount(KeyPair operatorSigningKey, string account, string serviceSigningKey, DateTimeOffset now) =>
        NatsJwt.Encode(operatorSigningKey, now, w =>
        {
            w.WriteString("name", "SYS");
            w.WriteString("sub", account);
            w.WriteStartObject("nats");
            w.WriteStartObject("limits");
            WriteUnlimited(w, jetStream: false);
            w.WriteEndObject();
            WriteStrings(w, "signing_keys", [serviceSigningKey]);
            w.WriteString("type", "account");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });

    /// <summary>
    /// The Horizon account: JetStream on, one unscoped signing key for services (switchboard,
    /// exchange), one scoped key per party kind with its permission template, and the revocations.
    /// </summary>
    public static string Account(KeyPair operatorSigningKey, AccountDefinition account, IReadOnlyDictionary<string, long> revocations, DateTimeOffset now) =>
        NatsJwt.Encode(operatorSigningKey, now, w =>
        {
            w.WriteString("name", "HZN");
            w.WriteString("sub", account.Account);
            w.WriteStartObject("nats");
            w.WriteStartObject("limits");
            WriteUnlimited(w, jetStream: true);
            w.WriteEndObject();
            w.WriteStartArray("signing_keys");
            w.WriteStringValue(account.ServiceSigningKey);
            WriteScope(w, account.NodeSigningKey, PartyKind.Node);
            WriteScope(w, account.AgbotSigningKey, PartyKind.Agbot);
            w.WriteEndArray();
            if (revocations.Count > 0)
            {
                w.WriteStartObject("revocations");
                foreach (var (key, at) in revocations.OrderBy(r => r.Key, StringComparer.Ordinal))
                {
                    w.WriteNumber(key, at);
                }
                w.WriteEndObject();
            }
            w.WriteString("type", "account");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });

    /// <summary>
    /// A party's user JWT, signed by the scoped key of its kind: no permissions of its own, only
    /// its name (the party token) and the tags that fill the key's template.
    /// </summary>
    public static string Party(KeyPair scopedKey, string account, PartyAddress party, string userKey, IReadOnlyList<string> tags, DateTimeOffset now, DateTimeOffset expires) =>
        NatsJwt.Encode(scopedKey, now, w =>
        {
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteString("name", party.Token);
            w.WriteString("sub", userKey);
            w.WriteStartObject("nats");
            w.WriteString("issuer_account", account);
            WriteStrings(w, "tags", tags);
            w.WriteString("type", "user");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });

    /// <summary>
    /// A service's user JWT (switchboard, exchange), signed by the unscoped service key; null
    /// permission lists mean unrestricted.
    /// </summary>
    public static string Service(KeyPair serviceKey, string account, string name, string userKey, IReadOnlyList<string>? publish, IReadOnlyList<string>? subscribe, DateTimeOffset now) =>
        NatsJwt.Encode(serviceKey, now, w =>
        {
            w.WriteString("name", name);
            w.WriteString("sub", userKey);
            w.WriteStartObject("nats");
            WritePermissions(w, publish, subscribe);
            w.WriteNumber("subs", -1);
            w.WriteNumber("data", -1);
            w.WriteNumber("payload", -1);
            w.WriteString("issuer_account", account);
            w.WriteString("type", "user");
            w.WriteNumber("version", 2);
            w.WriteEndObject();
        });

    private static void WriteScope(Utf8JsonWriter w, string key, PartyKind kind)
    {
        w.WriteStartObject();
        w.WriteString("kind", "user_scope");
        w.WriteString("key", key);
        w.WriteString("role", PartyToken.KindName(kind));
        w.WriteStartObject("template");
        WritePermissions(w, PermissionTemplates.Publish(kind), PermissionTemplates.Subscribe(kind));
        w.WriteNumber("subs", -1);
        w.WriteNumber("data", -1);
        w.WriteNumber("payload", -1);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WritePermissions(Utf8JsonWriter w, IReadOnlyList<string>? publish, IReadOnlyList<string>? subscribe)
    {
        if (publish is not null)
        {
            w.WriteStartObject("pub");
            WriteStrings(w, "allow", publish);
            w.WriteEndObject();
        }
        if (subscribe is not null)
        {
            w.WriteStartObject("sub");
            WriteStrings(w, "allow", subscribe);
            w.WriteEndObject();
        }
    }

    private static void WriteUnlimited(Utf8JsonWriter w, bool jetStream)
    {
        foreach (var name in new[] { "subs", "data", "payload", "imports", "exports", "conn", "leaf" })
        {
            w.WriteNumber(name, -1);
        }
        w.WriteBoolean("wildcards", true);
        if (jetStream)
        {
            foreach (var name in new[] { "mem_storage", "disk_storage", "streams", "consumer" })
            {
                w.WriteNumber(name, -1);
            }
        }
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}

/// <summary>The public keys that make up the Horizon account: its own, and its three signing keys.</summary>
public sealed record AccountDefinition(string Account, string ServiceSigningKey, string NodeSigningKey, string AgbotSigningKey);
