package org.treatmentledger.api.http;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;

/**
 * The /error page as application/problem+json, whatever the client accepts; it replaces Spring Boot's
 * BasicErrorController (JSON without the problem shape, or the Whitelabel HTML page). Errors reach it from outside
 * Spring MVC: Spring Security's firewall (a semicolon, '..' or an encoded slash in the path), a filter's
 * sendError, an exception no handler took. A GET of /error itself is a 404.
 */
@RestController
@Hidden
public class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    public ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int code = status instanceof Integer value && value >= 400 ? value : 404;
        ProblemDetail problem = ServerProblems.forStatus(code);
        // The failed request's path, not /error (what Spring MVC would fill in for a problem without an instance).
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            try {
                problem.setInstance(URI.create(uri));
            } catch (IllegalArgumentException notAUri) {
                problem.setInstance(URI.create(request.getContextPath() + "/"));
            }
        }
        return Problems.entity(problem);
    }
}
