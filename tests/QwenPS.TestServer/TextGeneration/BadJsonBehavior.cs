namespace QwenPS.TestServer;

/// <summary>The JSON answer the request would get from the default handling, broken as <see cref="Fault"/> says.</summary>
internal sealed record BadJsonBehavior(JsonFault Fault) : ServerBehavior;
