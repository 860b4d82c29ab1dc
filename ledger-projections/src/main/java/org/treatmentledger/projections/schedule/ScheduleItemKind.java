package org.treatmentledger.projections.schedule;

public enum ScheduleItemKind {
    TWO_WEEK_REVIEW, TOUCH_UP_WINDOW, EARLIEST_LASER, NEXT_NEUROMODULATOR, LASER_SERIES_SESSION,
    LASER_MAINTENANCE, PHOTO_CHECKPOINT
}
