-- Foundation: the tracking plan and enums as data, write keys, the event store and the completeness counters.
-- Every table lives in the landing_phase1 namespace as a `landing_phase1_` prefix (SQLite has no schemas
-- within one file, and an ATTACHed schema would not be visible to a Metabase pointed at the file).

CREATE TABLE landing_phase1_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO landing_phase1_meta (key, value) VALUES ('plan_version', '1');

CREATE TABLE landing_phase1_enums (
  name           TEXT PRIMARY KEY,
  owner          TEXT NOT NULL,
  description_en TEXT NOT NULL,
  description_zh TEXT NOT NULL,
  console_defined INTEGER NOT NULL DEFAULT 0 CHECK (console_defined IN (0, 1))
) WITHOUT ROWID;

CREATE TABLE landing_phase1_enum_values (
  enum_name   TEXT NOT NULL REFERENCES landing_phase1_enums (name),
  code        TEXT NOT NULL CHECK (length(code) > 0),
  label_en    TEXT NOT NULL,
  label_zh    TEXT NOT NULL,
  description TEXT,
  status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'deprecated')),
  -- a value validates events with valid_from <= occurred_at < deprecated_at (UTC ISO-8601 strings)
  valid_from  TEXT NOT NULL,
  deprecated_at TEXT,
  sort_order  INTEGER NOT NULL,
  -- policy_tag mapping (告警字段映射); NULL for other enums
  policy_group            TEXT CHECK (policy_group IN ('A', 'B', 'C', 'D')),
  default_risk_level      TEXT,
  default_action_required TEXT,
  min_escalation_level    TEXT,
  PRIMARY KEY (enum_name, code)
) WITHOUT ROWID;

CREATE TABLE landing_phase1_plan_events (
  name       TEXT PRIMARY KEY,
  position   INTEGER NOT NULL,
  scene_en   TEXT NOT NULL,
  scene_zh   TEXT NOT NULL,
  trigger_en TEXT NOT NULL,
  trigger_zh TEXT NOT NULL,
  owners     TEXT NOT NULL CHECK (json_valid(owners)),
  target_valid_pct REAL NOT NULL CHECK (target_valid_pct BETWEEN 0 AND 100)
) WITHOUT ROWID;

CREATE TABLE landing_phase1_plan_fields (
  event_name  TEXT NOT NULL REFERENCES landing_phase1_plan_events (name),
  name        TEXT NOT NULL,
  position    INTEGER NOT NULL,
  type        TEXT NOT NULL,
  enum_name   TEXT REFERENCES landing_phase1_enums (name),
  required    INTEGER NOT NULL CHECK (required IN (0, 1)),
  nullable_unless_field TEXT,
  nullable_unless_value TEXT,
  sensitive   INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
  description TEXT NOT NULL,
  PRIMARY KEY (event_name, name),
  CHECK ((type = 'enum') = (enum_name IS NOT NULL))
) WITHOUT ROWID;

-- Validation caches the plan; any change to it bumps plan_version so the cache reloads on the next batch.
CREATE TRIGGER landing_phase1_enum_values_ins AFTER INSERT ON landing_phase1_enum_values
BEGIN UPDATE landing_phase1_meta SET value = value + 1 WHERE key = 'plan_version'; END;
CREATE TRIGGER landing_phase1_enum_values_upd AFTER UPDATE ON landing_phase1_enum_values
BEGIN UPDATE landing_phase1_meta SET value = value + 1 WHERE key = 'plan_version'; END;
CREATE TRIGGER landing_phase1_plan_fields_ins AFTER INSERT ON landing_phase1_plan_fields
BEGIN UPDATE landing_phase1_meta SET value = value + 1 WHERE key = 'plan_version'; END;
CREATE TRIGGER landing_phase1_plan_fields_upd AFTER UPDATE ON landing_phase1_plan_fields
BEGIN UPDATE landing_phase1_meta SET value = value + 1 WHERE key = 'plan_version'; END;
CREATE TRIGGER landing_phase1_plan_events_upd AFTER UPDATE ON landing_phase1_plan_events
BEGIN UPDATE landing_phase1_meta SET value = value + 1 WHERE key = 'plan_version'; END;

