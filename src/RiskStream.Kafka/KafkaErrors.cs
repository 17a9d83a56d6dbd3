using Confluent.Kafka;

namespace RiskStream.Kafka;

/// <summary>
/// Which Kafka errors heal by themselves (a broker away, a leader moving, a request timing out: retry) and which do
/// not (refused credentials or permissions, a message the broker will never take, a configuration the client
/// rejects: restarting would fail the same way forever, so the process stops and says why).
/// </summary>
public static class KafkaErrors
{
    private static readonly HashSet<ErrorCode> Permanent =
    [
        ErrorCode.TopicAuthorizationFailed,
        ErrorCode.GroupAuthorizationFailed,
        ErrorCode.ClusterAuthorizationFailed,
        ErrorCode.TransactionalIdAuthorizationFailed,
        ErrorCode.DelegationTokenAuthorizationFailed,
        ErrorCode.SaslAuthenticationFailed,
        ErrorCode.Local_Authentication,
        ErrorCode.MsgSizeTooLarge,
        ErrorCode.RecordListTooLarge,
        ErrorCode.InvalidConfig,
        ErrorCode.Local_InvalidArg,
        ErrorCode.UnsupportedSaslMechanism,
        ErrorCode.IllegalSaslState,
    ];

    public static bool IsPermanent(Error error) => Permanent.Contains(error.Code);

    /// <summary>What an operator should look at for a permanent error.</summary>
    public static string Advice(Error error) => error.Code switch
    {
        ErrorCode.TopicAuthorizationFailed or ErrorCode.GroupAuthorizationFailed or ErrorCode.ClusterAuthorizationFailed or ErrorCode.TransactionalIdAuthorizationFailed or ErrorCode.DelegationTokenAuthorizationFailed
            => "the principal lacks an ACL: apply what `riskstream acls` prints for this deployment",
        ErrorCode.SaslAuthenticationFailed or ErrorCode.Local_Authentication or ErrorCode.UnsupportedSaslMechanism or ErrorCode.IllegalSaslState
            => "the credentials or SASL settings are wrong: check RiskStream:Kafka:Properties and the password file",
        ErrorCode.MsgSizeTooLarge or ErrorCode.RecordListTooLarge
            => "a message is larger than the broker or topic accepts (message.max.bytes, max.message.bytes): raise the limit or lower RiskStream:Pipeline:MaxWarningBytes",
        _ => "a client property is invalid: check RiskStream:Kafka:Properties",
    };
}
