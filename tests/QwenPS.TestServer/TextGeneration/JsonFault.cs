namespace QwenPS.TestServer;

/// <summary>How <see cref="ServerBehavior.BadJson"/> breaks the JSON answer the request would have got.</summary>
public enum JsonFault
{
    /// <summary>Not JSON: a comma before the final brace, <c>{"a":1,}</c>; finish_reason "stop".</summary>
    Invalid,

    /// <summary>The first half of the answer, finish_reason "length" (as when max_tokens is too small).</summary>
    Truncated,

    /// <summary>Valid JSON that breaks the schema: the root object loses its first required property and gains
    /// "unexpected": true; in an array the first item does; a scalar root gets the wrong type.
    /// Without a schema: <c>{"unexpected":true}</c>.</summary>
    SchemaViolation,
}