CREATE TABLE landing_phase1_write_keys (
  id         INTEGER PRIMARY KEY,
  source     TEXT NOT NULL,
  label      TEXT NOT NULL,
  key_hash   TEXT NOT NULL UNIQUE,
  key_prefix TEXT NOT NULL,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

-- The event store. id is the rowid: events are never deleted and inserts that fail roll back, so ids are
-- dense (1..N), which lets unfiltered deep pages seek by id instead of skipping rows.
CREATE TABLE landing_phase1_events (
  id              INTEGER PRIMARY KEY,
  event_id        TEXT NOT NULL UNIQUE,
  event           TEXT NOT NULL,
  day             TEXT NOT NULL,          -- UTC+8 date of occurred_at (UTC+8 日切)
  occurred_at     TEXT NOT NULL,          -- normalised to UTC, e.g. 2026-11-25T02:00:00.000Z
  received_at     TEXT NOT NULL,
  source          TEXT NOT NULL,
  planned         INTEGER NOT NULL CHECK (planned IN (0, 1)),
  violation_count INTEGER NOT NULL,
  properties      TEXT NOT NULL,          -- JSON object; PII already replaced by HMAC stand-ins
  violations      TEXT NOT NULL           -- JSON array of {field, rule}
);
-- Each list filter has an index whose entries run in id order within one value ((event, rowid), …), so the
-- newest page of a filtered list is a walk from the end of one index range, never a sort.
CREATE INDEX landing_phase1_events_event ON landing_phase1_events (event);
CREATE INDEX landing_phase1_events_day ON landing_phase1_events (day);
CREATE INDEX landing_phase1_events_source ON landing_phase1_events (source);
CREATE INDEX landing_phase1_events_occurred_at ON landing_phase1_events (occurred_at);
CREATE INDEX landing_phase1_events_invalid ON landing_phase1_events (id) WHERE violation_count > 0;

CREATE TABLE landing_phase1_event_violations (
  event_pk INTEGER NOT NULL,
  field    TEXT NOT NULL,
  rule     TEXT NOT NULL,
  PRIMARY KEY (rule, field, event_pk)
) WITHOUT ROWID;
CREATE INDEX landing_phase1_event_violations_rule ON landing_phase1_event_violations (rule, event_pk);
CREATE INDEX landing_phase1_event_violations_field ON landing_phase1_event_violations (field, event_pk);

-- Nothing stored is ever lost: the event store and its violations are append-only.
CREATE TRIGGER landing_phase1_events_no_update BEFORE UPDATE ON landing_phase1_events
BEGIN SELECT RAISE(ABORT, 'landing_phase1_events is append-only'); END;
CREATE TRIGGER landing_phase1_events_no_delete BEFORE DELETE ON landing_phase1_events
BEGIN SELECT RAISE(ABORT, 'landing_phase1_events is append-only'); END;
CREATE TRIGGER landing_phase1_event_violations_no_delete BEFORE DELETE ON landing_phase1_event_violations
BEGIN SELECT RAISE(ABORT, 'landing_phase1_event_violations is append-only'); END;

-- Completeness counters, maintained in the same transaction as the inserts so reads never scan events.
CREATE TABLE landing_phase1_completeness_fields (
  day         TEXT NOT NULL,
  event       TEXT NOT NULL,
  field       TEXT NOT NULL,
  total       INTEGER NOT NULL DEFAULT 0,
  missing     INTEGER NOT NULL DEFAULT 0,
  wrong_type  INTEGER NOT NULL DEFAULT 0,
  out_of_enum INTEGER NOT NULL DEFAULT 0,
  pii         INTEGER NOT NULL DEFAULT 0,
  cross_field INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event, field)
) WITHOUT ROWID;

CREATE TABLE landing_phase1_completeness_events (
  day             TEXT NOT NULL,
  event           TEXT NOT NULL,
  total           INTEGER NOT NULL DEFAULT 0,  -- stored events (duplicates excluded)
  valid           INTEGER NOT NULL DEFAULT 0,
  with_violations INTEGER NOT NULL DEFAULT 0,
  duplicates      INTEGER NOT NULL DEFAULT 0,  -- repeated deliveries acknowledged and not stored
  unplanned       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (day, event)
) WITHOUT ROWID;
CREATE INDEX landing_phase1_completeness_events_event ON landing_phase1_completeness_events (event, day);
