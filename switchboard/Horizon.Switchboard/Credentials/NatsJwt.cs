using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Horizon.Switchboard.Keys;
using NATS.NKeys;
using NSec.Cryptography;

namespace Horizon.Switchboard.Credentials;

/// <summary>
/// NATS JWTs (version 2), the format nats-server's decentralized authentication reads: base64url of
/// the header <c>{"typ":"JWT","alg":"ed25519-nkey"}</c>, base64url of the claims, and base64url of
/// the issuer nkey's Ed25519 signature over the first two parts joined by a dot. The claims carry
/// <c>jti</c> (a hash of the claims, so the server can tell an identical update), <c>iat</c>,
/// <c>iss</c> (the signing key's public nkey) and what the caller writes.
/// </summary>
public static class NatsJwt
{
    private static readonly string Header = Base64Url("{\"typ\":\"JWT\",\"alg\":\"ed25519-nkey\"}"u8);

    /// <summary>Signs claims written by <paramref name="writeClaims"/> (inside the top-level object, after <c>jti</c>, <c>iat</c> and <c>iss</c>).</summary>
    public static string Encode(KeyPair issuer, DateTimeOffset issuedAt, Action<Utf8JsonWriter> writeClaims)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(writeClaims);
        var issuerKey = issuer.GetPublicKey();
        var unidentified = WriteClaims(null, issuedAt, issuerKey, writeClaims);
        var id = Base32NoPadding(SHA256.HashData(unidentified));
        var claims = WriteClaims(id, issuedAt, issuerKey, writeClaims);
        var signingInput = $"{Header}.{Base64Url(claims)}";
        var signature = new byte[64];
        issuer.Sign(Encoding.ASCII.GetBytes(signingInput), signature);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    /// <summary>The claims of <paramref name="jwt"/> after checking its form and that its <c>iss</c> signed it.</summary>
    /// <exception cref="FormatException">Not a NATS JWT, or the signature does not verify.</exception>
    public static JsonElement Decode(string jwt)
    {
        ArgumentNullException.ThrowIfNull(jwt);
        var parts = jwt.Trim().Split('.');
        if (parts.Length != 3)
        {
            throw new FormatException("a JWT has three dot-separated parts");
        }
        JsonElement claims;
        try
        {
            using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
            if (header.RootElement.GetProperty("alg").GetString() != "ed25519-nkey")
            {
                throw new FormatException("not an ed25519-nkey JWT");
            }
            using var document = JsonDocument.Parse(FromBase64Url(parts[1]));
            claims = document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"the JWT does not parse: {e.Message}", e);
        }
        var issuer = claims.TryGetProperty("iss", out var iss) ? iss.GetString() ?? "" : "";
        var prefix = issuer.Length > 0 ? issuer[0] switch
        {
            'O' => PrefixByte.Operator,
            'A' => PrefixByte.Account,
            _ => throw new FormatException($"a JWT is issued by an operator or account key, not \"{issuer}\""),
        } : throw new FormatException("the JWT names no issuer");
        var key = PublicKey.Import(SignatureAlgorithm.Ed25519, NKeyText.PublicKeyBytes(issuer, prefix), KeyBlobFormat.RawPublicKey);
        if (!SignatureAlgorithm.Ed25519.Verify(key, Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2])))
        {
            throw new FormatException("the JWT's signature does not verify against its issuer");
        }
        return claims;
    }

    private static byte[] WriteClaims(string? id, DateTimeOffset issuedAt, string issuerKey, Action<Utf8JsonWriter> writeClaims)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (id is not null)
            {
                writer.WriteString("jti", id);
            }
            writer.WriteNumber("iat", issuedAt.ToUnixTimeSeconds());
            writer.WriteString("iss", issuerKey);
            writeClaims(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Base64url without padding, as in JWTs.</summary>
    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <exception cref="FormatException">Not base64url.</exception>
    public static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("bad base64url length") };
        return Convert.FromBase64String(padded);
    }

    private static string Base32NoPadding(ReadOnlySpan<byte> bytes)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var builder = new StringBuilder((bytes.Length * 8 + 4) / 5);
        int buffer = 0, bits = 0;
        foreach (var b in bytes)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                builder.Append(Alphabet[(buffer >> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0)
        {
            builder.Append(Alphabet[(buffer << (5 - bits)) & 31]);
        }
        return builder.ToString();
    }
}
