package org.treatmentledger.bench.workloads;

import org.treatmentledger.bench.infra.JitSettle;

import org.treatmentledger.bench.contenders.AxonContender;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * W7, the FHIR export (ledger-api's fhir package, reached by name as W6 reaches its classes): what a 100-entry
 * patient's Bundle costs (GET /api/patients/{id}/fhir's work without HTTP: the read path, the mapping, the JSON), and
 * the bulk export's rate in resources per second over a clinic's patients.
 */
public final class W7Fhir {

    private static final String EXPORT = "org.treatmentledger.api.fhir.FhirExport";
    private static final String BULK = "org.treatmentledger.api.fhir.BulkExport";

    private final AxonContender ours;

    public W7Fhir(AxonContender ours) {
        this.ours = ours;
    }

    public record BundleRun(long[] latencyNanos, int resources, int jsonBytes) { }

    /** How the last measured bundle run's warm-up ended (null when it had none). */
    public volatile JitSettle.Result lastWarmUp;

    /** Builds and serialises the patient's bundle {@code times} times after {@code warmUp} (read models caught up by then). */
    public BundleRun bundle(String patient, String clinic, int warmUp, int times) throws Exception {
        try (AutoCloseable auditor = actAsAuditorOf(clinic)) {
            return bundle(patient, warmUp, times);
        }
    }

    /**
     * The bench's thread reads as an auditor of {@code clinic}: patient reads run in the caller's clinic scope, and
     * row-level security shows a caller of no clinic nothing. Reached by name, as the service's classes are.
     */
    private AutoCloseable actAsAuditorOf(String clinic) throws Exception {
        ClassLoader cl = ours.context().getClassLoader();
        Class<?> holder = Class.forName("org.springframework.security.core.context.SecurityContextHolder", true, cl);
        Class<?> authorityUtils = Class.forName("org.springframework.security.core.authority.AuthorityUtils", true, cl);
        List<Object> authorities = new java.util.ArrayList<>((List<?>) authorityUtils
                .getMethod("createAuthorityList", String[].class).invoke(null, (Object) new String[]{"ROLE_AUDITOR"}));
        authorities.add(Class.forName("org.treatmentledger.api.clinics.CallerClinics", true, cl)
                .getMethod("authority", String.class).invoke(null, clinic));
        Object token = Class.forName("org.springframework.security.authentication.UsernamePasswordAuthenticationToken",
                true, cl).getConstructor(Object.class, Object.class, java.util.Collection.class)
                .newInstance("bench", "n/a", authorities);
        Object context = holder.getMethod("getContext").invoke(null);
        context.getClass().getMethod("setAuthentication",
                Class.forName("org.springframework.security.core.Authentication", true, cl)).invoke(context, token);
        return () -> holder.getMethod("clearContext").invoke(null);
    }

    private BundleRun bundle(String patient, int warmUp, int times) throws Exception {
        Class<?> type = Class.forName(EXPORT, true, ours.context().getClassLoader());
        Object export = ours.context().getBean(type);
        Method bundle = type.getMethod("bundle", String.class);
        Method json = null;
        for (Method m : type.getMethods()) if (m.getName().equals("json")) json = m;
        Object last = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (int i = 0; i < warmUp; i++) {
            try {
                last = invoke(bundle, export, patient);
            } catch (RuntimeException behind) {
                // The read models follow the store written behind their back; a patient read answers 503 meanwhile.
                if (System.nanoTime() > deadline) throw behind;
                i--;
                Thread.sleep(100);
            }
        }
        // Then rounds of reads until the JIT has settled (HAPI's mapping and parser are much code): the first
        // measured reads of a 20-read warm-up took up to seconds on a busy machine.
        Method toJson = json;
        lastWarmUp = times <= 1 ? null : JitSettle.run(Duration.ofSeconds(30), 0.05, () -> {
            for (int i = 0; i < 10; i++) invoke(toJson, export, invoke(bundle, export, patient));
        });
        long[] latencies = new long[times];
        String text = "";
        for (int i = 0; i < times; i++) {
            long t0 = System.nanoTime();
            last = invoke(bundle, export, patient);
            text = (String) invoke(json, export, last);
            latencies[i] = System.nanoTime() - t0;
        }
        int resources = ((List<?>) last.getClass().getMethod("getEntry").invoke(last)).size();
        return new BundleRun(latencies, resources, text.length());
    }

    public record BulkRun(long resources, int patients, double seconds) {
        public double perSecond() { return resources / seconds; }
    }

    /** One bulk export of every resource type for {@code clinic}, run to completion. */
    public BulkRun bulk(String clinic, Duration timeout) throws Exception {
        // The job runs in the starting thread's security context: an auditor of the clinic.
        try (AutoCloseable auditor = actAsAuditorOf(clinic)) {
            return bulkAsAuditor(clinic, timeout);
        }
    }

    private BulkRun bulkAsAuditor(String clinic, Duration timeout) throws Exception {
        Class<?> type = Class.forName(BULK, true, ours.context().getClassLoader());
        Object bulk = ours.context().getBean(type);
        List<?> types = (List<?>) type.getField("TYPES").get(null);
        String id = (String) invoke(type.getMethod("start", String.class, Set.class, Set.class, String.class), bulk,
                "bench", Set.of(clinic), Set.copyOf(types), "bench");
        Method status = type.getMethod("status", String.class, String.class);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Object s = ((Optional<?>) invoke(status, bulk, id, "bench")).orElseThrow();
            String state = String.valueOf(s.getClass().getMethod("state").invoke(s));
            if (!state.equals("RUNNING")) {
                if (!state.equals("COMPLETED")) throw new IllegalStateException("W7: the bulk export ended " + state);
                int errors = (Integer) s.getClass().getMethod("errors").invoke(s);
                if (errors > 0) throw new IllegalStateException("W7: " + errors + " patients could not be exported");
                long resources = (Long) s.getClass().getMethod("resources").invoke(s);
                int patients = (Integer) s.getClass().getMethod("patients").invoke(s);
                Duration took = (Duration) s.getClass().getMethod("took").invoke(s);
                invoke(type.getMethod("delete", String.class, String.class), bulk, id, "bench");
                return new BulkRun(resources, patients, took.toNanos() / 1e9);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("W7: bulk export not done within " + timeout);
            Thread.sleep(50);
        }
    }

    private static Object invoke(Method method, Object target, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }
}
