package org.treatmentledger.core.api;

/** Something the patient reports that changes how long results last. */
public enum CycleFactor { STRESS, INTENSE_TRAINING, ILLNESS, WEIGHT_CHANGE, OTHER }
