package org.treatmentledger.core.api;

import org.treatmentledger.core.personaldata.PersonalData;

/** One image of a checkpoint: its bytes stay outside the ledger; the SHA-256 is the medico-legal anchor. */
public record PhotoImage(String view, String sha256, @PersonalData String uri) { }
