using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Catalog;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Output;

namespace QwenPS.Translation
{
    /// <summary>
    /// Invoke-QwenTranslation's behaviour (docs/dashscope-notes.md, "Translation (Qwen-MT)"): each text is one chat call
    /// with exactly one user message and <c>translation_options</c>; up to a throttle limit run at once, and the results
    /// are written in input order.
    /// </summary>
    internal static class TranslationOperation
    {
        public const string DefaultModel = "qwen-mt-flash";

        /// <summary>Checks the settings before any request: the model, the languages, the terms and memory, the domain.</summary>
        public static TranslationRequest Create(string? model, string? from, string? to, IReadOnlyList<KeyValuePair<string, string>> terms,
            IReadOnlyList<KeyValuePair<string, string>> memory, string? domain, bool stream)
        {
            string name = string.IsNullOrWhiteSpace(model) ? DefaultModel : model!.Trim();
            ModelEntry? entry = ModelCatalogData.Current.Find(name);
            if (entry != null && !entry.Has("Translation"))
            {
                throw new QwenException(
                    QwenErrorIds.InvalidArgument,
                    QwenErrorCategory.InvalidArgument,
                    name + " is not a translation model: use qwen-mt-flash, qwen-mt-plus, qwen-mt-lite or qwen-mt-turbo (Get-QwenModel -Capability Translation), or Invoke-QwenChat to ask a chat model.") { Target = name };
            }

            if (string.IsNullOrWhiteSpace(to))
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-To is required: the language to translate into, such as English or zh.");
            }

            string target = TranslationLanguages.Resolve(to, name, "To", allowAuto: false);
            string source = TranslationLanguages.Resolve(string.IsNullOrWhiteSpace(from) ? TranslationLanguages.Auto : from, name, "From", allowAuto: true);
            CheckPairs(terms, "Term");
            CheckPairs(memory, "TranslationMemory");
            if (domain != null && domain.Trim().Length == 0)
            {
                throw new QwenException(QwenErrorIds.InvalidArgument, QwenErrorCategory.InvalidArgument, "-Domain is empty.") { Target = domain };
            }

            return new TranslationRequest(name, source, target, terms, memory, domain?.Trim(), stream, entry?.CumulativeStream ?? false);
        }

        /// <summary>
        /// The text of one piped item: a string, or the content of a user message. A system or assistant message, or a
        /// user message with media, is refused: Qwen-MT takes one user message and no history.
        /// </summary>
        public static string TextOf(object item)
        {
            switch (item)
            {
                case string text:
                    return text;
                case QwenMessage message when message.RoleValue == QwenRole.User && message.Parts.Count == 0:
                    return message.Content ?? string.Empty;
                case QwenMessage message:
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidArgument,
                        "Qwen-MT takes exactly one user message with text: no system message, no history and no media (got a " + message.Role + " message). Pipe the texts to translate, or use Invoke-QwenChat.") { Target = message };
                default:
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidType,
                        "Invoke-QwenTranslation takes strings and user messages; got " + item.GetType().FullName + ".") { Target = item };
            }
        }

        /// <summary>
        /// Translates every text, <paramref name="throttleLimit"/> at a time (one at a time when streaming, so the
        /// increments of two texts never mix), and writes one <see cref="QwenTranslation"/> per text in input order. On
        /// a failure the results before it are written, then the error ends the command.
        /// </summary>
        public static async Task<int> RunAsync(QwenClient client, TranslationRequest request, IReadOnlyList<string> texts, int throttleLimit,
            IQwenOutput output, CancellationToken cancellationToken)
        {
            int limit = request.Stream ? 1 : Math.Max(1, throttleLimit);
            output.WriteVerbose(string.Format(
                System.Globalization.CultureInfo.InvariantCulture,
                "Translating {0} text(s) from {1} to {2} with {3}, {4} at a time.", texts.Count, request.From, request.To, request.Model, limit));
            using (var gate = new SemaphoreSlim(limit))
            using (var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                Task<QwenTranslation>[] calls = texts.Select(text => TranslateGatedAsync(client, request, text, gate, output, stop.Token)).ToArray();
                try
                {
                    for (int i = 0; i < calls.Length; i++)
                    {
                        QwenTranslation result = await calls[i].ConfigureAwait(false);
                        output.WriteObject(result);
                        output.WriteProgress(new QwenProgress(1, "Invoke-QwenTranslation", "Translated " + (i + 1) + " of " + calls.Length, (i + 1) * 100 / calls.Length, completed: false));
                    }
                }
                catch
                {
                    // Nothing after the failed text is written: stop the calls still waiting or running.
                    stop.Cancel();
                    await Task.WhenAll(calls.Select(c => c.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
                    throw;
                }

                output.WriteProgress(new QwenProgress(1, "Invoke-QwenTranslation", "Done", -1, completed: true));
                return calls.Length;
            }
        }

        private static async Task<QwenTranslation> TranslateGatedAsync(QwenClient client, TranslationRequest request, string text, SemaphoreSlim gate,
            IQwenOutput output, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                // A blank line stays a blank line: nothing to translate, nothing sent.
                return new QwenTranslation(text, text, request.From, request.To, request.Model, null, null, null);
            }

            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await TranslateAsync(client, request, text, output, cancellationToken).ConfigureAwait(false);
            }
            catch (QwenException error)
            {
                // The text that failed is what the user needs to find (the model is the same for every text).
                error.Target = text;
                throw;
            }
            finally
            {
                gate.Release();
            }
        }

        /// <summary>One text, one call: exactly one user message and the options; streamed records become increments.</summary>
        internal static async Task<QwenTranslation> TranslateAsync(QwenClient client, TranslationRequest request, string text, IQwenOutput output, CancellationToken cancellationToken)
        {
            var chat = new ChatRequest(request.Model, new[] { new QwenMessage(QwenRole.User, text) })
            {
                Stream = request.Stream,
                AdditionalParameters = new Dictionary<string, object?> { ["translation_options"] = request.Options() },
            };
            var streamed = new CumulativeText(request.Cumulative);
            Action<object>? onRecord = null;
            if (request.Stream)
            {
                onRecord = record =>
                {
                    if (record is QwenContentChunk chunk)
                    {
                        string increment = streamed.Add(chunk.Text);
                        if (increment.Length > 0)
                        {
                            output.WriteObject(new QwenContentChunk(increment));
                        }
                    }
                };
            }

            QwenChatResponse response = await new ChatApi(client.Transport).ChatAsync(chat, onRecord, cancellationToken).ConfigureAwait(false);
            UsageOperations.Record(client.Scope, response.Model ?? request.Model, response.Usage);
            string translated = request.Stream ? streamed.Text : response.Content;
            return new QwenTranslation(text, translated, request.From, request.To, response.Model ?? request.Model, response.Usage, response.RequestId, response.FinishReason);
        }

        private static void CheckPairs(IReadOnlyList<KeyValuePair<string, string>> pairs, string parameter)
        {
            foreach (KeyValuePair<string, string> pair in pairs)
            {
                if (string.IsNullOrWhiteSpace(pair.Key) || string.IsNullOrWhiteSpace(pair.Value))
                {
                    throw new QwenException(
                        QwenErrorIds.InvalidArgument,
                        QwenErrorCategory.InvalidArgument,
                        "-" + parameter + " has a pair with an empty source or target ('" + pair.Key + "' = '" + pair.Value + "').") { Target = pair.Key };
                }
            }
        }
    }
}
