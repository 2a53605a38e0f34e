namespace QwenPS.TestServer;

/// <summary>Behaviours for Qwen-Omni requests (see Omni/README.md).</summary>
public static class OmniBehaviors
{
    /// <summary>The default handling (validation included) of the next chat request, with this spoken answer when it
    /// asks for audio. PathFilter defaults to "/chat/completions".</summary>
    public static ServerBehavior Audio(AudioReply audio) => new AudioBehavior(audio) { PathFilter = ServerBehavior.ChatPath };
}

internal sealed record AudioBehavior(AudioReply Audio) : ServerBehavior;
