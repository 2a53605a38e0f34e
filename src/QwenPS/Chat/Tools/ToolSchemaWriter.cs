using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;

namespace QwenPS.Chat.Tools
{
    /// <summary>
    /// Writes the JSON schema of a tool's arguments from its parameters: an object whose properties are the
    /// parameters (in order), <c>required</c> for the mandatory ones, and no other properties allowed. Types map
    /// to the schema subset DashScope documents (string, integer, number, boolean, object, array, enum).
    /// </summary>
    internal static class ToolSchemaWriter
    {
        public static string Write(IReadOnlyList<ToolParameterSpec> parameters) => ToolJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "object");
            writer.WritePropertyName("properties");
            writer.WriteStartObject();
            var required = new List<string>();
            foreach (ToolParameterSpec parameter in parameters)
            {
                writer.WritePropertyName(parameter.Name);
                WriteProperty(writer, parameter);
                if (parameter.Mandatory)
                {
                    required.Add(parameter.Name);
                }
            }

            writer.WriteEndObject();
            if (required.Count > 0)
            {
                writer.WritePropertyName("required");
                writer.WriteStartArray();
                foreach (string name in required)
                {
                    writer.WriteStringValue(name);
                }

                writer.WriteEndArray();
            }

            writer.WriteBoolean("additionalProperties", false);
            writer.WriteEndObject();
        });

        private static void WriteProperty(Utf8JsonWriter writer, ToolParameterSpec parameter)
        {
            writer.WriteStartObject();
            Type? element = ElementType(parameter.Type);
            if (element != null)
            {
                writer.WriteString("type", "array");
                if (!string.IsNullOrEmpty(parameter.Description))
                {
                    writer.WriteString("description", parameter.Description);
                }

                writer.WritePropertyName("items");
                writer.WriteStartObject();
                WriteScalar(writer, element, parameter);
                writer.WriteEndObject();
                WriteBound(writer, "minItems", parameter.MinItems);
                WriteBound(writer, "maxItems", parameter.MaxItems);
            }
            else
            {
                WriteScalar(writer, parameter.Type, parameter);
                if (!string.IsNullOrEmpty(parameter.Description))
                {
                    writer.WriteString("description", parameter.Description);
                }
            }

            writer.WriteEndObject();
        }

        /// <summary>The type keyword and the constraints that apply to one value.</summary>
        private static void WriteScalar(Utf8JsonWriter writer, Type type, ToolParameterSpec parameter)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            string kind = KindOf(type);
            writer.WriteString("type", kind);
            IReadOnlyList<string>? values = parameter.AllowedValues ?? (type.IsEnum ? Enum.GetNames(type) : null);
            if (values != null && kind == "string")
            {
                writer.WritePropertyName("enum");
                writer.WriteStartArray();
                foreach (string value in values)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
            }

            if (type == typeof(DateTime) || type == typeof(DateTimeOffset))
            {
                writer.WriteString("format", "date-time");
            }

            if (kind == "integer" || kind == "number")
            {
                double? minimum = parameter.Minimum ?? (IsUnsigned(type) ? 0 : (double?)null);
                WriteBound(writer, "minimum", minimum);
                WriteBound(writer, "maximum", parameter.Maximum);
            }

            if (kind == "string")
            {
                if (!string.IsNullOrEmpty(parameter.Pattern))
                {
                    writer.WriteString("pattern", parameter.Pattern);
                }

                WriteBound(writer, "minLength", parameter.MinLength);
                WriteBound(writer, "maxLength", parameter.MaxLength);
            }
        }

        /// <summary>The JSON-schema type of a .NET type. Anything PowerShell converts from text (paths, names,
        /// objects it can look up) is offered as a string; the binder does the conversion.</summary>
        internal static string KindOf(Type type)
        {
            type = Nullable.GetUnderlyingType(type) ?? type;
            if (type == typeof(bool))
            {
                return "boolean";
            }

            if (type.IsEnum)
            {
                return "string";
            }

            switch (Type.GetTypeCode(type))
            {
                case TypeCode.SByte:
                case TypeCode.Byte:
                case TypeCode.Int16:
                case TypeCode.UInt16:
                case TypeCode.Int32:
                case TypeCode.UInt32:
                case TypeCode.Int64:
                case TypeCode.UInt64:
                    return "integer";
                case TypeCode.Single:
                case TypeCode.Double:
                case TypeCode.Decimal:
                    return "number";
            }

            return typeof(IDictionary).IsAssignableFrom(type) ? "object" : "string";
        }

        /// <summary>The item type of an array or a generic list; null for anything else (strings and dictionaries included).</summary>
        internal static Type? ElementType(Type type)
        {
            if (type == typeof(string) || typeof(IDictionary).IsAssignableFrom(type))
            {
                return null;
            }

            if (type.IsArray)
            {
                return type.GetElementType();
            }

            if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type))
            {
                Type[] arguments = type.GetGenericArguments();
                return arguments.Length == 1 ? arguments[0] : null;
            }

            return null;
        }

        private static bool IsUnsigned(Type type)
        {
            TypeCode code = Type.GetTypeCode(type);
            return code == TypeCode.Byte || code == TypeCode.UInt16 || code == TypeCode.UInt32 || code == TypeCode.UInt64;
        }

        private static void WriteBound(Utf8JsonWriter writer, string name, double? value)
        {
            if (!value.HasValue)
            {
                return;
            }

            double number = value.Value;
            if (Math.Abs(number) < 9007199254740992d && number == Math.Floor(number))
            {
                writer.WriteNumber(name, (long)number);
            }
            else if (!double.IsNaN(number) && !double.IsInfinity(number))
            {
                writer.WriteNumber(name, number);
            }
        }

        private static void WriteBound(Utf8JsonWriter writer, string name, int? value)
        {
            if (value.HasValue)
            {
                writer.WriteNumber(name, value.Value);
            }
        }
    }
}
