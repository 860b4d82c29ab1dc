package org.treatmentledger.api.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the ledger's application/problem+json bodies. */
public final class Problems {

    public static final String TYPE_PREFIX = "https://treatmentledger.org/problems/";

    private Problems() { }

    public record FieldError(String field, String message) { }

    public static ProblemDetail problem(HttpStatusCode status, String slug, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + slug.toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(title);
        return problem;
    }

    public static ProblemDetail badRequest(String detail, List<FieldError> errors) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", detail);
        problem.setProperty("errors", errors.stream()
                .map(e -> Map.of("field", e.field() == null ? "" : e.field(), "message", e.message()))
                .toList());
        return problem;
    }

    public static ResponseEntity<ProblemDetail> entity(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
