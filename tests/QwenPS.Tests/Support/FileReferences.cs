using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using QwenPS.Engine;
using QwenPS.Files;

namespace QwenPS.Tests.Support
{
    /// <summary>What Add-QwenFileReference -Path does for local files: every file checked first, then uploaded and waited for.</summary>
    internal static class FileReferences
    {
        public static Task<QwenMessage> UploadAsync(QwenClient client, IEnumerable<string> paths, TimeSpan processingTimeout, CancellationToken cancellationToken) =>
            FileReferenceOperation.ReferenceAsync(client, paths.Select(FileReferenceSource.Local).ToList(), processingTimeout, cancellationToken);
    }
}
