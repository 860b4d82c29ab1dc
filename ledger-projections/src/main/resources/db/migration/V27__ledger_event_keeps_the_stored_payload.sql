-- The read side's copy of an event keeps the payload as the event store holds it (the same dedicated JSON
-- mapper writes both), as bytes: a bulk rebuild copies it without parsing it, and readers decode it directly.
-- entry_id and occurred_at were copies of payload fields that no query reads; extracting them meant parsing every
-- payload during a rebuild. Both stay in the payload.
ALTER TABLE ledger_event DROP COLUMN entry_id;
ALTER TABLE ledger_event DROP COLUMN occurred_at;
ALTER TABLE ledger_event ALTER COLUMN payload TYPE BYTEA USING convert_to(payload::text, 'UTF8');
