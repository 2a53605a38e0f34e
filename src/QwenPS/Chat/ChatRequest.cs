using System.Collections.Generic;

namespace QwenPS.Chat
{
    /// <summary>
    /// Everything one chat call sends, and the only carrier of its body fields: the model, the messages, whether
    /// to stream, and the <see cref="ChatFields"/> that were given (indexed by their row; a field not set is left
    /// out of the body).
    /// </summary>
    internal sealed class ChatRequest
    {
        private object?[] _values = new object?[ChatFields.All.Count];

        public ChatRequest(string model, IReadOnlyList<QwenMessage> messages)
        {
            Model = model;
            Messages = messages;
        }

        public string Model { get; }

        public IReadOnlyList<QwenMessage> Messages { get; private set; }

        /// <summary>The same request (fields, stream, extras) with other messages: a structured-output repair, the json word.</summary>
        public ChatRequest WithMessages(IReadOnlyList<QwenMessage> messages)
        {
            var copy = (ChatRequest)MemberwiseClone();
            copy._values = (object?[])_values.Clone();
            copy.Messages = messages;
            return copy;
        }

        public bool Stream { get; set; }

        /// <summary>Where the spoken answer of a Qwen-Omni call is written (a WAV file); null without audio. Not a body field.</summary>
        public string? AudioPath { get; set; }

        /// <summary>The value of <paramref name="field"/>, or null when not set. Set normalises (see <see cref="ChatField.Normalize"/>).</summary>
        public object? this[ChatField field]
        {
            get => _values[IndexOf(field)];
            set => _values[IndexOf(field)] = value == null ? null : field.Normalize(value);
        }

        /// <summary>Extra top-level body fields; they win over a modelled field of the same name.</summary>
        public IReadOnlyDictionary<string, object?>? AdditionalParameters { get; set; }

        private static int IndexOf(ChatField field)
        {
            for (int i = 0; i < ChatFields.All.Count; i++)
            {
                if (ReferenceEquals(ChatFields.All[i], field))
                {
                    return i;
                }
            }

            throw new KeyNotFoundException("'" + field + "' is not a row of ChatFields.All.");
        }
    }
}
