package org.treatmentledger.api.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

import java.util.List;
import java.util.Locale;

/**
 * The problems of errors no controller raised: Tomcat's own refusals (ProblemErrorReportValve) and errors that
 * reach /error (ProblemErrorController). Only the status is known there, so the detail is a fixed sentence per
 * status: never the server's message, an exception or the refused URI.
 */
public final class ServerProblems {

    private ServerProblems() { }

    public static ProblemDetail forStatus(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        if (known == HttpStatus.BAD_REQUEST) {
            return Problems.badRequest("The server refused the request before reading it: its URI or a header is not "
                    + "acceptable", List.of(new Problems.FieldError("path", "malformed escapes, encoded slashes, path "
                    + "parameters, '..' segments and characters a URI may not hold are refused")));
        }
        if (known == null) {
            return Problems.problem(org.springframework.http.HttpStatusCode.valueOf(status), "error", "Error",
                    "The request could not be completed");
        }
        if (known == HttpStatus.INTERNAL_SERVER_ERROR) {
            return Problems.problem(known, "internal-error", "Internal error",
                    "The request could not be completed because of an internal error. It has been logged.");
        }
        String detail = switch (known) {
            case NOT_FOUND -> "No such resource";
            case METHOD_NOT_ALLOWED -> "The method is not allowed on this resource";
            case PAYLOAD_TOO_LARGE -> "The request is too large";
            case URI_TOO_LONG -> "The request URI is too long";
            case REQUEST_HEADER_FIELDS_TOO_LARGE -> "The request's headers are too large";
            default -> known.getReasonPhrase();
        };
        return Problems.problem(known, known.name().toLowerCase(Locale.ROOT).replace('_', '-'), known.getReasonPhrase(),
                detail);
    }
}
