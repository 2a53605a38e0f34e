using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;

namespace QwenPS.Commands
{
    /// <summary>
    /// What Invoke-QwenChat accepts from the pipeline, turned into <see cref="QwenMessage"/> and
    /// <see cref="QwenChatResponse"/> objects: those themselves; a string (a user message); and the same records
    /// after a round trip through Export-Clixml/Import-Clixml or ConvertTo-Json/ConvertFrom-Json (property bags with
    /// the same property names), so a saved conversation can be continued. $null is nothing. Anything else is
    /// refused with an InvalidArgument error, so the call is never sent without part of its input.
    /// </summary>
    internal static class PipelineInput
    {
        /// <summary>Adds what <paramref name="input"/> contributes to <paramref name="items"/>; returns the model of a restored response, if any.</summary>
        public static string? Add(object? input, List<object> items)
        {
            object? value = input is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : input;
            switch (value)
            {
                case null:
                    return null;
                case QwenMessage message:
                    items.Add(message);
                    return null;
                case QwenChatResponse response:
                    items.Add(response);
                    return null;
                case string text:
                    if (text.Trim().Length == 0)
                    {
                        throw Refused("an empty string", input);
                    }

                    items.Add(new QwenMessage(QwenRole.User, text));
                    return null;
                case PSObject bag:
                    return AddRestored(bag, items, input);
                case IDictionary _:
                    throw Refused("a hashtable (use New-QwenMessage -Role ... -Content ...)", input);
                case IEnumerable sequence:
                    string? model = null;
                    foreach (object? item in sequence)
                    {
                        model = Add(item, items) ?? model;
                    }

                    return model;
                default:
                    throw Refused("a " + value.GetType().FullName, input);
            }
        }

        private static string? AddRestored(PSObject bag, List<object> items, object? input)
        {
            PSPropertyInfo? history = bag.Properties["History"];
            if (history != null)
            {
                // A QwenChatResponse: its History is the messages sent plus the answer, as for a live response.
                foreach (object? message in Sequence(history.Value))
                {
                    items.Add(RestoreMessage(message, input));
                }

                return Text(bag, "Model");
            }

            if (bag.Properties["Role"] != null)
            {
                items.Add(RestoreMessage(bag, input));
                return null;
            }

            throw Refused("an object with neither Role (a message) nor History (a response)", input);
        }

        private static QwenMessage RestoreMessage(object? value, object? input)
        {
            if (value is PSObject wrapped && wrapped.BaseObject is QwenMessage live)
            {
                return live;
            }

            if (value is QwenMessage message)
            {
                return message;
            }

            if (!(value is PSObject bag) || bag.Properties["Role"] == null)
            {
                throw Refused("a message without a Role", input);
            }

            QwenRole role = Role(bag.Properties["Role"].Value, input);
            var toolCalls = new List<QwenToolCall>();
            PSPropertyInfo? calls = bag.Properties["ToolCalls"];
            if (calls != null)
            {
                foreach (object? call in Sequence(calls.Value))
                {
                    if (call is PSObject c)
                    {
                        toolCalls.Add(new QwenToolCall(
                            int.TryParse(Text(c, "Index"), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) ? index : toolCalls.Count,
                            Text(c, "Id"),
                            Text(c, "Name") ?? string.Empty,
                            Text(c, "Arguments") ?? string.Empty));
                    }
                }
            }

            return new QwenMessage(role, Text(bag, "Content"), Text(bag, "ToolCallId"), toolCalls);
        }

        private static QwenRole Role(object? value, object? input)
        {
            object? raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (raw is string name && Enum.TryParse(name, ignoreCase: true, out QwenRole parsed) && Enum.IsDefined(typeof(QwenRole), parsed) && !int.TryParse(name, out _))
            {
                return parsed;
            }

            if (raw is IConvertible number && !(raw is string))
            {
                int code = Convert.ToInt32(number, CultureInfo.InvariantCulture);
                if (Enum.IsDefined(typeof(QwenRole), code))
                {
                    return (QwenRole)code;
                }
            }

            throw Refused("a message with the role '" + raw + "'", input);
        }

        private static IEnumerable Sequence(object? value)
        {
            object? raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            if (raw == null)
            {
                return Array.Empty<object>();
            }

            return raw is IEnumerable sequence && !(raw is string) ? sequence : new[] { value };
        }

        private static string? Text(PSObject bag, string name)
        {
            object? value = bag.Properties[name]?.Value;
            object? raw = value is PSObject wrapped ? wrapped.BaseObject : value;
            return raw == null ? null : Convert.ToString(raw, CultureInfo.InvariantCulture);
        }

        private static QwenException Refused(string what, object? input) =>
            new QwenException(
                QwenErrorIds.InvalidArgument,
                QwenErrorCategory.InvalidArgument,
                "Invoke-QwenChat cannot use " + what + " from the pipeline, so nothing was sent. Pipe strings (user messages), " +
                "QwenMessage objects from New-QwenMessage, or a QwenChatResponse (also one saved with Export-Clixml or ConvertTo-Json).") { Target = input };
    }
}
