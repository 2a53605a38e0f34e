namespace QwenPS
{
    /// <summary>The stable error ids QwenPS puts on its ErrorRecords (docs/reliability.md lists when each occurs).</summary>
    public static class QwenErrorIds
    {
        // Raised before any request is sent.
        public const string MissingApiKey = "MissingApiKey";
        public const string InsecureEndpoint = "InsecureEndpoint";
        public const string InvalidEndpoint = "InvalidEndpoint";
        public const string InvalidArgument = "InvalidArgument";
        public const string FileNotFound = "FileNotFound";
        public const string FileEmpty = "FileEmpty";
        public const string FileTooLarge = "FileTooLarge";
        public const string UnsupportedFileType = "UnsupportedFileType";
        public const string FileReadFailed = "FileReadFailed";
        public const string ConfirmationUnavailable = "ConfirmationUnavailable";
        public const string JsonModeWithThinking = "JsonModeWithThinking";
        public const string PartialModeWithThinking = "PartialModeWithThinking";
        public const string NothingToContinue = "NothingToContinue";

        public const string DocumentNotText = "DocumentNotText";
        public const string DestinationExists = "DestinationExists";
        public const string FileWriteFailed = "FileWriteFailed";

        // The service answered with an error status.
        public const string InvalidApiKey = "InvalidApiKey";
        public const string AccessDenied = "AccessDenied";
        public const string NotFound = "NotFound";
        public const string ModelNotFound = "ModelNotFound";
        public const string InvalidParameter = "InvalidParameter";
        public const string DataInspectionFailed = "DataInspectionFailed";
        public const string BillingError = "BillingError";
        public const string RateLimited = "RateLimited";
        public const string RequestTimeout = "RequestTimeout";
        public const string PayloadTooLarge = "PayloadTooLarge";
        public const string UnsupportedMedia = "UnsupportedMedia";
        public const string ServerError = "ServerError";
        public const string ServiceUnavailable = "ServiceUnavailable";
        public const string HttpError = "HttpError";

        // The transport or the response body failed.
        public const string ConnectionFailed = "ConnectionFailed";
        public const string ResponseTimeout = "ResponseTimeout";
        public const string IdleTimeout = "IdleTimeout";
        public const string Timeout = "Timeout";
        public const string UnexpectedResponse = "UnexpectedResponse";
        public const string StreamInterrupted = "StreamInterrupted";
        public const string MalformedStream = "MalformedStream";
        public const string StreamError = "StreamError";
        public const string ResponseTooLarge = "ResponseTooLarge";

        // Structured output: the answer stayed unusable after the repairs.
        public const string JsonAnswerInvalid = "JsonAnswerInvalid";

        // Files API workflow.
        public const string FileProcessingFailed = "FileProcessingFailed";
        public const string FileProcessingTimeout = "FileProcessingTimeout";

        // Multimodal input and audio output (Qwen-Omni, vision models).
        public const string MediaLimitExceeded = "MediaLimitExceeded";
        public const string VoiceNotAvailable = "VoiceNotAvailable";
        public const string AudioNotSupported = "AudioNotSupported";
        public const string AudioFileFailed = "AudioFileFailed";

        // The model catalog (Get-QwenModel).
        public const string ModelNotInCatalog = "ModelNotInCatalog";

        // Translation (Qwen-MT).
        public const string UnsupportedLanguage = "UnsupportedLanguage";

        // Code completion (fill in the middle).
        public const string RegionNotSupported = "RegionNotSupported";

        // Batch inference (Start/Get/Wait/Receive/Stop-QwenBatch).
        public const string BatchInputInvalid = "BatchInputInvalid";
        public const string BatchModelMismatch = "BatchModelMismatch";
        public const string BatchDuplicateCustomId = "BatchDuplicateCustomId";
        public const string BatchLimitExceeded = "BatchLimitExceeded";
        public const string BatchFailed = "BatchFailed";
        public const string BatchWaitTimeout = "BatchWaitTimeout";
        public const string BatchNotFinished = "BatchNotFinished";
        public const string BatchMappingNotFound = "BatchMappingNotFound";
        public const string BatchRequestFailed = "BatchRequestFailed";
        public const string BatchRequestNotProcessed = "BatchRequestNotProcessed";
        public const string BatchResultMalformed = "BatchResultMalformed";
    }
}
