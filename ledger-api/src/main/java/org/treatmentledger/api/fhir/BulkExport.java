package org.treatmentledger.api.fhir;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.treatmentledger.api.clinics.ClinicPatients;
import org.treatmentledger.api.consistency.ReadModelsCatchUp;
import org.treatmentledger.api.clinics.ClinicScope;
import org.springframework.security.concurrent.DelegatingSecurityContextRunnable;
import org.springframework.security.core.context.SecurityContextHolder;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The clinic-wide export after the FHIR Bulk Data Access pattern: a job per kick-off that writes one NDJSON file per
 * resource type for the patients of the given clinics, polled for its status, its files then downloaded. Jobs run one
 * at a time on one thread of their own, with the security context of the user who started them (so each patient is
 * read exactly as that user would read it); their files live in a temporary directory until the job is deleted or
 * {@code retention} after it finished. Jobs are kept by the node that runs them (docs/FHIR.md, "Bulk export").
 */
public class BulkExport {

    private static final Logger log = LoggerFactory.getLogger(BulkExport.class);

    /** How long a job waits for the read models to hold the kick-off's events before it lists the patients. */
    private static final Duration CATCH_UP_LIMIT = Duration.ofSeconds(10);

    /** The resource types the export writes, in the order the manifest lists them. */
    public static final List<String> TYPES = List.of("Patient", "Procedure", "MedicationAdministration", "Observation",
            "AdverseEvent", "Media", "Provenance");

    public enum State { RUNNING, COMPLETED, FAILED, CANCELLED }

    /** One file of a finished job. */
    public record Output(String type, int count) { }

    /** A job as its owner sees it. */
    public record Status(String id, String owner, Instant transactionTime, String request, State state, int patients,
                         int patientsDone, List<Output> outputs, int errors, long resources, Duration took) { }

