package org.treatmentledger.api.consistency;

import com.fasterxml.jackson.databind.JsonNode;
import org.treatmentledger.api.Http;
import org.treatmentledger.api.LedgerTestSupport;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Write-then-read pairs over HTTP, each read sent the moment its write answered 201: register then read the
 * patient, an injection then the history, a second injection then the units. Each read is checked for the
 * write it follows; a read without it (or any answer other than 200) is a miss.
 */
public final class WriteThenReadPairs {

    public record Miss(String pair, String patient, int status, String body) { }

    public record Result(int pairs, List<Miss> misses, List<Long> readMicros, double seconds) {
        public long percentileMicros(double p) {
            List<Long> sorted = new ArrayList<>(readMicros);
            Collections.sort(sorted);
            return sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private WriteThenReadPairs() { }

    /** {@code patients} patients of three pairs each, spread over {@code clients} concurrent clients. */
    public static Result run(Http writer, Http reader, int patients, int clients) throws Exception {
        List<Miss> misses = Collections.synchronizedList(new ArrayList<>());
        List<Long> readMicros = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int share = patients / clients + (c < patients % clients ? 1 : 0);
            running.add(pool.submit(() -> {
                for (int i = 0; i < share; i++) onePatient(writer, reader, misses, readMicros);
                return null;
            }));
        }
        for (Future<?> f : running) f.get();
        pool.shutdown();
        return new Result(3 * patients, misses, readMicros, (System.nanoTime() - started) / 1e9);
    }

    private static void onePatient(Http writer, Http reader, List<Miss> misses, List<Long> readMicros) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Http.Response registered = writer.post("injector", "/api/patients",
                "{\"clinicId\":\"clinic-1\",\"sex\":\"FEMALE\",\"registeredAt\":\"" + now.minus(300, ChronoUnit.DAYS) + "\"}");
        check(registered, 201, "register");
        String patient = registered.text("patientId");

        long t = System.nanoTime();
        Http.Response read = reader.get("clinician", "/api/patients/" + patient);
        readMicros.add((System.nanoTime() - t) / 1_000);
        if (read.status() != 200 || !patient.equals(read.text("patientId"))) {
            misses.add(new Miss("register, then GET /api/patients/{id}", patient, read.status(), read.raw()));
        }

        Http.Response first = writer.post("injector", "/api/patients/" + patient + "/injections",
                LedgerTestSupport.glabella20(now.minus(200, ChronoUnit.DAYS)));
        check(first, 201, "first injection");
        String entryId = first.text("entryId");
        t = System.nanoTime();
        read = reader.get("clinician", "/api/patients/" + patient + "/history");
        readMicros.add((System.nanoTime() - t) / 1_000);
        if (read.status() != 200 || !hasEntry(read.json(), entryId)) {
            misses.add(new Miss("injection, then GET history", patient, read.status(), read.raw()));
        }

        check(writer.post("injector", "/api/patients/" + patient + "/injections",
                LedgerTestSupport.glabella20(now.minus(100, ChronoUnit.DAYS))), 201, "second injection");
        t = System.nanoTime();
        read = reader.get("clinician", "/api/patients/" + patient + "/units");
        readMicros.add((System.nanoTime() - t) / 1_000);
        if (read.status() != 200 || glabellaLifetime(read.json()) != 40) {
            misses.add(new Miss("second injection, then GET units (lifetime 40 expected)", patient, read.status(), read.raw()));
        }
    }

    private static boolean hasEntry(JsonNode history, String entryId) {
        for (JsonNode e : history.get("entries")) if (entryId.equals(e.get("entryId").asText())) return true;
        return false;
    }

    private static int glabellaLifetime(JsonNode units) {
        int total = 0;
        for (JsonNode row : units.get("lifetime")) {
            if ("GLABELLA".equals(row.get("site").asText())) total += row.get("units").asInt();
        }
        return total;
    }

    private static void check(Http.Response r, int status, String what) {
        if (r.status() != status) throw new AssertionError(what + " answered " + r.status() + ": " + r.raw());
    }
}
