package org.treatmentledger.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.catalina.Host;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.util.unit.DataSize;

/**
 * The error path outside controllers: Tomcat's error report as problem+json, and the request body limit.
 */
@Configuration(proxyBeanMethods = false)
public class ErrorPathConfiguration {

    /**
     * Replaces the host's ErrorReportValve (Spring Boot adds a plain one when stack traces are off, Tomcat one at host
     * start unless a valve of the configured class is there) by ProblemErrorReportValve. Runs last so that Boot's
     * valve has been added when this removes it.
     */
    @Bean
    ProblemErrorReports problemErrorReports(ObjectMapper mapper) {
        return new ProblemErrorReports(mapper);
    }

    static final class ProblemErrorReports implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {
        private final ObjectMapper mapper;

        ProblemErrorReports(ObjectMapper mapper) {
            this.mapper = mapper;
        }

        @Override
        public void customize(TomcatServletWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Host host = (Host) context.getParent();
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof ErrorReportValve) host.getPipeline().removeValve(valve);
                }
                host.getPipeline().addValve(new ProblemErrorReportValve(mapper));
                if (host instanceof StandardHost standard) {
                    standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }

    /** First of all filters, so no body is read (by security, the Idempotency-Key filter or MVC) past the limit. */
    @Bean
    FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimit(
            @Value("${ledger.http.max-body-size:1MB}") DataSize maxBodySize, ObjectMapper mapper) {
        FilterRegistrationBean<RequestBodyLimitFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyLimitFilter(maxBodySize.toBytes(), mapper));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        return registration;
    }
}
