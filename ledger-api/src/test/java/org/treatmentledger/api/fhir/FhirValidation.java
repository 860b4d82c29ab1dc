package org.treatmentledger.api.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * HAPI FHIR's own R4 validator over an offline support chain: the core definitions shipped in
 * hapi-fhir-validation-resources-r4, HL7's common code systems (UCUM, languages, ...), in-memory value set expansion
 * and snapshot generation. No terminology server: codes of systems it does not hold (the project's) are not
 * checked against a server, and nothing is fetched from the network. {@link #networkAttempts()} lists every
 * connection the JVM's default proxy selector was asked for while validating (the tests expect none).
 */
public final class FhirValidation {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final List<URI> NETWORK = new CopyOnWriteArrayList<>();
    private static final FhirValidator VALIDATOR = create();

    private FhirValidation() { }

    private static FhirValidator create() {
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                if (uri.getHost() != null && !uri.getHost().equals("localhost") && !uri.getHost().startsWith("127.")) {
                    NETWORK.add(uri);
                }
                return previous == null ? List.of(Proxy.NO_PROXY) : previous.select(uri);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
                if (previous != null) previous.connectFailed(uri, sa, ioe);
            }
        });
        ValidationSupportChain chain = new ValidationSupportChain(
                new DefaultProfileValidationSupport(FHIR),
                new CommonCodeSystemsTerminologyService(FHIR),
                new InMemoryTerminologyServerValidationSupport(FHIR),
                new SnapshotGeneratingValidationSupport(FHIR));
        FhirInstanceValidator instanceValidator = new FhirInstanceValidator(chain);
        return FHIR.newValidator().registerValidatorModule(instanceValidator);
    }

    public static ValidationResult validate(IBaseResource resource) {
        return VALIDATOR.validateWithResult(resource);
    }

    public static ValidationResult validate(String json) {
        return VALIDATOR.validateWithResult(json);
    }

    /** Messages of severity error or fatal, one line each. */
    public static List<String> errors(ValidationResult result) {
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(FhirValidation::line).toList();
    }

    public static List<String> warnings(ValidationResult result) {
        return result.getMessages().stream().filter(m -> m.getSeverity() == ResultSeverityEnum.WARNING)
                .map(FhirValidation::line).toList();
    }

    static String line(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }

    public static List<URI> networkAttempts() {
        return List.copyOf(NETWORK);
    }

    public static FhirContext context() {
        return FHIR;
    }
}
