namespace RiskStream.Influx;

/// <summary>What an InfluxDB refusal means for the sink.</summary>
public enum InfluxRefusal
{
    /// <summary>Unreachable, timed out, 5xx, 408, 429: InfluxDB will take the same write later.</summary>
    Transient,

    /// <summary>401 or 403: the credentials or the user's rights; an operator fixes them and the same write succeeds.</summary>
    Unauthorised,

    /// <summary>404: no such database, retention policy or bucket; an operator creates it and the same write succeeds.</summary>
    NotFound,

    /// <summary>413: the body is over InfluxDB's limit; a smaller part of it may be taken.</summary>
    TooLarge,

    /// <summary>400 or 422: a point InfluxDB will never take as it is (a type conflict, a time out of its range).</summary>
    Content,
}

/// <summary>InfluxDB refused or could not take a write; <see cref="Kind"/> says what may cure it.</summary>
public sealed class InfluxWriteException : Exception
{
    /// <param name="status">The HTTP status InfluxDB answered; 0 when it did not answer.</param>
    /// <param name="kind">What the refusal means when the status alone does not say (an untrusted certificate).</param>
    public InfluxWriteException(string message, int status, Exception? inner = null, InfluxRefusal? kind = null)
        : base(message, inner)
    {
        Status = status;
        Kind = kind ?? status switch
        {
            401 or 403 => InfluxRefusal.Unauthorised,
            404 => InfluxRefusal.NotFound,
            413 => InfluxRefusal.TooLarge,
            400 or 422 => InfluxRefusal.Content,
            _ => InfluxRefusal.Transient,
        };
    }

    public int Status { get; }

    public InfluxRefusal Kind { get; }

    /// <summary>Whether writing the very same body again can succeed (after time, or after an operator's fix).</summary>
    public bool Retryable => Kind is InfluxRefusal.Transient or InfluxRefusal.Unauthorised or InfluxRefusal.NotFound;
}

/// <summary>The sink cannot start: InfluxDB refuses its credentials, or its database is missing and may not be created.</summary>
public sealed class InfluxSetupException(string message, Exception? inner = null) : Exception(message, inner);
