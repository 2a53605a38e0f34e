using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using QwenPS.Batch;

namespace QwenPS.Commands
{
    /// <summary>Start-QwenBatch's inputs, unwrapped from PowerShell into the engine's <see cref="BatchInput"/>.</summary>
    internal static class BatchInputs
    {
        public static BatchInput From(PSObject input, string? promptProperty, string? customIdProperty)
        {
            object value = input.BaseObject;
            string? customId = customIdProperty == null ? null : Property(input, customIdProperty, "-CustomIdProperty");
            if (promptProperty != null)
            {
                return BatchInput.FromText(Property(input, promptProperty, "-PromptProperty"), customId, value);
            }

            switch (value)
            {
                case string text:
                    return BatchInput.FromText(text, customId, value);
                case FileInfo file:
                    return BatchInput.FromDocument(file.FullName, customId, value);
                case QwenChatRequest request:
                    return BatchInput.FromMessages(request.Messages, customId ?? request.CustomId, value);
                case QwenMessage _:
                    throw Invalid("A single QwenMessage is not a request: wrap a request's messages with New-QwenChatRequest (New-QwenMessage ... | New-QwenChatRequest).", value);
                case IDictionary table:
                    return FromTable(PowerShellValues.ToDictionary(table), customId, value);
                case DirectoryInfo directory:
                    throw Invalid("'" + directory.FullName + "' is a folder: pipe its files (Get-ChildItem -File).", value);
                case PSCustomObject _:
                    throw Invalid("Start-QwenBatch needs -PromptProperty to know which property of the piped objects holds the prompt.", input);
                case IConvertible scalar:
                    return BatchInput.FromText(scalar.ToString(CultureInfo.InvariantCulture), customId, value);
                default:
                    throw Invalid("Start-QwenBatch takes strings, text files, QwenChatRequest objects, hashtable bodies, or objects with -PromptProperty; got " + value.GetType().FullName + ".", value);
            }
        }

        /// <summary>What Receive-QwenBatch hands back as the result's Input: the object itself (a custom object keeps its wrapper).</summary>
        public static object? Original(PSObject input) => input.BaseObject is PSCustomObject ? input : input.BaseObject;

        /// <summary>A ready body, or a whole line <c>@{ custom_id = …; body = @{…} }</c>.</summary>
        private static BatchInput FromTable(IReadOnlyDictionary<string, object?> table, string? customId, object target)
        {
            if (table.TryGetValue("body", out object? body) && body is IReadOnlyDictionary<string, object?> inner)
            {
                table.TryGetValue("custom_id", out object? id);
                return BatchInput.FromBody(inner, customId ?? (id == null ? null : Convert.ToString(id, CultureInfo.InvariantCulture)), target);
            }

            return BatchInput.FromBody(table, customId, target);
        }

        private static string Property(PSObject input, string name, string parameter)
        {
            PSPropertyInfo? property = input.Properties[name];
            object? value = property?.Value;
            if (value is PSObject wrapped)
            {
                value = wrapped.BaseObject;
            }

            string? text = value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
            if (property == null || string.IsNullOrEmpty(text))
            {
                throw Invalid("The input has no " + (property == null ? "property" : "value in its property") + " '" + name + "' (" + parameter + ").", input);
            }

            return text!;
        }

        private static QwenException Invalid(string message, object target) =>
            new QwenException(QwenErrorIds.BatchInputInvalid, QwenErrorCategory.InvalidArgument, message) { Target = target };
    }
}
