-- Calls are assembled from webhooks that arrive out of order and more than once: `events` holds
-- the provider events already merged into a call (each is applied once). A call linked to an
-- appointment before any webhook arrived has no direction yet. Retell's call type, duration and
-- transcript are kept.

ALTER TABLE bookingkit_calls
  ALTER COLUMN direction DROP NOT NULL,
  ADD COLUMN call_type text,
  ADD COLUMN duration_ms bigint,
  ADD COLUMN transcript text,
  ADD COLUMN events text[] NOT NULL DEFAULT '{}';
