using System;
using System.Globalization;

namespace QwenPS.Errors
{
    /// <summary>
    /// Turns an HTTP status plus the service's error (if any) into a <see cref="QwenException"/>:
    /// primarily by status, secondarily by code (docs/dashscope-notes.md, "Errors"). It also decides what is transient:
    /// 408, 429 throttling (including DashScope's <c>insufficient_quota</c>, which clears within a minute)
    /// and 5xx are; billing codes (<c>Arrearage</c>, overdue bills) and content moderation never are.
    /// </summary>
    internal static class ErrorMapper
    {
        public static QwenException FromHttp(int status, string? reasonPhrase, ServiceError? error, string? bodySnippet, string? requestId, object? target, string? apiKey)
        {
            string? code = error?.Code;
            (string id, QwenErrorCategory category, bool transient) = Classify(status, code, error?.Message);

            string serviceText = error?.Message ?? bodySnippet ?? string.Empty;
            string message = string.Format(
                CultureInfo.InvariantCulture,
                "DashScope returned HTTP {0}{1}{2}: {3}",
                status,
                string.IsNullOrEmpty(reasonPhrase) ? string.Empty : " " + reasonPhrase,
                string.IsNullOrEmpty(code) ? string.Empty : " (" + code + ")",
                serviceText.Length == 0 ? "no error details." : serviceText);

            string? hint = Hint(status, code, id);
            if (hint != null)
            {
                message = EndSentence(message) + " " + hint;
            }

            string? effectiveRequestId = requestId ?? error?.RequestId;
            if (effectiveRequestId != null)
            {
                message += " (request id " + effectiveRequestId + ")";
            }

            // The service's fields are text it sent back: a proxy or a buggy gateway can echo the key in any of them.
            return new QwenException(id, category, SecretRedactor.Redact(message, apiKey))
            {
                StatusCode = status,
                ServiceCode = RedactOrNull(code, apiKey),
                ServiceType = RedactOrNull(error?.Type, apiKey),
                RequestId = RedactOrNull(effectiveRequestId, apiKey),
                Target = target,
                IsTransient = transient,
            };
        }

        internal static string? RedactOrNull(string? text, string? apiKey) => text == null ? null : SecretRedactor.Redact(text, apiKey);

        /// <summary>The text with a full stop at its end when it has no closing punctuation, so a hint after it reads as its own sentence.</summary>
        internal static string EndSentence(string text)
        {
            string trimmed = text.TrimEnd();
            if (trimmed.Length == 0)
            {
                return trimmed;
            }

            char last = trimmed[trimmed.Length - 1];
            return last == '.' || last == '!' || last == '?' || last == '\u3002' || last == '\uFF01' || last == '\uFF1F' ? trimmed : trimmed + ".";
        }

        internal static (string Id, QwenErrorCategory Category, bool Transient) Classify(int status, string? code, string? message)
        {
            if (IsBillingCode(code, message))
            {
                return (QwenErrorIds.BillingError, QwenErrorCategory.QuotaExceeded, false);
            }

            if (Is(code, "data_inspection_failed") || Is(code, "DataInspectionFailed"))
            {
                return (QwenErrorIds.DataInspectionFailed, QwenErrorCategory.InvalidData, false);
            }

            switch (status)
            {
                case 400:
                    if (message != null && message.IndexOf("File parsing in progress", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return (QwenErrorIds.InvalidParameter, QwenErrorCategory.ResourceUnavailable, false);
                    }

                    return (QwenErrorIds.InvalidParameter, QwenErrorCategory.InvalidArgument, false);
                case 401:
                    return (QwenErrorIds.InvalidApiKey, QwenErrorCategory.AuthenticationError, false);
                case 403:
                    return (QwenErrorIds.AccessDenied, QwenErrorCategory.PermissionDenied, false);
                case 404:
                    return Is(code, "model_not_found") || Is(code, "ModelNotFound")
                        ? (QwenErrorIds.ModelNotFound, QwenErrorCategory.ObjectNotFound, false)
                        : (QwenErrorIds.NotFound, QwenErrorCategory.ObjectNotFound, false);
                case 408:
                    return (QwenErrorIds.RequestTimeout, QwenErrorCategory.OperationTimeout, true);
                case 413:
                    return (QwenErrorIds.PayloadTooLarge, QwenErrorCategory.LimitsExceeded, false);
                case 415:
                    return (QwenErrorIds.UnsupportedMedia, QwenErrorCategory.InvalidData, false);
                case 429:
                    return (QwenErrorIds.RateLimited, QwenErrorCategory.LimitsExceeded, true);
                case 503:
                    return (QwenErrorIds.ServiceUnavailable, QwenErrorCategory.ResourceUnavailable, true);
                case 501:
                case 505:
                    return (QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, false);
            }

            if (status >= 500 && status <= 599)
            {
                return (QwenErrorIds.ServerError, QwenErrorCategory.ResourceUnavailable, true);
            }

            return (QwenErrorIds.HttpError, QwenErrorCategory.InvalidResult, false);
        }

        private static bool IsBillingCode(string? code, string? message)
        {
            if (code == null)
            {
                return false;
            }

            return Is(code, "Arrearage")
                || Is(code, "PrepaidBillOverdue")
                || Is(code, "PostpaidBillOverdue")
                || Is(code, "CommodityNotPurchased")
                || Is(code, "AllocationQuota.FreeTierOnly")
                || (message != null && message.IndexOf("Free allocated quota exceeded", StringComparison.OrdinalIgnoreCase) >= 0);
        }

        private static string? Hint(int status, string? code, string id)
        {
            if (status == 401)
            {
                return "DashScope keys belong to one region: check that the key matches the endpoint (-Region or -BaseUri).";
            }

            if (id == QwenErrorIds.ModelNotFound)
            {
                return "Model names are case-sensitive and differ between regions.";
            }

            if (id == QwenErrorIds.BillingError)
            {
                return "This is a billing or activation problem on the account; retrying will not help.";
            }

            return null;
        }

        private static bool Is(string? code, string expected) => string.Equals(code, expected, StringComparison.OrdinalIgnoreCase);
    }
}
