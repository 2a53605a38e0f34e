using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.Translation
{
    /// <summary>
    /// The languages Qwen-MT takes, by English name and code (docs/dashscope-notes.md, "Translation (Qwen-MT)"): 92 for
    /// qwen-mt-plus, -flash and -turbo, 31 of them for qwen-mt-lite. Input is matched without regard to case and sent
    /// as the canonical English name.
    /// </summary>
    internal static class TranslationLanguages
    {
        public const string Auto = "auto";

        private static readonly (string Name, string Code)[] All =
        {
            ("English", "en"), ("Chinese", "zh"), ("Traditional Chinese", "zh_tw"), ("Russian", "ru"), ("Japanese", "ja"),
            ("Korean", "ko"), ("Spanish", "es"), ("French", "fr"), ("Portuguese", "pt"), ("German", "de"), ("Italian", "it"),
            ("Thai", "th"), ("Vietnamese", "vi"), ("Indonesian", "id"), ("Malay", "ms"), ("Arabic", "ar"), ("Hindi", "hi"),
            ("Hebrew", "he"), ("Burmese", "my"), ("Tamil", "ta"), ("Urdu", "ur"), ("Bengali", "bn"), ("Polish", "pl"),
            ("Dutch", "nl"), ("Romanian", "ro"), ("Turkish", "tr"), ("Khmer", "km"), ("Lao", "lo"), ("Cantonese", "yue"),
            ("Czech", "cs"), ("Greek", "el"), ("Swedish", "sv"), ("Hungarian", "hu"), ("Danish", "da"), ("Finnish", "fi"),
            ("Ukrainian", "uk"), ("Bulgarian", "bg"), ("Serbian", "sr"), ("Telugu", "te"), ("Afrikaans", "af"),
            ("Armenian", "hy"), ("Assamese", "as"), ("Asturian", "ast"), ("Basque", "eu"), ("Belarusian", "be"),
            ("Bosnian", "bs"), ("Catalan", "ca"), ("Cebuano", "ceb"), ("Croatian", "hr"), ("Egyptian Arabic", "arz"),
            ("Estonian", "et"), ("Galician", "gl"), ("Georgian", "ka"), ("Gujarati", "gu"), ("Icelandic", "is"),
            ("Javanese", "jv"), ("Kannada", "kn"), ("Kazakh", "kk"), ("Latvian", "lv"), ("Lithuanian", "lt"),
            ("Luxembourgish", "lb"), ("Macedonian", "mk"), ("Maithili", "mai"), ("Maltese", "mt"), ("Marathi", "mr"),
            ("Mesopotamian Arabic", "acm"), ("Moroccan Arabic", "ary"), ("Najdi Arabic", "ars"), ("Nepali", "ne"),
            ("North Azerbaijani", "az"), ("North Levantine Arabic", "apc"), ("Northern Uzbek", "uz"),
            ("Norwegian Bokmål", "nb"), ("Norwegian Nynorsk", "nn"), ("Occitan", "oc"), ("Odia", "or"),
            ("Pangasinan", "pag"), ("Sicilian", "scn"), ("Sindhi", "sd"), ("Sinhala", "si"), ("Slovak", "sk"),
            ("Slovenian", "sl"), ("South Levantine Arabic", "ajp"), ("Swahili", "sw"), ("Tagalog", "tl"),
            ("Ta'izzi-Adeni Arabic", "acq"), ("Tosk Albanian", "sq"), ("Tunisian Arabic", "aeb"), ("Venetian", "vec"),
            ("Waray", "war"), ("Welsh", "cy"), ("Western Persian", "fa"),
        };

        private static readonly HashSet<string> LiteNames = new HashSet<string>(StringComparer.Ordinal)
        {
            "English", "Chinese", "Traditional Chinese", "Russian", "Japanese", "Korean", "Spanish", "French", "Portuguese",
            "German", "Italian", "Thai", "Vietnamese", "Indonesian", "Malay", "Arabic", "Hindi", "Hebrew", "Urdu", "Bengali",
            "Polish", "Dutch", "Turkish", "Khmer", "Czech", "Swedish", "Hungarian", "Danish", "Finnish", "Tagalog", "Western Persian",
        };

        /// <summary>How many languages <paramref name="model"/> takes (31 for qwen-mt-lite, else 92).</summary>
        public static int CountFor(string model) => Names(model).Count();

        /// <summary>qwen-mt-lite and its snapshots take the smaller list.</summary>
        public static bool IsLite(string model) => model.Trim().StartsWith("qwen-mt-lite", StringComparison.OrdinalIgnoreCase);

        /// <summary>The English names <paramref name="model"/> takes, in the table's order.</summary>
        public static IEnumerable<string> Names(string model)
        {
            bool lite = IsLite(model);
            return All.Where(l => !lite || LiteNames.Contains(l.Name)).Select(l => l.Name);
        }

        /// <summary>
        /// The canonical English name of <paramref name="value"/> (a name or code, any case), or "auto" when
        /// <paramref name="allowAuto"/>; an InvalidArgument naming the parameter and the model otherwise.
        /// </summary>
        public static string Resolve(string? value, string model, string parameter, bool allowAuto)
        {
            string text = (value ?? string.Empty).Trim();
            if (allowAuto && string.Equals(text, Auto, StringComparison.OrdinalIgnoreCase))
            {
                return Auto;
            }

            bool lite = IsLite(model);
            foreach ((string name, string code) in All)
            {
                if (string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(text, code, StringComparison.OrdinalIgnoreCase)
                    || (name == "Western Persian" && string.Equals(text, "Persian", StringComparison.OrdinalIgnoreCase)))
                {
                    if (lite && !LiteNames.Contains(name))
                    {
                        throw Unknown(text, model, parameter, name + " is not one of the 31 languages of qwen-mt-lite; use qwen-mt-flash or qwen-mt-plus for it.");
                    }

                    return name;
                }
            }

            throw Unknown(text, model, parameter, text.Length == 0 ? "It is empty." : "Tab completion offers the " + CountFor(model) + " languages of " + model + ".");
        }

        /// <summary>Names (and "auto" when allowed) starting with <paramref name="prefix"/>, any case, quotes ignored.</summary>
        public static IEnumerable<string> Complete(string? prefix, string model, bool allowAuto)
        {
            string start = (prefix ?? string.Empty).Trim('\'', '"');
            IEnumerable<string> names = allowAuto ? new[] { Auto }.Concat(Names(model)) : Names(model);
            return names.Where(n => n.StartsWith(start, StringComparison.OrdinalIgnoreCase));
        }

        private static QwenException Unknown(string value, string model, string parameter, string detail) => new QwenException(
            QwenErrorIds.UnsupportedLanguage,
            QwenErrorCategory.InvalidArgument,
            "-" + parameter + " '" + value + "' is not a language " + model + " translates: give its English name or code (English or en, Chinese or zh). " + detail) { Target = value };
    }
}
