package org.treatmentledger.bench.peer;

import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.domain.EntityScan;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.patient.Patient;
import org.treatmentledger.core.rules.ClinicPolicy;
import org.treatmentledger.core.serialization.LedgerJson;

import java.time.Clock;

/**
 * The peer: Axon as it comes out of the box for the same model. The same Patient aggregate and commands,
 * registered the stock way (@Aggregate: no snapshots, no cache, Axon's default repository), on Axon's JPA
 * storage engine with Hibernate (ddl-auto=create in the peer's own database), default processors and
 * default handler timeouts. Deliberate departures, each needed for the model to run at all: Jackson through
 * LedgerJson.serializer() (XStream cannot read records), and the resources the command handlers take
 * (ClinicPolicy, Clock) plus the recordedBy correlation provider the API contract requires.
 * <p>
 * No component scanning: this class does not scan the service's packages and sees none of its JDBC
 * configuration; it reads no application properties file (spring.config.name is its own).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(exclude = FlywayAutoConfiguration.class)
@EntityScan(basePackages = {
        "org.axonframework.eventsourcing.eventstore.jpa",
        "org.axonframework.eventhandling.tokenstore.jpa",
        "org.axonframework.modelling.saga.repository.jpa",
        "org.axonframework.eventhandling.deadletter.jpa"})
// The aggregate the stock Spring Boot way: its @Aggregate stereotype, nothing configured on top.
@Import(Patient.class)
public class PeerApplication {

    public static ConfigurableApplicationContext start(String jdbcUrl, String user) {
        return new SpringApplicationBuilder(PeerApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(org.springframework.boot.Banner.Mode.OFF)
                .logStartupInfo(false)
                .run("--spring.config.name=bench-peer",
                        "--spring.datasource.url=" + jdbcUrl,
                        "--spring.datasource.username=" + user,
                        "--spring.jpa.hibernate.ddl-auto=create",
                        "--spring.jpa.open-in-view=false",
                        "--spring.flyway.enabled=false",
                        "--axon.axonserver.enabled=false",
                        // No outbound calls from the bench (the network is closed); no effect on speed.
                        "--axon.update-check.disabled=true",
                        // Its meters stay in its own registry, apart from the service's (one JVM, two contexts).
                        "--management.metrics.use-global-registry=false",
                        "--logging.level.root=WARN");
    }

    @Bean
    @Primary
    public Serializer serializer() { return LedgerJson.serializer(); }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() { return LedgerJson.serializer(); }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() { return LedgerJson.serializer(); }

    @Bean
    public ClinicPolicy clinicPolicy() { return ClinicPolicy.defaults(); }

    @Bean
    public Clock clock() { return Clock.systemUTC(); }

    @Bean
    public CorrelationDataProvider recordedByCorrelation() {
        return new SimpleCorrelationDataProvider(PatientEvent.RECORDED_BY);
    }
}
