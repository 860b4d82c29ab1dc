package org.treatmentledger.bench.workloads;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.bench.fixtures.EventTable;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.api.PatientRegistered;
import org.treatmentledger.core.personaldata.InMemorySubjectKeys;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.personaldata.SubjectKeys;
import org.treatmentledger.core.serialization.LedgerJson;
import org.treatmentledger.projections.store.EventCodec;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The cost of crypto-shredding per event, in this process and the same run: serializing realistic patient streams
 * (W3's mix: registrations, injections, photos with URIs, side effects and factors with notes) with the event store's
 * serializer (personal fields AES-256-GCM encrypted) against the plain ledger JSON, and reading them back (decrypted)
 * against the plain read. Data keys are in memory, as the service's key cache holds them on a warm node; the key
 * look-up in the database on a cold node is not part of it.
 */
public final class CryptoCost {

    /** Per event, µs: plain and encrypted write, plain and decrypting read. */
    public record Result(int events, int rounds, double plainWriteUs, double encryptedWriteUs, double plainReadUs,
                         double decryptedReadUs, double plainBytes, double encryptedBytes) {
        public double writeCostUs() { return encryptedWriteUs - plainWriteUs; }

        public double readCostUs() { return decryptedReadUs - plainReadUs; }
    }

    /**
     * Decoding W3's stored events as the read models decode them ({@code EventCodec}), per event in µs: with the
     * service's data keys ({@code coldUs}: the first pass, each patient's key read from {@code ledger_data_key} and
     * unwrapped unless the service's key cache holds it; {@code decryptedUs}: later passes, keys cached) and with no keys
     * ({@code plainUs}: the same bytes parsed, every personal field read as null without any cryptography).
     */
    public record StoreSample(int events, int patients, long personalValues, double coldUs, double decryptedUs,
                              double plainUs, int rounds) {
        public double readCostUs() { return decryptedUs - plainUs; }
    }

    private record Stored(String type, byte[] payload) { }

    private static final byte[] ENVELOPE = "\"pd1:".getBytes(StandardCharsets.US_ASCII);

    private CryptoCost() { }

    /**
     * Samples W3's store: every event of {@code patients} decoded by {@code service} (the read models' codec, with the
     * service's data keys) once cold, then {@code rounds} times alternately with it and with a codec without keys.
     * Fails if a registration's birth year does not decrypt: the fixture's keys must be the service's own.
     */
    public static StoreSample sampleStore(DataSource db, EventTable table, List<PatientId> patients, EventCodec service,
                                          int rounds) throws SQLException {
        List<Stored> stored = new ArrayList<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT payloadtype, payload FROM "
                + table.name() + " WHERE aggregateidentifier = ANY(?) ORDER BY aggregateidentifier, sequencenumber")) {
            ps.setArray(1, c.createArrayOf("varchar", patients.stream().map(PatientId::value).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(1);
                    stored.add(new Stored(type.substring(type.lastIndexOf('.') + 1), rs.getBytes(2)));
                }
            }
        }
        if (stored.isEmpty()) throw new IllegalStateException("crypto: no stored event of the sampled W3 patients");
        long values = 0;
        for (Stored s : stored) values += occurrences(s.payload(), ENVELOPE);
        EventCodec none = new EventCodec(SubjectKeys.NONE);
        long t0 = System.nanoTime();
        int registrations = 0;
        for (Stored s : stored) {
            PatientEvent event = service.fromJson(s.type(), s.payload());
            if (event instanceof PatientRegistered r) {
                if (r.birthYear() == null) {
                    throw new IllegalStateException("crypto: the service read W3's birth year of " + r.patientId()
                            + " as erased: the fixture's data key is not the service's");
                }
                registrations++;
            }
        }
        long cold = System.nanoTime() - t0;
        if (registrations == 0) throw new IllegalStateException("crypto: the W3 sample holds no registration");
        long decrypted = 0;
        long plain = 0;
        for (int r = 0; r < rounds; r++) {
            // Alternated, so drift of the machine's load falls on both sides alike.
            long a = System.nanoTime();
            for (Stored s : stored) service.fromJson(s.type(), s.payload());
            long b = System.nanoTime();
            for (Stored s : stored) none.fromJson(s.type(), s.payload());
            long e = System.nanoTime();
            decrypted += b - a;
            plain += e - b;
        }
        double per = 1e3 * stored.size();
        return new StoreSample(stored.size(), patients.size(), values, cold / per, decrypted / per / rounds,
                plain / per / rounds, rounds);
    }

    private static int occurrences(byte[] haystack, byte[] needle) {
        int n = 0;
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) continue outer;
            }
            n++;
        }
        return n;
    }

    public static Result measure(int patients, int eventsPerPatient, Duration warmUp, int rounds) {
        List<PatientEvent> events = new ArrayList<>();
        Instant start = Instant.now().minus(Duration.ofDays(3_000));
        for (int i = 0; i < patients; i++) events.addAll(BenchData.patientStream(PatientId.random(), start, eventsPerPatient));
        Serializer plain = LedgerJson.serializer();
        Serializer encrypted = new PersonalDataSerializer(new InMemorySubjectKeys());
        List<SerializedObject<byte[]>> plainStored = write(plain, events);
        List<SerializedObject<byte[]>> encryptedStored = write(encrypted, events);
        long until = System.nanoTime() + warmUp.toNanos();
        while (System.nanoTime() < until) {
            write(plain, events);
            write(encrypted, events);
            read(plain, plainStored);
            read(encrypted, encryptedStored);
        }
        long[] ns = new long[4];
        for (int r = 0; r < rounds; r++) {
            // Alternated, so drift of the machine's load falls on both sides alike.
            long t0 = System.nanoTime();
            write(plain, events);
            long t1 = System.nanoTime();
            write(encrypted, events);
            long t2 = System.nanoTime();
            read(plain, plainStored);
            long t3 = System.nanoTime();
            read(encrypted, encryptedStored);
            long t4 = System.nanoTime();
            ns[0] += t1 - t0;
            ns[1] += t2 - t1;
            ns[2] += t3 - t2;
            ns[3] += t4 - t3;
        }
        double per = 1e3 * rounds * events.size();
        return new Result(events.size(), rounds, ns[0] / per, ns[1] / per, ns[2] / per, ns[3] / per,
                bytes(plainStored) / events.size(), bytes(encryptedStored) / events.size());
    }

    private static List<SerializedObject<byte[]>> write(Serializer serializer, List<PatientEvent> events) {
        List<SerializedObject<byte[]>> out = new ArrayList<>(events.size());
        for (PatientEvent e : events) out.add(serializer.serialize(e, byte[].class));
        return out;
    }

    private static int read(Serializer serializer, List<SerializedObject<byte[]>> stored) {
        int n = 0;
        for (SerializedObject<byte[]> s : stored) {
            Object event = serializer.deserialize(s);
            if (event != null) n++;
        }
        if (n != stored.size()) throw new IllegalStateException("crypto cost: an event did not read back");
        return n;
    }

    private static double bytes(List<SerializedObject<byte[]>> stored) {
        long total = 0;
        for (SerializedObject<byte[]> s : stored) total += s.getData().length;
        return total;
    }
}
