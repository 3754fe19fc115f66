# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors that the HTTP layer turns into the reference's Error body: {"code", "message", "details"?}."""


class ApiError(Exception):
    """An answer other than success, with the status and message a client sees."""

    status = 500
    default_message = "Something went wrong."

    def __init__(self, message=None, details=None, headers=None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.details = details
        self.headers = headers or {}

    def body(self):
        body = {"code": self.status, "message": self.message}
        if self.details:
            body["details"] = self.details
        return body


class BadRequest(ApiError):
    status = 400
    default_message = "Required parameter is missing"


class Unauthorized(ApiError):
    status = 401
    default_message = "Issuer is not familiar."

    def __init__(self, message=None, details=None):
        super().__init__(message, details, headers={"WWW-Authenticate": "Bearer"})


class Forbidden(ApiError):
    status = 403
    default_message = "You do not have sufficient permissions."


class NotFound(ApiError):
    status = 404
    default_message = "Resource id not found."


class Conflict(ApiError):
    status = 409
    default_message = "Resource with this name already exists"


class InjectedFault(ApiError):
    """A status answer chosen by the fault injector rather than by the request."""

    messages = {
        429: "Too many requests, try again later.",
        500: "Something went wrong.",
        502: "Bad gateway.",
        503: "Please try again in few minutes.",
    }

    def __init__(self, status, retry_after_seconds=None):
        headers = {}
        if retry_after_seconds is not None and status in (429, 503):
            headers["Retry-After"] = str(retry_after_seconds)
        super().__init__(self.messages[status], headers=headers)
        self.status = status


class ConnectionDropped(Exception):
    """Raised where a dropped connection cannot be produced (an in-process client with no transport)."""
