package org.treatmentledger.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.apache.tomcat.util.ExceptionUtils;
import org.springframework.http.MediaType;

import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's error report for responses the application never saw, as application/problem+json instead of Tomcat's
 * HTML page: a URI Tomcat refuses (malformed escape, encoded slash, '..' above the root) is mapped to no context, so
 * neither Spring MVC nor the /error page runs and the host's error report valve writes the body. Same conditions as
 * the superclass (an error status, nothing written yet, I/O still allowed); only the body differs.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    private final ObjectMapper mapper;

    public ProblemErrorReportValve(ObjectMapper mapper) {
        this.mapper = mapper;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) return;
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(mapper.writeValueAsString(ServerProblems.forStatus(status)));
                response.finishResponse();
            }
        } catch (Throwable t) {
            ExceptionUtils.handleThrowable(t);
            if (container != null && container.getLogger().isDebugEnabled()) {
                container.getLogger().debug("Could not write the problem for status " + status, t);
            }
        }
    }
}
