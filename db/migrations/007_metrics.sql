-- The metrics board (指标看板): counters kept as events are stored (server/metrics/projection.ts, in the insert
-- transaction) and as ledger entries are made (the triggers below), so every chart reads a few hundred
-- counter rows per range instead of the events' JSON.

-- Per UTC+8 day: `n` (how many) and `total` (a sum, e.g. credits or positions) under up to three keys; which
-- keys a metric uses is said in server/metrics/projection.ts. '' is "no value" (a key the event left out, or
-- a key the metric does not use).
CREATE TABLE landing_phase1_metric_counts (
  metric TEXT NOT NULL,
  day    TEXT NOT NULL,
  k1     TEXT NOT NULL DEFAULT '',
  k2     TEXT NOT NULL DEFAULT '',
  k3     TEXT NOT NULL DEFAULT '',
  n      INTEGER NOT NULL,
  total  REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (metric, day, k1, k2, k3)
) WITHOUT ROWID;

-- Distinct users and accounts per UTC+8 day: one row per day and actor, and the first event of its kind for
-- that actor and day (its counter coming back as 1) is what bumps a distinct counter, so distinct actors per
-- day are counters too. Keyed by day first: the events of a batch fall on a day or two, so their writes land
-- in the few pages of those days instead of one page anywhere in the table per user — on a b-tree with a
-- write-ahead log that is most of what such a table costs ingestion.
-- A cta_click carries neither A/B bucket nor channel: it is counted under those of its user's latest
-- landing_view of the click's day or the day before (a first-screen CTA is clicked in the visit that loaded
-- the first screen), found here by two primary-key reads.
CREATE TABLE landing_phase1_metric_user_days (
  day            TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  landings       INTEGER NOT NULL DEFAULT 0,   -- landing_view events of the user that day
  landed_at      TEXT,                         -- occurred_at of the latest of them (ties: the last stored)
  ab_bucket      TEXT,                         -- … and its ab_bucket and source_channel
  source_channel TEXT,
  clicks         INTEGER NOT NULL DEFAULT 0,   -- cta_click events of the user that day
  ctas           TEXT NOT NULL DEFAULT '[]',   -- the cta_ids clicked that day (a JSON array)
  PRIMARY KEY (day, user_id)
) WITHOUT ROWID;

CREATE TABLE landing_phase1_metric_account_days (
  day        TEXT NOT NULL,
  account_id TEXT NOT NULL,
  applies    INTEGER NOT NULL DEFAULT 0,       -- license_apply events of the account that day
  approvals  INTEGER NOT NULL DEFAULT 0,       -- license_approved
  starts     INTEGER NOT NULL DEFAULT 0,       -- task_start
  PRIMARY KEY (day, account_id)
) WITHOUT ROWID;

-- Ledger entries per UTC+8 day of created_at × kind × status: count and amount. An entry's status may change
-- once (pending_approval → posted | rejected): it moves between the status rows.
CREATE TRIGGER landing_phase1_metric_ledger_ins AFTER INSERT ON landing_phase1_ledger
BEGIN
  INSERT INTO landing_phase1_metric_counts (metric, day, k1, k2, k3, n, total)
  VALUES ('ledger', date(NEW.created_at, '+8 hours'), NEW.kind, NEW.status, '', 1, NEW.amount)
  ON CONFLICT (metric, day, k1, k2, k3) DO UPDATE SET n = n + 1, total = total + excluded.total;
END;

CREATE TRIGGER landing_phase1_metric_ledger_upd AFTER UPDATE ON landing_phase1_ledger
WHEN NEW.status IS NOT OLD.status
BEGIN
  UPDATE landing_phase1_metric_counts SET n = n - 1, total = total - OLD.amount
  WHERE metric = 'ledger' AND day = date(OLD.created_at, '+8 hours') AND k1 = OLD.kind AND k2 = OLD.status
    AND k3 = '';
  INSERT INTO landing_phase1_metric_counts (metric, day, k1, k2, k3, n, total)
  VALUES ('ledger', date(NEW.created_at, '+8 hours'), NEW.kind, NEW.status, '', 1, NEW.amount)
  ON CONFLICT (metric, day, k1, k2, k3) DO UPDATE SET n = n + 1, total = total + excluded.total;
END;

INSERT INTO landing_phase1_metric_counts (metric, day, k1, k2, k3, n, total)
SELECT 'ledger', date(created_at, '+8 hours'), kind, status, '', count(*), sum(amount)
FROM landing_phase1_ledger GROUP BY 2, 3, 4;

-- licence review: decisions and revocations of a range, found by the UTC+8 day they were made. The
-- decisions' index holds every value the review reads of them, the day and the time to decision included
-- (server/metrics/queries.ts writes the same expressions, which is what lets SQLite read them from here),
-- so a range of many decisions is read from the index alone, computing nothing per row. A revoked licence
-- keeps the decided_at of its approval.
CREATE INDEX landing_phase1_licenses_decided ON landing_phase1_licenses (
  date(decided_at, '+8 hours'), status, is_fast_track, persona_tag,
  round((unixepoch(decided_at, 'subsec') - unixepoch(applied_at, 'subsec')) * 1000)
) WHERE decided_at IS NOT NULL;
CREATE INDEX landing_phase1_licenses_revoked ON landing_phase1_licenses (revoked_at) WHERE revoked_at IS NOT NULL;

-- Events stored before this migration are counted once by replaying them, in id order (the order they were
-- stored in), through the same projection live ingestion runs (server/metrics/projection.ts
-- backfillMetrics, at the next start): attributing a click to its user's bucket depends on what was stored
-- before it, which the projection's own code states once. `upto` is the last event to replay, `done` how far
-- the replay got (it commits in chunks and resumes after a crash).
INSERT INTO landing_phase1_meta (key, value)
SELECT 'metrics_backfill_upto', (SELECT max(id) FROM landing_phase1_events)
WHERE EXISTS (SELECT 1 FROM landing_phase1_events);
INSERT INTO landing_phase1_meta (key, value)
SELECT 'metrics_backfill_done', '0' WHERE EXISTS (SELECT 1 FROM landing_phase1_events);
