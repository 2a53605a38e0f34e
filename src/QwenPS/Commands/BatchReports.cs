using System.Linq;
using System.Management.Automation;
using QwenPS.Batch;

namespace QwenPS.Commands
{
    /// <summary>How the batch cmdlets tell the user that a batch or a request did not go as planned.</summary>
    internal static class BatchReports
    {
        /// <summary>Failed: an error with the service's reasons; Expired or Cancelled: a warning.</summary>
        public static void Finished(Cmdlet cmdlet, QwenBatch batch)
        {
            if (batch.StatusValue == QwenBatchStatus.Failed)
            {
                string reasons = batch.Errors.Count == 0 ? "the service gave no reason" : string.Join("; ", batch.Errors.Select(e => e.ToString()));
                cmdlet.WriteError(QwenCmdlet.ToErrorRecord(new QwenException(
                    QwenErrorIds.BatchFailed,
                    QwenErrorCategory.InvalidResult,
                    "The batch " + batch.Id + " failed: " + reasons + ".") { Target = batch, RequestId = batch.RequestId }));
            }
            else if (batch.StatusValue == QwenBatchStatus.Expired || batch.StatusValue == QwenBatchStatus.Cancelled)
            {
                cmdlet.WriteWarning("The batch " + batch.Id + " ended " + batch.Status + " with " + batch.Completed + " of " + batch.Total
                    + " requests done; Receive-QwenBatch returns those, and the others as NotProcessed.");
            }
        }

        /// <summary>A failed or unprocessed request, as a non-terminating error whose target is its result.</summary>
        public static void Request(Cmdlet cmdlet, QwenBatchResult result)
        {
            if (result.StatusValue == QwenBatchResultStatus.Succeeded)
            {
                return;
            }

            string id = result.StatusValue == QwenBatchResultStatus.NotProcessed ? QwenErrorIds.BatchRequestNotProcessed
                : result.ErrorCode == BatchResultConverter.MalformedCode ? QwenErrorIds.BatchResultMalformed
                : result.ErrorCode == BatchResultConverter.JsonAnswerInvalidCode ? QwenErrorIds.JsonAnswerInvalid
                : QwenErrorIds.BatchRequestFailed;
            QwenErrorCategory category = result.StatusValue == QwenBatchResultStatus.NotProcessed ? QwenErrorCategory.OperationStopped
                : id == QwenErrorIds.BatchResultMalformed ? QwenErrorCategory.ProtocolError
                : QwenErrorCategory.InvalidResult;
            string message = "Request '" + result.CustomId + "' of " + result.BatchId + ": " + result.Error
                + (result.ErrorCode == null ? string.Empty : " (" + result.ErrorCode + ")");
            cmdlet.WriteError(QwenCmdlet.ToErrorRecord(new QwenException(id, category, message) { Target = result, RequestId = result.RequestId, StatusCode = result.StatusCode, ServiceCode = result.ErrorCode }));
        }
    }
}
