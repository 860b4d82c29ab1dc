package org.treatmentledger.api.http;

import org.springframework.http.ProblemDetail;

/** A body the controller parsed itself (an amend's replacement) is invalid: carries the 400 problem. */
public class InvalidBodyException extends RuntimeException {
    private final transient ProblemDetail problem;

    public InvalidBodyException(ProblemDetail problem) {
        super(problem.getDetail());
        this.problem = problem;
    }

    public ProblemDetail problem() { return problem; }
}
