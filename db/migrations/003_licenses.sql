-- Licence review: applications created from license_apply events, their decisions, and the platform's check.

CREATE TABLE landing_phase1_licenses (
  id              INTEGER PRIMARY KEY,
  source_event_pk INTEGER NOT NULL UNIQUE REFERENCES landing_phase1_events (id),
  source_event_id TEXT NOT NULL,
  template_id     TEXT,
  account_id      TEXT,
  is_fast_track   INTEGER NOT NULL DEFAULT 0 CHECK (is_fast_track IN (0, 1)),
  persona_tag     TEXT,
  policy_tag      TEXT,
  applied_at      TEXT NOT NULL,            -- occurred_at of the license_apply event (UTC)
  day             TEXT NOT NULL,            -- its UTC+8 day
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
  version         INTEGER NOT NULL DEFAULT 1, -- a decision needs the version read: two reviewers never both decide
  previous_id     INTEGER REFERENCES landing_phase1_licenses (id), -- an earlier rejected application, same account + template
  decided_at      TEXT,
  decided_by      TEXT,
  effective_at    TEXT,
  expiry_type     TEXT,
  max_runs        INTEGER,
  expires_at      TEXT,
  reason_code     TEXT,
  decision_policy_tag TEXT,
  action_required TEXT,
  note            TEXT,
  revoked_at      TEXT,
  revoked_by      TEXT
);
CREATE INDEX landing_phase1_licenses_queue ON landing_phase1_licenses (status, is_fast_track, applied_at);
CREATE INDEX landing_phase1_licenses_account ON landing_phase1_licenses (account_id, template_id, id);

-- applications for license_apply events stored before this migration
INSERT INTO landing_phase1_licenses (source_event_pk, source_event_id, template_id, account_id, is_fast_track,
  persona_tag, policy_tag, applied_at, day)
SELECT id, event_id, json_extract(properties, '$.template_id'), json_extract(properties, '$.account_id'),
  coalesce(json_extract(properties, '$.is_fast_track') = 1, 0), json_extract(properties, '$.persona_tag'),
  json_extract(properties, '$.policy_tag'), occurred_at, day
FROM landing_phase1_events WHERE event = 'license_apply' ORDER BY id;

-- Tasks as the licence page and the licence check read them: a small projection kept on insert (task events
-- are a few percent of the stream), rather than JSON expression indexes on the whole event table, which
-- cost every insert about a fifth of its speed.
CREATE TABLE landing_phase1_tasks (
  task_id           TEXT PRIMARY KEY,
  start_event_pk    INTEGER NOT NULL REFERENCES landing_phase1_events (id),
  account_id        TEXT,
  template_id       TEXT,
  started_at        TEXT NOT NULL
) WITHOUT ROWID;
-- runs_used of the licence check: one index range
CREATE INDEX landing_phase1_tasks_account ON landing_phase1_tasks (account_id, template_id, started_at);

-- what happened to a task after it started: task_completed, task_failed, risk_alert
CREATE TABLE landing_phase1_task_events (
  task_id  TEXT NOT NULL,
  event_pk INTEGER NOT NULL REFERENCES landing_phase1_events (id),
  PRIMARY KEY (task_id, event_pk)
) WITHOUT ROWID;

INSERT OR IGNORE INTO landing_phase1_tasks (task_id, start_event_pk, account_id, template_id, started_at)
SELECT json_extract(properties, '$.task_id'), id, json_extract(properties, '$.account_id'),
  json_extract(properties, '$.template_id'), occurred_at
FROM landing_phase1_events
WHERE event = 'task_start' AND json_type(properties, '$.task_id') = 'text' ORDER BY id;

INSERT OR IGNORE INTO landing_phase1_task_events (task_id, event_pk)
SELECT json_extract(properties, '$.task_id'), id FROM landing_phase1_events
WHERE event IN ('task_completed', 'task_failed', 'risk_alert') AND json_type(properties, '$.task_id') = 'text';

-- service tokens (the platform's calls such as the licence check) are credentials like write keys
ALTER TABLE landing_phase1_write_keys ADD COLUMN kind TEXT NOT NULL DEFAULT 'write_key'
  CHECK (kind IN ('write_key', 'service_token'));
