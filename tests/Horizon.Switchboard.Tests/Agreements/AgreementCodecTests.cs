using System.Text;
using System.Text.Json;
using Horizon.Agreements;

namespace Horizon.Switchboard.Tests.Agreements;

public sealed class AgreementCodecTests
{
    private static readonly string Id = AgreementId.New();

    public static TheoryData<AgreementMessage> EveryMessage => new()
    {
        new Proposal
        {
            AgreementId = Id,
            Terms = new AgreementTerms
            {
                Agbot = "myorg/agbot1",
                Pattern = "myorg/hello",
                Service = new WorkloadService { Org = "myorg", Url = "hello", Version = "1.0.0", Arch = "amd64", Deployment = "{\"services\":{}}", DeploymentSignature = "c2ln" },
                UserInput = [new ServiceUserInput { ServiceOrgid = "myorg", ServiceUrl = "hello", Inputs = [new UserInputValue { Name = "GREETING", Value = JsonDocument.Parse("\"hi\"").RootElement }] }],
                NodeHealth = new NodeHealthTerms { MissingHeartbeatInterval = 120, CheckAgreementStatus = 60 },
            },
        },
        new ProposalReply { AgreementId = Id, Decision = false, Reason = 115, Message = "bad signature" },
        new ReplyAck { AgreementId = Id, Proceed = true },
        new CancelAgreement { AgreementId = Id, Reason = 208, Message = "heartbeat" },
        new VerifyAgreement { AgreementId = Id },
        new VerifyAgreementReply { AgreementId = Id, Exists = true },
        new UpdateAgreement { AgreementId = Id },
        new UpdateAgreementReply { AgreementId = Id, Accepted = true },
    };

    [Theory]
    [MemberData(nameof(EveryMessage))]
    public void EveryMessage_SurvivesEncodeAndDecode(AgreementMessage message)
    {
        var decoded = AgreementCodec.Decode(AgreementCodec.Encode(message));

        Assert.Equal(message.GetType(), decoded.GetType());
        Assert.Equal(Encoding.UTF8.GetString(AgreementCodec.Encode(message)), Encoding.UTF8.GetString(AgreementCodec.Encode(decoded)));
    }

    [Fact]
    public void EncodedProposal_NamesItsTypeAndProtocol()
    {
        var json = Encoding.UTF8.GetString(AgreementCodec.Encode(new ReplyAck { AgreementId = Id, Proceed = true }));

        Assert.Contains("\"type\":\"replyack\"", json);
        Assert.Contains("\"protocol\":\"Basic\"", json);
        Assert.Contains("\"version\":1", json);
    }

    [Theory]
    [InlineData("not json", "not an agreement protocol message")]
    [InlineData("{\"type\":\"bribe\",\"agreementId\":\"x\"}", "not an agreement protocol message")]
    [InlineData("{\"agreementId\":\"x\"}", "not an agreement protocol message")]
    [InlineData("{\"type\":\"replyack\",\"protocol\":\"Citizen\",\"version\":1,\"agreementId\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", "unsupported agreement protocol Citizen v1")]
    [InlineData("{\"type\":\"replyack\",\"protocol\":\"Basic\",\"version\":2,\"agreementId\":\"0000000000000000000000000000000000000000000000000000000000000000\"}", "unsupported agreement protocol Basic v2")]
    [InlineData("{\"type\":\"replyack\",\"protocol\":\"Basic\",\"version\":1,\"agreementId\":\"ABC\"}", "invalid agreement id")]
    public void Decode_RefusesWhatIsNotABasicV1Message(string json, string expected)
    {
        var error = Assert.Throws<FormatException>(() => AgreementCodec.Decode(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void NewAgreementIds_Are64HexCharactersAndDistinct()
    {
        var a = AgreementId.New();
        var b = AgreementId.New();

        Assert.True(AgreementId.IsValid(a));
        Assert.NotEqual(a, b);
        Assert.Equal("workload terminated", CancelReasons.Describe(103));
        Assert.Equal("node heartbeat stopped", CancelReasons.Describe(208));
    }
}
