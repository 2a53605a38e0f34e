using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using QwenPS.Chat;
using QwenPS.Engine;
using QwenPS.Files;
using QwenPS.Output;

namespace QwenPS.Tests.Support
{
    /// <summary>An <see cref="IQwenOutput"/> that records every write with its stream and time, thread-safely.</summary>
    internal sealed class CollectingOutput : IQwenOutput
    {
        private readonly object _gate = new object();
        private readonly List<Written> _items = new List<Written>();
        private readonly Stopwatch _clock = Stopwatch.StartNew();

        public Action<object>? OnObject { get; set; }

        /// <summary>Called after each live text is recorded (a test stops a call there).</summary>
        public Action<LiveText>? OnLive { get; set; }

        public IReadOnlyList<Written> Items
        {
            get
            {
                lock (_gate)
                {
                    return _items.ToList();
                }
            }
        }

        public IReadOnlyList<object> Objects => Items.Where(i => i.Stream == "Output").Select(i => i.Value).ToList();

        public IReadOnlyList<string> Verbose => Texts("Verbose");

        public IReadOnlyList<string> Warnings => Texts("Warning");

        public IReadOnlyList<string> Debug => Texts("Debug");

        public IReadOnlyList<LiveText> Live => Items.Where(i => i.Stream == "Live").Select(i => (LiveText)i.Value).ToList();

        public IReadOnlyList<QwenException> Errors => Items.Where(i => i.Stream == "Error").Select(i => (QwenException)i.Value).ToList();

        public IReadOnlyList<QwenProgress> Progress => Items.Where(i => i.Stream == "Progress").Select(i => (QwenProgress)i.Value).ToList();

        /// <summary>Every text written to any stream, for leak checks.</summary>
        public IEnumerable<string> AllText => Items.Select(i => i.Value switch
        {
            LiveText live => live.Text,
            QwenProgress progress => progress.Activity + " " + progress.Status,
            QwenException error => error.ToString(),
            _ => i.Value.ToString() ?? string.Empty,
        });

        private IReadOnlyList<string> Texts(string stream) => Items.Where(i => i.Stream == stream).Select(i => (string)i.Value).ToList();

        private void Add(string stream, object value)
        {
            lock (_gate)
            {
                _items.Add(new Written(stream, value, _clock.Elapsed));
            }
        }

        public void WriteObject(object item)
        {
            Add("Output", item);
            OnObject?.Invoke(item);
        }

        public void WriteVerbose(string message) => Add("Verbose", message);

        public void WriteDebug(string message) => Add("Debug", message);

        public void WriteWarning(string message) => Add("Warning", message);

        public void WriteProgress(QwenProgress progress) => Add("Progress", progress);

        public void WriteLive(LiveText text)
        {
            Add("Live", text);
            OnLive?.Invoke(text);
        }

        public void WriteError(QwenException error) => Add("Error", error);

        public sealed record Written(string Stream, object Value, TimeSpan At);
    }
}
