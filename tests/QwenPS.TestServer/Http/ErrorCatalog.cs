namespace QwenPS.TestServer;

/// <summary>Plausible compat-mode code/type/message per HTTP status, after the reference's §9.2 table.</summary>
internal static class ErrorCatalog
{
    public const string InvalidApiKeyMessage =
        "Incorrect API key provided. For details, see: https://help.aliyun.com/zh/model-studio/error-code#apikey-error";

    public const string StreamOnlyMessage =
        "This model only support stream mode, please enable the stream parameter to access the model. ";

    public const string InvalidBodyMessage = "Required body invalid, please check the request body format.";

    public static (string? Code, string? Type, string Message) ForStatus(int status) => status switch
    {
        400 => ("invalid_parameter_error", "invalid_request_error", "<400> InternalError.Algo.InvalidParameter: The request is invalid."),
        401 => ("invalid_api_key", "invalid_request_error", InvalidApiKeyMessage),
        403 => ("AccessDenied", "invalid_request_error", "Access denied."),
        404 => ("model_not_found", "invalid_request_error", "The model `unknown` does not exist or you do not have access to it."),
        408 => ("RequestTimeOut", "invalid_request_error", "Request timed out, please try again later."),
        413 => ("invalid_request_error", "invalid_request_error", "Payload Too Large"),
        429 => ("limit_requests", "limit_requests", "Requests rate limit exceeded, please try again later."),
        500 => ("internal_error", "internal_error", "An internal error has occurred, please try again later or contact service support."),
        502 => ("bad_gateway", "internal_error", "Bad gateway."),
        503 => ("ModelUnavailable", "internal_error", "Model is unavailable, please try again later."),
        504 => ("gateway_timeout", "internal_error", "Gateway timeout."),
        _ => (status >= 500 ? "internal_error" : "invalid_request_error",
              status >= 500 ? "internal_error" : "invalid_request_error",
              "Test server error status " + status.ToString(System.Globalization.CultureInfo.InvariantCulture) + "."),
    };
}
