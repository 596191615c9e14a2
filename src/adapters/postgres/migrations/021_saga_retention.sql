-- Saga retention: `purge` removes the sagas that ended cleanly (completed, compensated) before a
-- given time. `finished_at` is written once, by the transition that makes a saga final (which
-- changes the indexed `state` anyway), so the partial index below costs no HOT update: an index
-- on `updated_at`, which every transition rewrites, would make each step transition touch it.

ALTER TABLE bookingkit_sagas ADD COLUMN finished_at double precision;

UPDATE bookingkit_sagas SET finished_at = updated_at
  WHERE state IN ('completed', 'compensated', 'failed', 'compensation_failed');

CREATE INDEX bookingkit_sagas_finished ON bookingkit_sagas (finished_at) WHERE state IN ('completed', 'compensated');
