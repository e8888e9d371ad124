namespace Horizon.Switchboard.Credentials;

/// <summary>The NATS credentials file format: a user JWT and its nkey seed, each between marker lines.</summary>
public static class CredsFile
{
    public static string Format(string jwt, string seed) =>
        $"""
        -----BEGIN NATS USER JWT-----
        {jwt}
        ------END NATS USER JWT------

        -----BEGIN USER NKEY SEED-----
        {seed}
        ------END USER NKEY SEED------

        """;
}
