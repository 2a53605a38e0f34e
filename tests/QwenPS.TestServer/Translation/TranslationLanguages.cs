using System;
using System.Collections.Generic;
using System.Linq;

namespace QwenPS.TestServer.Translation;

/// <summary>The languages Qwen-MT accepts, by English name and code (92 for plus/flash/turbo, 31 for lite).</summary>
internal static class TranslationLanguages
{
    private static readonly (string Name, string Code)[] All =
    [
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
    ];

    private static readonly HashSet<string> LiteNames = new(StringComparer.Ordinal)
    {
        "English", "Chinese", "Traditional Chinese", "Russian", "Japanese", "Korean", "Spanish", "French", "Portuguese",
        "German", "Italian", "Thai", "Vietnamese", "Indonesian", "Malay", "Arabic", "Hindi", "Hebrew", "Urdu", "Bengali",
        "Polish", "Dutch", "Turkish", "Khmer", "Czech", "Swedish", "Hungarian", "Danish", "Finnish", "Tagalog", "Western Persian",
    };

    public static int Count => All.Length;

    /// <summary>The English name for a name or code the model accepts, or null.</summary>
    public static string? Resolve(string value, bool lite)
    {
        foreach ((string name, string code) in All)
        {
            if (string.Equals(value, name, StringComparison.Ordinal) || string.Equals(value, code, StringComparison.Ordinal))
            {
                return !lite || LiteNames.Contains(name) ? name : null;
            }
        }

        return null;
    }

    public static IEnumerable<string> Codes => All.Select(l => l.Code);
}
