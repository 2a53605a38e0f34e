using System.Collections;
using System.IO;
using System.Management.Automation;
using QwenPS.Chat;

namespace QwenPS.Commands
{
    /// <summary>-JsonSchema's value: a hashtable or [pscustomobject], JSON text (starting with '{'), or a file path / FileInfo.</summary>
    internal static class JsonSchemaArgument
    {
        public static JsonSchemaSpec Resolve(object value, PSCmdlet cmdlet)
        {
            object? plain = PowerShellValues.ToPlain(value);
            switch (plain)
            {
                case IDictionary dictionary:
                    return JsonSchemaSpec.FromDictionary(dictionary);
                case FileInfo file:
                    return FromFile(file.FullName);
                case string text when JsonSchemaSpec.LooksLikeJson(text):
                    return JsonSchemaSpec.FromJson(text, "the -JsonSchema text");
                case string path:
                    return FromFile(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path));
                default:
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidArgument,
                        "-JsonSchema takes a hashtable, a JSON string or the path of a .json file; got " + (plain?.GetType().FullName ?? "null") + ".") { Target = value };
            }
        }

        private static JsonSchemaSpec FromFile(string path)
        {
            if (!File.Exists(path))
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The -JsonSchema file '" + path + "' does not exist.") { Target = path };
            }

            return JsonSchemaSpec.FromJson(File.ReadAllText(path), "the file '" + path + "'");
        }
    }
}
