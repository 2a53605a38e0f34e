using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Catalog;
using QwenPS.Engine;
using QwenPS.Output;

namespace QwenPS.Completions
{
    /// <summary>
    /// Invoke-QwenCodeCompletion's behaviour (docs/dashscope-notes.md, "Code completion (fill in the middle)"): the
    /// prefix and suffix (given, or a file split at a line and column), the checks the service would fail (a model
    /// without fill-in-the-middle, a region other than Beijing) made before sending, and the call.
    /// </summary>
    internal static class CompletionsOperation
    {
        public const string DefaultModel = "qwen2.5-coder-32b-instruct";

        /// <summary>Checks the model (it must have the FillInTheMiddle capability when the catalog knows it) and the prefix.</summary>
        public static CompletionRequest Create(string? model, string prefix, string? suffix)
        {
            string name = string.IsNullOrWhiteSpace(model) ? DefaultModel : model!.Trim();
            ModelEntry? entry = ModelCatalogData.Current.Find(name);
            if (entry != null && !entry.Has("FillInTheMiddle"))
            {
                string hint = name.StartsWith("qwen3-coder", StringComparison.OrdinalIgnoreCase)
                    ? " Qwen3-Coder models write code through chat: use Invoke-QwenChat -Model " + name + "."
                    : " Use qwen2.5-coder-32b-instruct or qwen-coder-turbo (Get-QwenModel -Capability FillInTheMiddle).";
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, name + " cannot fill in the middle on /completions." + hint) { Target = name };
            }

            if (prefix.Length == 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Prefix is empty: fill-in-the-middle needs the code before the gap (a suffix alone is not supported).");
            }

            return new CompletionRequest(name, prefix, string.IsNullOrEmpty(suffix) ? null : suffix);
        }

        /// <summary>
        /// Splits the file at <paramref name="path"/> before line <paramref name="line"/>, column <paramref name="column"/>
        /// (both from 1; the column counts characters, a tab is one): the text before is the prefix, the rest the suffix.
        /// </summary>
        public static (string Prefix, string Suffix) Split(string path, int line, int column)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is FileNotFoundException || ex is DirectoryNotFoundException)
            {
                throw new QwenException(QwenErrorIds.FileNotFound, QwenErrorCategory.ObjectNotFound, "The file '" + path + "' does not exist.", ex) { Target = path };
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new QwenException(QwenErrorIds.FileReadFailed, QwenErrorCategory.ReadError, "The file '" + path + "' could not be read: " + ex.Message, ex) { Target = path };
            }

            int offset = 0;
            for (int current = 1; current < line; current++)
            {
                int newline = text.IndexOf('\n', offset);
                if (newline < 0)
                {
                    throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Line " + line + " is past the end of '" + path + "' (" + current + " line(s)).") { Target = line };
                }

                offset = newline + 1;
            }

            int end = text.IndexOf('\n', offset);
            int lineLength = (end < 0 ? text.Length : end) - offset;
            if (lineLength > 0 && text[offset + lineLength - 1] == '\r')
            {
                lineLength--;
            }

            if (column - 1 > lineLength)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Column " + column + " is past the end of line " + line + " (" + lineLength + " character(s)).") { Target = column };
            }

            int split = offset + column - 1;
            return (text.Substring(0, split), text.Substring(split));
        }

        /// <summary>Refuses a region other than Beijing before sending, then runs the call; -Stream writes each piece as it arrives.</summary>
        public static async Task<QwenCodeCompletion> RunAsync(QwenClient client, CompletionRequest request, IQwenOutput output, CancellationToken cancellationToken)
        {
            QwenRegion? region = client.Settings.Region;
            if (region != null && region != QwenRegion.Beijing)
            {
                throw new QwenException(
                    QwenErrorIds.RegionNotSupported,
                    QwenErrorCategory.InvalidArgument,
                    "Fill-in-the-middle (/completions) is offered only in the Beijing region; this command would call " + region + ". Use -Region Beijing with a Beijing key, or Invoke-QwenChat for the other regions.") { Target = region };
            }

            Action<string>? onText = request.Stream ? text => output.WriteObject(new QwenContentChunk(text)) : (Action<string>?)null;
            QwenCodeCompletion result = await new CompletionsApi(client.Transport).CompleteAsync(request, onText, cancellationToken).ConfigureAwait(false);
            UsageOperations.Record(client.Scope, result.Model, result.Usage);
            output.WriteObject(result);
            return result;
        }
    }
}