    private final FhirExport export;
    private final ClinicPatients clinicPatients;
    private final ReadModelsCatchUp catchUp;
    private final PlatformTransactionManager transactions;
    private final Clock clock;
    private final Duration retention;
    private final Path directory;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fhir-bulk-export");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public BulkExport(FhirExport export, ClinicPatients clinicPatients, ReadModelsCatchUp catchUp,
                      PlatformTransactionManager transactions, Clock clock, Duration retention, Path directory) {
        this.export = export;
        this.catchUp = catchUp;
        this.transactions = transactions;
        this.clinicPatients = clinicPatients;
        this.clock = clock;
        this.retention = retention;
        this.directory = directory;
    }

    /**
     * Starts an export of the patients of {@code clinics} (the caller's: the one argument that says whose patients),
     * limited to {@code types}; answers the job's id.
     */
    public String start(String owner, Set<String> clinics, Set<String> types, String request) {
        expire();
        Job job = new Job(UUID.randomUUID().toString(), owner, Set.copyOf(clinics), Set.copyOf(types), request,
                clock.instant());
        jobs.put(job.id, job);
        // The owner's security context: each patient is read as the owner reads it (and checked as such).
        worker.execute(new DelegatingSecurityContextRunnable(job::run, SecurityContextHolder.getContext()));
        return job.id;
    }

    /** The job if {@code owner} started it (another user's job is as unknown as no job). */
    public Optional<Status> status(String id, String owner) {
        expire();
        Job job = jobs.get(id);
        if (job == null || !job.owner.equals(owner)) return Optional.empty();
        return Optional.of(job.status());
    }

    /** The NDJSON file of one type of a completed job of {@code owner}. */
    public Optional<Path> file(String id, String owner, String type) {
        Job job = jobs.get(id);
        if (job == null || !job.owner.equals(owner) || job.state != State.COMPLETED) return Optional.empty();
        if (!job.counts.containsKey(type)) return Optional.empty();
        return Optional.of(job.file(type));
    }

    /** Cancels a running job or deletes a finished one and its files; false if {@code owner} has no such job. */
    public boolean delete(String id, String owner) {
        Job job = jobs.get(id);
        if (job == null || !job.owner.equals(owner)) return false;
        job.cancelled = true;
        jobs.remove(id);
        if (job.state != State.RUNNING) job.deleteFiles();
        return true;
    }

    /**
     * Cancels or deletes every job over {@code clinic}'s patients, whoever started it, with its files: a patient of
     * that clinic was erased, and the files may hold its personal data in clear. Answers how many jobs went.
     */
    public int discardJobsOf(String clinic) {
        int discarded = 0;
        for (Job job : List.copyOf(jobs.values())) {
            if (!job.clinics.contains(clinic)) continue;
            job.cancelled = true;
            jobs.remove(job.id);
            if (job.state != State.RUNNING) job.deleteFiles();
            discarded++;
        }
        return discarded;
    }

    private void expire() {
        Instant now = clock.instant();
        jobs.values().removeIf(job -> {
            boolean expired = job.finishedAt != null && job.finishedAt.plus(retention).isBefore(now);
            if (expired) job.deleteFiles();
            return expired;
        });
    }

    /**
     * The patients of these clinics, in id order, from the patients' clinics table (not every registration): read
     * in the owner's clinic scope (the job runs in the owner's security context), so row-level security narrows
     * them too, not only the query.
     */
    List<String> patientsOf(Set<String> clinics) {
        return ClinicScope.readOnly(transactions, () -> clinicPatients.of(clinics));
    }

    private final class Job {
        final String id;
        final String owner;
        final Set<String> clinics;
        final Set<String> types;
        final String request;
        final Instant transactionTime;
        // The store's head at the kick-off: the list of patients waits for the read models to hold it.
        final long head = catchUp.head();
        final Map<String, Integer> counts = new TreeMap<>(Comparator.comparingInt(BulkExport::order));
        final AtomicInteger done = new AtomicInteger();
        volatile int patients;
        volatile int errors;
        volatile long resources;
        volatile State state = State.RUNNING;
        volatile boolean cancelled;
        volatile Instant finishedAt;
        volatile Duration took = Duration.ZERO;
        Path dir;

        Job(String id, String owner, Set<String> clinics, Set<String> types, String request, Instant transactionTime) {
            this.id = id;
            this.owner = owner;
            this.clinics = clinics;
            this.types = types;
            this.request = request;
            this.transactionTime = transactionTime;
        }

        void run() {
            long started = System.nanoTime();
            Map<String, BufferedWriter> writers = new LinkedHashMap<>();
            try {
                dir = Files.createDirectories(directory).resolve("export-" + id);
                Files.createDirectories(dir);
                // Every patient registered before the kick-off is in the export, though the read models are paced.
                if (!catchUp.await(head, CATCH_UP_LIMIT)) {
                    log.warn("Bulk export {}: the read models had not reached the kick-off's events within {}; it lists"
                            + " the patients they hold", id, CATCH_UP_LIMIT);
                }
                List<String> ids = patientsOf(clinics);
                patients = ids.size();
                for (String patient : ids) {
                    if (cancelled) break;
                    try {
                        for (Resource resource : export.resources(patient)) {
                            String type = resource.fhirType();
                            if (!types.contains(type)) continue;
                            write(writers, type, export.json(resource));
                            resources++;
                        }
                    } catch (RuntimeException e) {
                        // One patient that cannot be read (its read models behind, say) is reported, not fatal.
                        errors++;
                        write(writers, "OperationOutcome", export.json(outcome(patient, e)));
                    }
                    done.incrementAndGet();
                }
                for (BufferedWriter w : writers.values()) w.close();
                state = cancelled ? State.CANCELLED : State.COMPLETED;
                if (cancelled) deleteFiles();
            } catch (IOException | RuntimeException | InterruptedException e) {
                if (e instanceof InterruptedException) Thread.currentThread().interrupt(); // shutting down
                log.error("FHIR bulk export {} failed", id, e);
                writers.values().forEach(w -> {
                    try {
                        w.close();
                    } catch (IOException ignored) {
                        // already failing
                    }
                });
                state = State.FAILED;
                deleteFiles();
            } finally {
                took = Duration.ofNanos(System.nanoTime() - started);
                finishedAt = clock.instant();
            }
        }

        private void write(Map<String, BufferedWriter> writers, String type, String line) throws IOException {
            BufferedWriter writer = writers.get(type);
            if (writer == null) {
                // A writer that replaces what UTF-8 cannot encode (a lone surrogate in a free-text field) instead of
                // failing the whole job on it, as the HTTP answer of GET /fhir does (Files.newBufferedWriter reports it).
                writer = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file(type)), StandardCharsets.UTF_8));
                writers.put(type, writer);
                counts.put(type, 0);
            }
            writer.write(line);
            writer.write('\n');
            counts.merge(type, 1, Integer::sum);
        }

        Path file(String type) {
            return dir.resolve(type + ".ndjson");
        }

        private OperationOutcome outcome(String patient, RuntimeException e) {
            OperationOutcome outcome = new OperationOutcome();
            outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.TRANSIENT)
                    .setDiagnostics("Patient " + patient + " could not be exported (" + e.getClass().getSimpleName()
                            + "); export again later");
            return outcome;
        }

        void deleteFiles() {
            if (dir == null || !Files.exists(dir)) return;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Status status() {
            List<Output> outputs = state == State.COMPLETED
                    ? counts.entrySet().stream().map(e -> new Output(e.getKey(), e.getValue())).toList() : List.of();
            return new Status(id, owner, transactionTime, request, state, patients, done.get(), outputs, errors,
                    resources, took);
        }
    }

    private static int order(String type) {
        int i = TYPES.indexOf(type);
        return i < 0 ? TYPES.size() : i;
    }

    /** Stops the worker (the application's shutdown). */
    public void shutdown() {
        worker.shutdownNow();
        jobs.values().forEach(Job::deleteFiles);
    }
}
