using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;

namespace QwenPS.Commands
{
    /// <summary>
    /// Base of the cmdlets that act on stored items one id at a time (Get-QwenFile -FileId, Remove-QwenFile, and
    /// later batches): the per-item error policy is written here once. The service refusing one id (an HTTP
    /// status: not found, forbidden) is a non-terminating error and the other ids go on; anything else (no key,
    /// no connection, a timeout, a stop) ends the command. The client is resolved on the first approved id, so
    /// -WhatIf needs no key, and all ids share one -TimeoutSec budget.
    /// </summary>
    public abstract class QwenItemCmdlet : QwenServiceCmdlet
    {
        private QwenClientFactory? _factory;

        /// <summary>
        /// Runs <paramref name="work"/> for each id that <paramref name="approve"/> accepts (ShouldProcess, or
        /// always), writing what it returns (null: nothing).
        /// </summary>
        internal void ForEachItem(IEnumerable<string> ids, Func<string, bool> approve, Func<QwenClient, string, CancellationToken, Task<object?>> work)
        {
            foreach (string id in ids)
            {
                if (!approve(id))
                {
                    continue;
                }

                _factory ??= ResolveClient();
                object? result;
                try
                {
                    result = RunEngine((output, token) => work(_factory.CreateClient(output), id, token));
                }
                catch (QwenException error) when (error.StatusCode.HasValue)
                {
                    // The service refused this one item (for example NotFound): report it and go on with the rest.
                    WriteError(ToErrorRecord(error));
                    continue;
                }
                catch (QwenException error)
                {
                    ThrowQwenError(error);
                    throw;
                }

                if (result != null)
                {
                    WriteObject(result);
                }
            }
        }
    }
}
