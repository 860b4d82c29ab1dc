package org.treatmentledger.bench.workloads;

import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.treatmentledger.bench.fixtures.BenchData;
import org.treatmentledger.core.api.PatientEvent;
import org.treatmentledger.core.api.PatientId;
import org.treatmentledger.core.personaldata.InMemorySubjectKeys;
import org.treatmentledger.core.personaldata.PersonalDataSerializer;
import org.treatmentledger.core.serialization.LedgerJson;

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

    private CryptoCost() { }

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
