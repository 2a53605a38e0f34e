using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace QwenPS.Output
{
    /// <summary>
    /// PowerShell lets a cmdlet write only from its pipeline thread, while the engine's awaits resume on
    /// pool threads. The pump is the bridge: the engine writes into it from any thread; <see cref="Run{T}"/>,
    /// on the pipeline thread, forwards each write to the real output in order as soon as it arrives, and
    /// returns (or throws) when the work ends. If forwarding throws (the pipeline was stopped, or
    /// Select-Object -First has what it needs), the work is cancelled and awaited before the throw goes on,
    /// so nothing is left running.
    /// The queue is bounded (<see cref="Capacity"/>): when the consumer is slow (<c>| Out-File</c>, a slow
    /// ForEach-Object), a write from the engine waits for room, so the stream reader stops reading and TCP holds
    /// the rest of the answer back; memory no longer grows with the gap between the service's and the consumer's
    /// speed (docs/performance.md, scenario 7).
    /// </summary>
    internal sealed class OutputPump : IQwenOutput, IDisposable
    {
        /// <summary>Records waiting for the pipeline thread at most; a writer waits beyond that.</summary>
        internal const int Capacity = 1024;

        private readonly BlockingCollection<Item> _queue = new BlockingCollection<Item>(new ConcurrentQueue<Item>(), Capacity);

        // Cancelled when the consumer gives up, so a writer waiting for room is released.
        private readonly CancellationTokenSource _abandoned = new CancellationTokenSource();
        private IQwenOutput? _target;
        private int _consumerThread = -1;

        public T Run<T>(Func<IQwenOutput, Task<T>> work, IQwenOutput target, CancellationTokenSource cancellation)
        {
            _target = target;
            _consumerThread = Environment.CurrentManagedThreadId;
            Task<T> task;
            try
            {
                task = work(this);
            }
            catch
            {
                _queue.CompleteAdding();
                throw;
            }

            task.ContinueWith(_ => _queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            try
            {
                foreach (Item item in _queue.GetConsumingEnumerable())
                {
                    Forward(item, target);
                }
            }
            catch
            {
                _abandoned.Cancel();
                cancellation.Cancel();
                try
                {
                    task.Wait(TimeSpan.FromSeconds(5));
                }
                catch (AggregateException)
                {
                    // The work's own failure is secondary to the one being thrown.
                }

                throw;
            }

            return task.GetAwaiter().GetResult();
        }

        private static void Forward(Item item, IQwenOutput target)
        {
            switch (item.Kind)
            {
                case ItemKind.Object:
                    target.WriteObject(item.Payload!);
                    break;
                case ItemKind.Verbose:
                    target.WriteVerbose((string)item.Payload!);
                    break;
                case ItemKind.Debug:
                    target.WriteDebug((string)item.Payload!);
                    break;
                case ItemKind.Warning:
                    target.WriteWarning((string)item.Payload!);
                    break;
                case ItemKind.Progress:
                    target.WriteProgress((QwenProgress)item.Payload!);
                    break;
                case ItemKind.Live:
                    target.WriteLive(item.Live);
                    break;
                case ItemKind.Error:
                    target.WriteError((QwenException)item.Payload!);
                    break;
            }
        }

        public void WriteObject(object item) => Post(new Item(ItemKind.Object, item));

        public void WriteVerbose(string message) => Post(new Item(ItemKind.Verbose, message));

        public void WriteDebug(string message) => Post(new Item(ItemKind.Debug, message));

        public void WriteWarning(string message) => Post(new Item(ItemKind.Warning, message));

        public void WriteProgress(QwenProgress progress) => Post(new Item(ItemKind.Progress, progress));

        public void WriteLive(LiveText text) => Post(new Item(ItemKind.Live, null, text));

        public void WriteError(QwenException error) => Post(new Item(ItemKind.Error, error));

        private void Post(Item item)
        {
            try
            {
                if (Environment.CurrentManagedThreadId == _consumerThread)
                {
                    // The pipeline thread itself (work that writes before its first await) must not wait for
                    // itself: it forwards the oldest records first, which keeps the order.
                    while (!_queue.TryAdd(item))
                    {
                        Forward(_queue.Take(), _target!);
                    }

                    return;
                }

                _queue.Add(item, _abandoned.Token);
            }
            catch (InvalidOperationException)
            {
                // The pump has finished (the pipeline stopped): late writes from a cancelled task are dropped.
            }
            catch (Exception ex) when (ex is OperationCanceledException || ex is ObjectDisposedException)
            {
                // The consumer gave up while this writer waited for room (or is gone): dropped, as above.
            }
        }

        public void Dispose()
        {
            _queue.Dispose();
            _abandoned.Dispose();
        }

        private enum ItemKind
        {
            Object,
            Verbose,
            Debug,
            Warning,
            Progress,
            Live,
            Error,
        }

        private readonly struct Item
        {
            public Item(ItemKind kind, object? payload, LiveText live = default)
            {
                Kind = kind;
                Payload = payload;
                Live = live;
            }

            public ItemKind Kind { get; }

            public object? Payload { get; }

            public LiveText Live { get; }
        }
    }
}
