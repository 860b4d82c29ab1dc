package org.treatmentledger.api;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The layering docs/ARCHITECTURE.md describes, checked over the main classes of ledger-core, ledger-projections and
 * ledger-api.
 */
@AnalyzeClasses(packages = "org.treatmentledger", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The domain (aggregate, rules, events) runs without Spring: Axon's annotations only. */
    @ArchTest
    static final ArchRule coreIsFreeOfSpring = noClasses().that().resideInAPackage("org.treatmentledger.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..");

    @ArchTest
    static final ArchRule coreKnowsNoReadModelOrService = noClasses().that().resideInAPackage("org.treatmentledger.core..")
            .should().dependOnClassesThat().resideInAnyPackage("org.treatmentledger.projections..", "org.treatmentledger.api..");

    @ArchTest
    static final ArchRule projectionsKnowNoService = noClasses().that().resideInAPackage("org.treatmentledger.projections..")
            .should().dependOnClassesThat().resideInAPackage("org.treatmentledger.api..");

    /** Read models read events through Axon's API, never Axon's JDBC schema classes. */
    @ArchTest
    static final ArchRule projectionsUseNoAxonSchema = noClasses().that().resideInAPackage("org.treatmentledger.projections..")
            .should().dependOnClassesThat().resideInAnyPackage("org.axonframework.eventsourcing.eventstore.jdbc..",
                    "org.axonframework.eventhandling.tokenstore.jdbc..", "org.axonframework.eventhandling.deadletter.jdbc..");

    @ArchTest
    static final ArchRule noCyclesBetweenServicePackages = slices().matching("org.treatmentledger.api.(*)..")
            .should().beFreeOfCycles();

    @ArchTest
    static final ArchRule noCyclesBetweenReadModelPackages = slices().matching("org.treatmentledger.projections.(*)..")
            .should().beFreeOfCycles();

    /**
     * The service's capabilities below the HTTP edge never reach back up into it: endpoints call them, not the
     * other way round.
     */
    @ArchTest
    static final ArchRule innerCapabilitiesDoNotUseTheHttpEdge = noClasses().that().resideInAnyPackage(
                    "org.treatmentledger.api.eventstore..", "org.treatmentledger.api.commands..",
                    "org.treatmentledger.api.readmodels..", "org.treatmentledger.api.cluster..",
                    "org.treatmentledger.api.embeddedpostgres..", "org.treatmentledger.api.consistency..",
                    "org.treatmentledger.api.monitoring..")
            .should().dependOnClassesThat().resideInAnyPackage("org.treatmentledger.api.http..",
                    "org.treatmentledger.api.patient..", "org.treatmentledger.api.security..",
                    "org.treatmentledger.api.idempotency..", "org.treatmentledger.api.openapi..");

    /**
     * The clinic check and the access audit are filters that api.security places in its chain and the endpoints
     * use: they never reach into the endpoints, the security setup or the idempotency filter, and the clinics do not
     * know the audit (the audit asks the clinics for a patient's clinic).
     */
    @ArchTest
    static final ArchRule clinicsAndAuditStayBelowTheEndpoints = noClasses().that().resideInAnyPackage(
                    "org.treatmentledger.api.clinics..", "org.treatmentledger.api.audit..")
            .should().dependOnClassesThat().resideInAnyPackage("org.treatmentledger.api.patient..",
                    "org.treatmentledger.api.security..", "org.treatmentledger.api.idempotency..");

    @ArchTest
    static final ArchRule clinicsDoNotKnowTheAudit = noClasses().that().resideInAPackage("org.treatmentledger.api.clinics..")
            .should().dependOnClassesThat().resideInAPackage("org.treatmentledger.api.audit..");
    /**
     * The access log's tree is built on the tamper-evident log's pieces (MerkleLog, SealHorizon, the proof problems),
     * never the other way round: api.integrity knows nothing of access records.
     */
    @ArchTest
    static final ArchRule integrityDoesNotKnowTheAudit = noClasses().that().resideInAPackage("org.treatmentledger.api.integrity..")
            .should().dependOnClassesThat().resideInAPackage("org.treatmentledger.api.audit..");

    /** HAPI FHIR (its R4 model and parsers) stays in the FHIR export's room: no other capability depends on FHIR's shapes. */
    @ArchTest
    static final ArchRule hapiOnlyInTheFhirExport = noClasses().that().resideOutsideOfPackage("org.treatmentledger.api.fhir..")
            .should().dependOnClassesThat().resideInAnyPackage("ca.uhn.fhir..", "org.hl7.fhir..");

    /** The web UI sits on top of the endpoints: its pages call them, nothing calls the UI. */
    @ArchTest
    static final ArchRule nothingDependsOnTheWebUi = noClasses().that().resideOutsideOfPackage("org.treatmentledger.api.ui..")
            .should().dependOnClassesThat().resideInAPackage("org.treatmentledger.api.ui..");

    /** Table and column names only Axon's own tables have (lower case, as written in SQL). */
    private static final Pattern AXON_TABLE_NAMES = Pattern.compile(
            "\\b(domainevententry|snapshotevententry|tokenentry|deadletterentry|sagaentry|associationvalueentry"
                    + "|globalindex|aggregateidentifier|sequencenumber|payloadrevision|processorname|sequenceidentifier"
                    + "|processinggroup)\\b");

    /**
     * The adapters, the only classes whose SQL text names Axon's tables or their columns: in ledger-api the
     * eventstore package's AxonTables (tokens, dead letters) and EventTableSql (the event table, for the
     * tamper-evident log); in ledger-projections the bulk rebuild's AxonEventTable, which cannot use ledger-api's.
     */
    private static final Set<String> ADAPTERS = Set.of(
            "org.treatmentledger.api.eventstore.AxonTables",
            "org.treatmentledger.api.eventstore.EventTableSql",
            "org.treatmentledger.projections.rebuild.AxonEventTable");

    /** SQL text naming Axon's tables appears in the adapters only; every other class goes through one of them. */
    @ArchTest
    static final ArchRule sqlOnAxonTablesOnlyInTheAdapters = classes()
            .that().resideInAnyPackage("org.treatmentledger.api..", "org.treatmentledger.projections..", "org.treatmentledger.core..")
            .should(new ArchCondition<>("not name Axon's tables or their columns in string constants") {
                @Override
                public void check(JavaClass javaClass, ConditionEvents events) {
                    // A nested class counts as its top-level class.
                    if (ADAPTERS.contains(javaClass.getName().split("\\$")[0])) return;
                    String constants = classFileText(javaClass);
                    Matcher m = AXON_TABLE_NAMES.matcher(constants);
                    if (m.find()) {
                        events.add(SimpleConditionEvent.violated(javaClass, javaClass.getName() + " names '"
                                + m.group(1) + "'; use an adapter (eventstore.AxonTables, eventstore.EventTableSql, "
                                + "rebuild.AxonEventTable)"));
                    }
                }
            });

    /** No stale exemption: each adapter listed is a class of the build (a renamed one is caught by the rule above). */
    @Test
    void theAdaptersExist() {
        for (String adapter : ADAPTERS) assertThat(classFileText(adapter)).as(adapter).isNotEmpty();
    }

    /** The class file's bytes as text: its string constants (SQL included) appear in it verbatim. */
    private static String classFileText(JavaClass javaClass) {
        return classFileText(javaClass.getName());
    }

    private static String classFileText(String className) {
        String resource = "/" + className.replace('.', '/') + ".class";
        try (InputStream in = ArchitectureTest.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("no class file for " + className);
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
