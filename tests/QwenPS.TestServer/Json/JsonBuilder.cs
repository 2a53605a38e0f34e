using System.Globalization;
using System.Text;

namespace QwenPS.TestServer.Json;

/// <summary>
/// A tiny hand-rolled JSON writer. We do not use Utf8JsonWriter for wire payloads because
/// (1) the real service varies key order between chunk kinds and we want exact control, and
/// (2) System.Text.Json escapes every non-BMP character (emoji) even with the relaxed encoder,
/// while DashScope sends raw UTF-8 - which is exactly what the client's UTF-8 handling must cope with.
/// Only '"', '\\', control characters and lone surrogates are escaped.
/// </summary>
internal sealed class JsonBuilder
{
    private readonly StringBuilder _sb = new();
    private bool _needComma;

    public JsonBuilder BeginObject()
    {
        Separator();
        _sb.Append('{');
        _needComma = false;
        return this;
    }

    public JsonBuilder BeginObject(string name) => Name(name).BeginObject();

    public JsonBuilder EndObject()
    {
        _sb.Append('}');
        _needComma = true;
        return this;
    }

    public JsonBuilder BeginArray()
    {
        Separator();
        _sb.Append('[');
        _needComma = false;
        return this;
    }

    public JsonBuilder BeginArray(string name) => Name(name).BeginArray();

    public JsonBuilder EndArray()
    {
        _sb.Append(']');
        _needComma = true;
        return this;
    }

    public JsonBuilder Name(string name)
    {
        Separator();
        AppendString(_sb, name);
        _sb.Append(':');
        _needComma = false;
        return this;
    }

    public JsonBuilder String(string? value)
    {
        Separator();
        if (value is null)
        {
            _sb.Append("null");
        }
        else
        {
            AppendString(_sb, value);
        }

        _needComma = true;
        return this;
    }

    public JsonBuilder Number(long value)
    {
        Separator();
        _sb.Append(value.ToString(CultureInfo.InvariantCulture));
        _needComma = true;
        return this;
    }

    public JsonBuilder Bool(bool value)
    {
        Separator();
        _sb.Append(value ? "true" : "false");
        _needComma = true;
        return this;
    }

    public JsonBuilder Null()
    {
        Separator();
        _sb.Append("null");
        _needComma = true;
        return this;
    }

    /// <summary>Appends an already-serialised JSON value verbatim.</summary>
    public JsonBuilder Raw(string json)
    {
        Separator();
        _sb.Append(json);
        _needComma = true;
        return this;
    }

    public JsonBuilder Prop(string name, string? value) => Name(name).String(value);

    public JsonBuilder Prop(string name, long value) => Name(name).Number(value);

    public JsonBuilder Prop(string name, bool value) => Name(name).Bool(value);

    public JsonBuilder PropNull(string name) => Name(name).Null();

    public override string ToString() => _sb.ToString();

    /// <summary>Serialises one string as a JSON string literal (quotes included).</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        AppendString(sb, value);
        return sb.ToString();
    }

    private void Separator()
    {
        if (_needComma)
        {
            _sb.Append(',');
        }
    }

    private static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20)
                    {
                        AppendEscape(sb, c);
                    }
                    else if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        // A valid pair stays raw so it goes out as a 4-byte UTF-8 sequence.
                        sb.Append(c).Append(value[i + 1]);
                        i++;
                    }
                    else if (char.IsSurrogate(c))
                    {
                        // A lone surrogate cannot be encoded as UTF-8; escape it instead of emitting U+FFFD.
                        AppendEscape(sb, c);
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }

    private static void AppendEscape(StringBuilder sb, char c)
    {
        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
    }
}
