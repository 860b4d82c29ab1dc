package org.treatmentledger.core.rules;

import org.treatmentledger.core.api.EntryAmended;
import org.treatmentledger.core.api.EntryType;
import org.treatmentledger.core.api.EntryVoided;
import org.treatmentledger.core.api.PatientEvent;

/**
 * What a recorded correction does to the entry it targets, decided once for the aggregate (the write side) and the
 * read models (PatientLedger) alike: a void takes a known entry out of every total; an amend gives a known entry
 * that is not voided its replacement's content, if the replacement is of the entry's type (so the latest amend
 * wins). Anything else changes nothing. Each side keeps its own state and says how to change it in a {@link Target}.
 */
public final class Corrections {

    private Corrections() { }

    /** One side's state, as the corrections see it. */
    public interface Target {
        /** The type of the entry recorded under {@code entryId}, or null where the state has none. */
        EntryType typeOf(String entryId);

        boolean isVoided(String entryId);

        /** Gives the target of {@code amend} its replacement's content (the type already checked). */
        void amend(EntryAmended amend);

        /** Takes the target of {@code correction}, an entry of {@code type}, out of every total. */
        void voidEntry(EntryVoided correction, EntryType type);
    }

    /** Applies {@code event} to {@code target} if it is a correction that counts; true when it did. */
    public static boolean apply(PatientEvent event, Target target) {
        if (event instanceof EntryAmended amend) {
            EntryType type = target.typeOf(amend.targetEntryId());
            if (type == null || target.isVoided(amend.targetEntryId()) || amend.replacement() == null
                    || amend.replacement().entryType() != type) {
                return false;
            }
            target.amend(amend);
            return true;
        }
        if (event instanceof EntryVoided correction) {
            EntryType type = target.typeOf(correction.targetEntryId());
            if (type == null) return false;
            target.voidEntry(correction, type);
            return true;
        }
        return false;
    }
}
