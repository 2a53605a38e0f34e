using System.Collections.Generic;

namespace QwenPS.Translation
{
    /// <summary>
    /// One Invoke-QwenTranslation command's settings, checked before any request (<see cref="TranslationOperation.Create"/>):
    /// every input text is sent with these as its <c>translation_options</c>.
    /// </summary>
    internal sealed class TranslationRequest
    {
        public TranslationRequest(string model, string from, string to, IReadOnlyList<KeyValuePair<string, string>> terms,
            IReadOnlyList<KeyValuePair<string, string>> memory, string? domain, bool stream, bool cumulative)
        {
            Model = model;
            From = from;
            To = to;
            Terms = terms;
            Memory = memory;
            Domain = domain;
            Stream = stream;
            Cumulative = cumulative;
        }

        public string Model { get; }

        /// <summary>The English name of the source language, or "auto".</summary>
        public string From { get; }

        /// <summary>The English name of the target language.</summary>
        public string To { get; }

        /// <summary>Term intervention: source term → the target term it must become.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Terms { get; }

        /// <summary>Translation memory: example source sentence → its translation.</summary>
        public IReadOnlyList<KeyValuePair<string, string>> Memory { get; }

        /// <summary>A domain and style hint, in English.</summary>
        public string? Domain { get; }

        public bool Stream { get; }

        /// <summary>The model streams the whole text so far in every chunk (qwen-mt-plus, qwen-mt-turbo).</summary>
        public bool Cumulative { get; }

        /// <summary>The <c>translation_options</c> object, in the documented field order.</summary>
        public IReadOnlyDictionary<string, object?> Options()
        {
            var options = new Dictionary<string, object?>
            {
                ["source_lang"] = From,
                ["target_lang"] = To,
            };
            if (Terms.Count > 0)
            {
                options["terms"] = Pairs(Terms);
            }

            if (Memory.Count > 0)
            {
                options["tm_list"] = Pairs(Memory);
            }

            if (Domain != null)
            {
                options["domains"] = Domain;
            }

            return options;
        }

        private static List<Dictionary<string, object?>> Pairs(IReadOnlyList<KeyValuePair<string, string>> pairs)
        {
            var list = new List<Dictionary<string, object?>>(pairs.Count);
            foreach (KeyValuePair<string, string> pair in pairs)
            {
                list.Add(new Dictionary<string, object?> { ["source"] = pair.Key, ["target"] = pair.Value });
            }

            return list;
        }
    }
}
