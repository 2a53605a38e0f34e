using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace QwenPS.Batch
{
    /// <summary>
    /// The input objects of the batches started in this session (per runspace, like the Connect-Qwen defaults), so that
    /// Receive-QwenBatch can hand back the very objects that went in. Held until the runspace closes; a later session
    /// gets the texts from the mapping file instead.
    /// </summary>
    internal static class BatchInputStore
    {
        private static readonly ConditionalWeakTable<object, Dictionary<string, IReadOnlyList<object?>>> Inputs =
            new ConditionalWeakTable<object, Dictionary<string, IReadOnlyList<object?>>>();

        public static void Set(object scope, string batchId, IReadOnlyList<object?> inputs)
        {
            Dictionary<string, IReadOnlyList<object?>> batches = Inputs.GetValue(scope, _ => new Dictionary<string, IReadOnlyList<object?>>());
            lock (batches)
            {
                batches[batchId] = inputs;
            }
        }

        public static IReadOnlyList<object?>? Get(object scope, string batchId)
        {
            if (!Inputs.TryGetValue(scope, out Dictionary<string, IReadOnlyList<object?>>? batches))
            {
                return null;
            }

            lock (batches)
            {
                return batches.TryGetValue(batchId, out IReadOnlyList<object?>? inputs) ? inputs : null;
            }
        }

        /// <summary>Lets go of the inputs of a batch (Remove-QwenBatchMapping); false when none were kept.</summary>
        public static bool Remove(object scope, string batchId)
        {
            if (!Inputs.TryGetValue(scope, out Dictionary<string, IReadOnlyList<object?>>? batches))
            {
                return false;
            }

            lock (batches)
            {
                return batches.Remove(batchId);
            }
        }
    }
}
