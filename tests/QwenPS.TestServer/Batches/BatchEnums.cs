namespace QwenPS.TestServer;

/// <summary>How a batch that passed validation ends (see <see cref="BatchStore.Outcome"/>).</summary>
public enum BatchOutcome
{
    /// <summary>validating → in_progress → finalizing → completed, every request answered.</summary>
    Completed,

    /// <summary>validating → failed with one batch-level error, no result files.</summary>
    Failed,

    /// <summary>validating → in_progress → expired: the first half of the requests (in service order) have results,
    /// the rest appear in neither file.</summary>
    Expired,
}

/// <summary>The order result lines are written in (see <see cref="BatchStore.OutputOrder"/>).</summary>
public enum BatchOutputOrder
{
    /// <summary>Sorted by the SHA-256 of the custom id: deterministic, and unrelated to the input order.</summary>
    Shuffled,

    Input,

    Reversed,
}

/// <summary>How error-file lines spell their reason (see <see cref="BatchStore.ErrorLineStyle"/>).</summary>
public enum BatchErrorLineStyle
{
    /// <summary>Alternates: the 1st, 3rd… failed request use <see cref="Code"/>, the 2nd, 4th… <see cref="ErrorCode"/>.</summary>
    Mixed,

    /// <summary><c>"error":{"code","message"}</c> and a <c>response</c> holding the error body.</summary>
    Code,

    /// <summary><c>"error":{"error_code","error_message"}</c> and <c>"response":null</c>.</summary>
    ErrorCode,
}
