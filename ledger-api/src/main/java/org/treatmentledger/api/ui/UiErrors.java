package org.treatmentledger.api.ui;

import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.treatmentledger.api.consistency.ReadModelBehindException;
import org.treatmentledger.api.http.InvalidBodyException;
import org.treatmentledger.api.http.NotFoundException;
import org.treatmentledger.api.http.Problems;
import org.treatmentledger.api.http.ServiceUnavailableException;
import org.treatmentledger.api.integrity.EvidenceService;

/**
 * Errors of the UI's pages as an HTML page with the status the API would answer (before the API's problem+json
 * handler, which answers the API's controllers): an unknown patient 404, a role refused 403 (the security chain's
 * page), the read models or the ledger not answering 503 with Retry-After, anything else 500, logged.
 */
@ControllerAdvice(assignableTypes = {HomeController.class, PatientPagesController.class, WriteFormsController.class,
        AuditPagesController.class, AnalyticsPagesController.class})
@Order(Ordered.HIGHEST_PRECEDENCE)
class UiErrors {

    private static final Logger log = LoggerFactory.getLogger(UiErrors.class);

    @ExceptionHandler(AccessDeniedException.class)
    void denied(AccessDeniedException e) {
        throw e; // the security chain's access-denied page answers it (403)
    }

    @ExceptionHandler(Exception.class)
    String error(Exception e, Model model, HttpServletResponse response) {
        int status;
        String message;
        if (e instanceof NotFoundException || e instanceof AggregateNotFoundException) {
            status = 404;
            message = "No such patient, or not one of your clinics' patients.";
        } else if (e instanceof InvalidBodyException invalid) {
            status = 400;
            message = invalid.problem().getDetail();
        } else if (e instanceof ReadModelBehindException || e instanceof EvidenceService.NotSealedException) {
            status = 503;
            message = "The ledger has the latest entries but this view has not caught up yet. Reload in a moment.";
            response.setHeader("Retry-After", "1");
        } else if (e instanceof ServiceUnavailableException || Problems.databaseUnavailable(e)) {
            status = 503;
            message = "The ledger is not answering right now. Nothing was lost; try again shortly.";
            response.setHeader("Retry-After", Problems.UNAVAILABLE_RETRY_AFTER_SECONDS);
        } else {
            status = 500;
            message = "Something went wrong; it has been logged.";
            log.error("Unexpected error on a UI page", e);
        }
        response.setStatus(status);
        model.addAttribute("status", status);
        model.addAttribute("message", message);
        return "ui/error";
    }
}
