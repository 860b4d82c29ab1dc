-- The six read models now share one event processor, "read-models" (ReadModels.PROCESSOR): one token, one
-- read of the event stream for all of them. The old per-read-model token rows are no longer used. Without
-- them nothing is lost: the shared processor starts at the first event and passes over the rows the read
-- models already hold (their handlers are idempotent), and the dead-letter queues stay per read model.
DELETE FROM tokenentry WHERE processorname IN ('schedule', 'units', 'intervals', 'history', 'durability', 'lots');
