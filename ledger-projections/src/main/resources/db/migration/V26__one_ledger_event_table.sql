-- One copy of the patient events for all read models. History already kept every event; it becomes
-- ledger_event, and schedule, unit history, intervals, durability and lots read it instead of each keeping
-- its own copy (five more inserts per event, which dominated replays). Nothing is lost: the dropped tables
-- held subsets of history's rows, and the derived tables (durability_cycle, lot_administration) stay.
ALTER TABLE history_event RENAME TO ledger_event;
ALTER TABLE ledger_event RENAME CONSTRAINT history_event_pkey TO ledger_event_pkey;
DROP TABLE schedule_event;
DROP TABLE units_event;
DROP TABLE intervals_event;
DROP TABLE durability_event;
DROP TABLE lots_event;
