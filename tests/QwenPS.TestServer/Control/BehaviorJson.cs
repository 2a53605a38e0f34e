using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace QwenPS.TestServer.Control;

/// <summary>A control request whose JSON does not describe a valid behaviour; answered with 400.</summary>
internal sealed class BehaviorSpecException : Exception
{
    public BehaviorSpecException(string message)
        : base(message)
    {
    }
}

/// <summary>
/// Parses the JSON behaviour specs of POST /_control/enqueue into <see cref="ServerBehavior"/>s. Property names
/// mirror the C# factories and options (camelCase, case-insensitive); unknown properties are rejected so a typo
/// in a Pester test fails loudly instead of silently doing nothing. Durations are milliseconds ("…Ms").
/// </summary>
internal static class BehaviorJson
{
    /// <summary>An object or an array of objects; each may carry "times".</summary>
    public static List<(ServerBehavior Behavior, int Times)> ParseMany(JsonElement root)
    {
        var result = new List<(ServerBehavior, int)>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement item in root.EnumerateArray())
            {
                result.Add(ParseTop(item));
            }
        }
        else
        {
            result.Add(ParseTop(root));
        }

        return result;
    }

    private static (ServerBehavior, int) ParseTop(JsonElement element)
    {
        var spec = new Spec(element, "behaviour");
        int times = spec.Int("times") ?? 1;
        if (times < 0)
        {
            throw new BehaviorSpecException("'times' must not be negative.");
        }

        return (Parse(spec), times);
    }

    private static ServerBehavior Parse(Spec spec)
    {
        string kind = spec.RequiredString("kind");
        ServerBehavior behavior = kind.ToLowerInvariant() switch
        {
            "default" => ServerBehavior.Default(),
            "error" => ServerBehavior.Error(
                spec.RequiredInt("status"),
                spec.String("code"),
                spec.RequiredString("message"),
                spec.Has("type") ? spec.String("type") : "invalid_request_error",
                spec.Headers("headers")),
            "nativeerror" => ServerBehavior.NativeError(
                spec.RequiredInt("status"), spec.RequiredString("code"), spec.RequiredString("message"), spec.Headers("headers")),
            "body" => ParseBody(spec),
            "delay" => ServerBehavior.DelayThen(
                TimeSpan.FromMilliseconds(spec.RequiredInt("delayMs")),
                spec.Element("then") is JsonElement then ? Parse(new Spec(then, "then")) : null),
            "reset" => ServerBehavior.ResetBeforeHeaders(),
            "stream" => ServerBehavior.Stream(ParseStreamOptions(spec)),
            "rawstream" => ServerBehavior.RawStream(ParseSegments(spec)),
            "rawbody" => ServerBehavior.RawBody(spec.Int("status") ?? 200, spec.String("contentType"), ParseSegments(spec)),
            "reply" => ServerBehavior.Reply(ParseReply(spec.Element("reply") ?? throw new BehaviorSpecException("'reply' is required for kind 'reply'."))),
            "status" => ServerBehavior.Status(spec.RequiredInt("status"), spec.Headers("headers")),
            "audio" => OmniBehaviors.Audio(AudioReplyJson.Parse(spec)),
            "toolloop" => ServerBehavior.ToolLoop(
                ParseToolCalls(spec.Element("toolCalls") ?? throw new BehaviorSpecException("'toolCalls' is required for kind 'toolLoop'.")),
                spec.Chunks("reasoningChunks")),
            "badjson" => ServerBehavior.BadJson(ParseEnum<JsonFault>(spec.RequiredString("fault"), "fault")),
            _ => throw new BehaviorSpecException(
                "Unknown kind '" + kind + "'. Known: default, error, nativeError, body, delay, reset, stream, rawStream, rawBody, reply, status, audio, toolLoop, badJson."),
        };

        // "path"/"method" present (even as null) override the factory defaults.
        if (spec.Has("path"))
        {
            behavior = behavior with { PathFilter = spec.String("path") };
        }

        if (spec.Has("method"))
        {
            behavior = behavior with { Method = spec.String("method") };
        }

        spec.EnsureAllUsed();
        return behavior;
    }

    private static ServerBehavior ParseBody(Spec spec)
    {
        int status = spec.Int("status") ?? 200;
        string? contentType = spec.String("contentType");
        var headers = spec.Headers("headers");
        if (spec.String("bodyBase64") is string base64)
        {
            return ServerBehavior.Body(status, Convert.FromBase64String(base64), contentType, headers);
        }

        return ServerBehavior.Body(status, spec.String("body") ?? string.Empty, contentType, headers);
    }

    private static StreamOptions ParseStreamOptions(Spec spec)
    {
        var options = new StreamOptions
        {
            Reply = spec.Element("reply") is JsonElement reply ? ParseReply(reply) : null,
            ChunkDelay = TimeSpan.FromMilliseconds(spec.Int("chunkDelayMs") ?? 0),
            CutAfterChunks = spec.Int("cutAfterChunks"),
            CutAfterFinish = spec.Bool("cutAfterFinish") ?? false,
            SilenceAfterChunks = spec.Int("silenceAfterChunks"),
            SilenceDuration = TimeSpan.FromMilliseconds(spec.Int("silenceMs") ?? 0),
            MalformedLineAfterChunks = spec.Int("malformedLineAfterChunks"),
            ErrorChunkAfterChunks = spec.Int("errorChunkAfterChunks"),
            CrLf = spec.Bool("crLf") ?? false,
            NoSpaceAfterColon = spec.Bool("noSpaceAfterColon") ?? false,
            CommentLines = spec.Bool("commentLines") ?? false,
            Utf8Bom = spec.Bool("utf8Bom") ?? false,
            IncludeUsage = spec.Bool("includeUsage"),
        };
        if (spec.String("errorCode") is string errorCode)
        {
            options = options with { ErrorCode = errorCode };
        }

        if (spec.String("errorMessage") is string errorMessage)
        {
            options = options with { ErrorMessage = errorMessage };
        }

        if (spec.String("contentType") is string contentType)
        {
            options = options with { ContentType = contentType };
        }

        return options;
    }

    private static RawSegment[] ParseSegments(Spec spec)
    {
        JsonElement segments = spec.Element("segments") ?? throw new BehaviorSpecException("'segments' is required for kinds 'rawStream' and 'rawBody'.");
        if (segments.ValueKind != JsonValueKind.Array)
        {
            throw new BehaviorSpecException("'segments' must be an array.");
        }

        var result = new List<RawSegment>();
        foreach (JsonElement item in segments.EnumerateArray())
        {
            var segment = new Spec(item, "segment");
            int repeat = segment.Int("repeat") ?? 1;
            RawSegment parsed;
            if (segment.String("text") is string text)
            {
                parsed = RawSegment.Repeat(text, repeat);
            }
            else if (segment.String("hex") is string hex)
            {
                parsed = RepeatBytes(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), repeat);
            }
            else if (segment.String("base64") is string base64)
            {
                parsed = RepeatBytes(Convert.FromBase64String(base64), repeat);
            }
            else if (segment.Int("delayMs") is int delayMs)
            {
                parsed = RawSegment.Delay(TimeSpan.FromMilliseconds(delayMs));
            }
            else if (segment.Bool("flush") == true)
            {
                parsed = RawSegment.Flush();
            }
            else if (segment.Bool("abort") == true)
            {
                parsed = RawSegment.Abort();
            }
            else
            {
                throw new BehaviorSpecException("A segment needs one of: text, hex, base64, delayMs, flush, abort.");
            }

            segment.EnsureAllUsed();
            result.Add(parsed);
        }

        return result.ToArray();
    }

    private static RawSegment RepeatBytes(byte[] bytes, int repeat)
    {
        if (repeat == 1)
        {
            return RawSegment.Bytes(bytes);
        }

        // RawSegment.Repeat takes text; for bytes build the repeated block directly (only small repeats are sensible here).
        var all = new byte[checked(bytes.Length * repeat)];
        for (int i = 0; i < repeat; i++)
        {
            Buffer.BlockCopy(bytes, 0, all, i * bytes.Length, bytes.Length);
        }

        return RawSegment.Bytes(all);
    }

    private static ChatReply ParseReply(JsonElement element)
    {
        var spec = new Spec(element, "reply");
        var reply = new ChatReply
        {
            ReasoningChunks = spec.Chunks("reasoningChunks"),
            ContentChunks = spec.Chunks("contentChunks"),
            FinishReason = spec.String("finishReason"),
            Model = spec.String("model"),
            ChunkDelay = TimeSpan.FromMilliseconds(spec.Int("chunkDelayMs") ?? 0),
            ToolCalls = spec.Element("toolCalls") is JsonElement calls ? ParseToolCalls(calls) : null,
            Usage = spec.Element("usage") is JsonElement usage ? ParseUsage(usage) : null,
        };
        spec.EnsureAllUsed();
        return reply;
    }

    private static ToolCallReply[] ParseToolCalls(JsonElement calls)
    {
        if (calls.ValueKind != JsonValueKind.Array)
        {
            throw new BehaviorSpecException("'toolCalls' must be an array.");
        }

        var result = new List<ToolCallReply>();
        int position = 0;
        foreach (JsonElement item in calls.EnumerateArray())
        {
            var spec = new Spec(item, "toolCall");
            var call = new ToolCallReply(
                spec.Int("index") ?? position,
                spec.String("id") ?? "call_" + position.ToString(System.Globalization.CultureInfo.InvariantCulture),
                spec.RequiredString("name"),
                spec.Chunks("argumentFragments") ?? []);
            spec.EnsureAllUsed();
            result.Add(call);
            position++;
        }

        return result.ToArray();
    }

    private static UsageReply ParseUsage(JsonElement element)
    {
        var spec = new Spec(element, "usage");
        int prompt = spec.Int("promptTokens") ?? 0;
        int completion = spec.Int("completionTokens") ?? 0;
        var usage = new UsageReply(prompt, completion, spec.Int("totalTokens") ?? prompt + completion,
            spec.Int("cachedTokens") ?? 0, spec.Int("reasoningTokens") ?? 0)
        {
            CacheCreationTokens = spec.Int("cacheCreationTokens") ?? 0,
            CacheType = spec.String("cacheType"),
        };
        spec.EnsureAllUsed();
        return usage;
    }

    private static T ParseEnum<T>(string text, string name)
        where T : struct, Enum
        => Enum.TryParse(text, ignoreCase: true, out T value) && Enum.IsDefined(value)
            ? value
            : throw new BehaviorSpecException("'" + name + "' must be one of: " + string.Join(", ", Enum.GetNames<T>()) + ".");

    /// <summary>Case-insensitive access to one JSON object, remembering which properties were used.</summary>
    internal sealed class Spec
    {
        private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);
        private readonly string _what;

        public Spec(JsonElement element, string what)
        {
            _what = what;
            if (what is "behaviour" or "then")
            {
                // Read by Parse/ParseTop rather than through the typed getters.
                _used.UnionWith(["kind", "times", "path", "method"]);
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                throw new BehaviorSpecException("A " + what + " must be a JSON object.");
            }

            foreach (JsonProperty property in element.EnumerateObject())
            {
                _properties[property.Name] = property.Value;
            }
        }

        public bool Has(string name) => _properties.ContainsKey(name);

        public JsonElement? Element(string name)
        {
            _used.Add(name);
            return _properties.TryGetValue(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;
        }

        public string? String(string name)
        {
            JsonElement? value = Element(name);
            if (value is null)
            {
                return null;
            }

            return value.Value.ValueKind == JsonValueKind.String
                ? value.Value.GetString()
                : throw new BehaviorSpecException("'" + name + "' in a " + _what + " must be a string.");
        }

        public string RequiredString(string name)
            => String(name) ?? throw new BehaviorSpecException("'" + name + "' is required in a " + _what + ".");

        public int? Int(string name)
        {
            JsonElement? value = Element(name);
            if (value is null)
            {
                return null;
            }

            return value.Value.ValueKind == JsonValueKind.Number && value.Value.TryGetInt32(out int result)
                ? result
                : throw new BehaviorSpecException("'" + name + "' in a " + _what + " must be an integer.");
        }

        public int RequiredInt(string name)
            => Int(name) ?? throw new BehaviorSpecException("'" + name + "' is required in a " + _what + ".");

        public bool? Bool(string name)
        {
            JsonElement? value = Element(name);
            return value?.ValueKind switch
            {
                null => null,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new BehaviorSpecException("'" + name + "' in a " + _what + " must be true or false."),
            };
        }

        /// <summary>An array of strings, or one string that is split into 4-char pieces like the default reply.</summary>
        public string[]? Chunks(string name)
        {
            JsonElement? value = Element(name);
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind == JsonValueKind.String)
            {
                return ChatReply.Split(value.Value.GetString()!);
            }

            if (value.Value.ValueKind == JsonValueKind.Array && value.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
            {
                return value.Value.EnumerateArray().Select(e => e.GetString()!).ToArray();
            }

            throw new BehaviorSpecException("'" + name + "' must be a string or an array of strings.");
        }

        public Dictionary<string, string>? Headers(string name)
        {
            JsonElement? value = Element(name);
            if (value is null)
            {
                return null;
            }

            if (value.Value.ValueKind != JsonValueKind.Object)
            {
                throw new BehaviorSpecException("'" + name + "' must be an object of header names to string values.");
            }

            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty header in value.Value.EnumerateObject())
            {
                headers[header.Name] = header.Value.ValueKind == JsonValueKind.String
                    ? header.Value.GetString()!
                    : header.Value.GetRawText();
            }

            return headers;
        }

        public void EnsureAllUsed()
        {
            string[] unknown = _properties.Keys.Where(k => !_used.Contains(k)).ToArray();
            if (unknown.Length > 0)
            {
                throw new BehaviorSpecException("Unknown propert" + (unknown.Length == 1 ? "y" : "ies") + " in a " + _what + ": "
                    + string.Join(", ", unknown) + ".");
            }
        }
    }
}
