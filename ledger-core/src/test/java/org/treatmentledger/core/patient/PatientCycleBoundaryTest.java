package org.treatmentledger.core.patient;

import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.Test;
import org.treatmentledger.core.api.InjectionDetails;
import org.treatmentledger.core.api.InjectionRecorded;
import org.treatmentledger.core.api.RecordInjection;
import org.treatmentledger.core.api.RecordTouchUp;
import org.treatmentledger.core.api.RecordedEntry;
import org.treatmentledger.core.api.Site;
import org.treatmentledger.core.api.TouchUpDetails;
import org.treatmentledger.core.api.TouchUpRecorded;
import org.treatmentledger.core.rules.timeline.CycleModel;
import org.treatmentledger.core.rules.timeline.TimelineView;
import org.treatmentledger.core.snapshot.SnapshotSerializer;
import org.treatmentledger.core.api.DescribeEntry;
import org.axonframework.serialization.json.JacksonSerializer;
import java.util.concurrent.atomic.AtomicReference;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cycle model's two boundaries on the write side (docs/clinical-rules.md, Cycles): a touch-up given on the
 * morning of the day whose afternoon opens a new cycle belongs to the cycle it followed (ledger order by instant,
 * not by date), and of two initial injections at one instant the one recorded first opens the earlier cycle
 * (ties by stream sequence, not by entry id). The numbers the aggregate records are the ones {@link CycleModel}
 * gives the read models for the same stream.
 */
class PatientCycleBoundaryTest extends PatientTestSupport {

    private static Instant at(String date, int hour) {
        return LocalDate.parse(date).atTime(hour, 0).toInstant(ZoneOffset.UTC);
    }

    private static RecordInjection injectionAt(String id, Instant when) {
        InjectionDetails d = injectionDetails("2026-03-02", glabella());
        return new RecordInjection(PATIENT, id, new InjectionDetails(when, d.product(), d.lot(), d.intent(),
                d.indication(), d.sites(), d.dilutionMlPer100U(), d.injector()), null);
    }

    private static RecordTouchUp touchUpAt(String id, Instant when) {
        TouchUpDetails d = touchUpDetails("2026-03-02", List.of(dose(Site.GLABELLA, 4)));
        return new RecordTouchUp(PATIENT, id, new TouchUpDetails(when, d.product(), d.lot(), d.indication(), d.sites(),
                d.dilutionMlPer100U(), d.injector()), null);
    }

    @Test
    void a_touch_up_on_the_morning_of_a_new_cycle_belongs_to_the_cycle_it_followed() {
        // Cycle 1 on 03-02; cycle 2 opened (under an override) on 03-16 at 15:00; the touch-up given that morning at
        // 09:00, charted afterwards, is the two-week touch-up of cycle 1, not a same-day touch-up of cycle 2.
        fixture.givenCommands(register(), injectionAt("c1", at("2026-03-02", 10)),
                        asClinician(overridden(injectionAt("c2", at("2026-03-16", 15)))))
                .when(touchUpAt("tu", at("2026-03-16", 9)), AS_CLINICIAN)
                .expectSuccessfulHandlerExecution()
                .expectResultMessagePayload(new RecordedEntry("tu", 1, List.of()))
                .expectEventsMatching(payloads("the touch-up in cycle 1", p -> p.size() == 1
                        && p.get(0) instanceof TouchUpRecorded t && t.cycle() == 1));
    }

    @Test
    void a_touch_up_later_that_day_belongs_to_the_new_cycle() {
        fixture.givenCommands(register(), injectionAt("c1", at("2026-03-02", 10)),
                        asClinician(overridden(injectionAt("c2", at("2026-03-16", 15)))))
                .when(overridden(touchUpAt("tu", at("2026-03-16", 16))), AS_CLINICIAN)
                .expectEventsMatching(payloads("the touch-up in cycle 2", p -> p.get(p.size() - 1) instanceof TouchUpRecorded t
                        && t.cycle() == 2));
    }

    @Test
    void of_two_initial_injections_at_one_instant_the_one_recorded_first_opens_the_earlier_cycle() {
        // Entry ids in the opposite order to the recording: "b" first, then "a" at the very same instant.
        fixture.givenCommands(register(), injectionAt("b", at("2026-03-02", 10)))
                .when(overridden(injectionAt("a", at("2026-03-02", 10))), AS_CLINICIAN)
                .expectResultMessagePayload(new RecordedEntry("a", 2, List.of()))
                .expectEventsMatching(payloads("'a' opens cycle 2", p -> p.get(p.size() - 1) instanceof InjectionRecorded i
                        && i.entryId().equals("a") && i.cycle() == 2));
    }

    @Test
    void the_recorded_numbers_are_the_cycle_models_numbers_of_the_same_stream() {
        List<Object> commands = List.of(register(), injectionAt("b", at("2026-03-02", 10)),
                asClinician(overridden(injectionAt("a", at("2026-03-02", 10)))),
                touchUpAt("t1", at("2026-03-16", 10)),
                asClinician(overridden(injectionAt("c", at("2026-03-30", 15)))),
                asClinician(overridden(touchUpAt("t0", at("2026-03-30", 9)))));
        List<DomainEventMessage<?>> stream = new ArrayList<>();
        fixture.givenCommands(commands.subList(0, commands.size() - 1))
                .when(asClinician(commands.get(commands.size() - 1)))
                .expectSuccessfulHandlerExecution();
        fixture.getEventStore().readEvents(PATIENT.value()).asStream().forEach(stream::add);

        record Dose(String id, long sequence, Instant at, boolean initial, int recorded) { }
        List<Dose> doses = new ArrayList<>();
        for (DomainEventMessage<?> m : stream) {
            if (m.getPayload() instanceof InjectionRecorded i) {
                doses.add(new Dose(i.entryId(), m.getSequenceNumber(), i.occurredAt(), true, i.cycle()));
            } else if (m.getPayload() instanceof TouchUpRecorded t) {
                doses.add(new Dose(t.entryId(), m.getSequenceNumber(), t.occurredAt(), false, t.cycle()));
            }
        }
        doses.sort(Comparator.comparing(Dose::at).thenComparingLong(Dose::sequence));
        int[] model = CycleModel.numbers(doses, Dose::initial);
        // Nothing here was backdated before a recorded injection, so each recorded number still holds.
        assertThat(doses).extracting(Dose::id).containsExactly("b", "a", "t1", "t0", "c");
        assertThat(doses).extracting(Dose::recorded).containsExactly(1, 2, 2, 2, 3);
        for (int i = 0; i < doses.size(); i++) assertThat(doses.get(i).recorded()).as(doses.get(i).id()).isEqualTo(model[i]);
    }

    @Test
    void a_snapshot_keeps_the_order_of_two_initial_injections_at_one_instant() {
        AtomicReference<Patient> captured = new AtomicReference<>();
        fixture.givenCommands(register(), injectionAt("b", at("2026-03-02", 10)),
                        asClinician(overridden(injectionAt("a", at("2026-03-02", 10)))))
                .when(new DescribeEntry(PATIENT, "a")).expectState(captured::set);
        JacksonSerializer serializer = SnapshotSerializer.json();
        Patient restored = serializer.deserialize(serializer.serialize(captured.get(), byte[].class));

        assertThat(restored.timeline()).isEqualTo(captured.get().timeline());
        TimelineView view = restored.timeline().view(ZoneOffset.UTC);
        assertThat(view.cycleNumber(restored.timeline().find("b"))).isEqualTo(1);
        assertThat(view.cycleNumber(restored.timeline().find("a"))).isEqualTo(2);
    }
}
