-- Access control and the audit log: users with roles, server-side sessions, login throttling, write-key
-- administration, and the append-only, hash-chained audit log.

CREATE TABLE landing_phase1_users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE CHECK (length(username) BETWEEN 1 AND 64),
  display_name  TEXT NOT NULL,
  roles         TEXT NOT NULL CHECK (json_valid(roles) AND json_type(roles) = 'array'),
  team          TEXT,                     -- an engineer's source team: they read that team's events only
  password_hash TEXT NOT NULL,            -- scrypt$N$r$p$salt$hash (parameters travel with the hash)
  disabled_at   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  version       INTEGER NOT NULL DEFAULT 1 -- optimistic concurrency: a stale version is a 409
);

CREATE TABLE landing_phase1_sessions (
  token_hash   TEXT PRIMARY KEY,          -- SHA-256 of the cookie's token; the token itself is never stored
  user_id      INTEGER NOT NULL REFERENCES landing_phase1_users (id),
  created_at   TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  expires_at   TEXT NOT NULL,             -- absolute limit; inactivity is judged on last_seen_at
  ended_at     TEXT,
  ip           TEXT,
  user_agent   TEXT
) WITHOUT ROWID;
CREATE INDEX landing_phase1_sessions_user ON landing_phase1_sessions (user_id);

-- failed sign-ins, for throttling per account and per address
CREATE TABLE landing_phase1_login_failures (
  id       INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  ip       TEXT NOT NULL,
  at       TEXT NOT NULL
);
CREATE INDEX landing_phase1_login_failures_username ON landing_phase1_login_failures (username, at);
CREATE INDEX landing_phase1_login_failures_ip ON landing_phase1_login_failures (ip, at);

ALTER TABLE landing_phase1_write_keys ADD COLUMN revoked_by TEXT;
ALTER TABLE landing_phase1_write_keys ADD COLUMN replaced_by INTEGER REFERENCES landing_phase1_write_keys (id);
ALTER TABLE landing_phase1_write_keys ADD COLUMN created_by TEXT;

-- The audit log: one row per change or decision, written in the same transaction as the change. Each row
-- carries the hash of its predecessor and its own hash over its content, so an edited row breaks the chain
-- (GET /api/audit/verify); the database itself refuses UPDATE and DELETE.
CREATE TABLE landing_phase1_audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,              -- UTC ISO-8601
  actor_id    INTEGER,                    -- NULL for the system or an unknown user
  actor       TEXT NOT NULL,              -- username as typed/known at the time
  action      TEXT NOT NULL,              -- e.g. auth.login, user.update, write_key.revoke
  resource    TEXT NOT NULL,
  resource_id TEXT,
  before      TEXT CHECK (before IS NULL OR json_valid(before)),
  after       TEXT CHECK (after IS NULL OR json_valid(after)),
  reason      TEXT,
  request_id  TEXT,
  outcome     TEXT NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  ip          TEXT,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX landing_phase1_audit_log_actor ON landing_phase1_audit_log (actor, id);
CREATE INDEX landing_phase1_audit_log_resource ON landing_phase1_audit_log (resource, resource_id, id);
CREATE INDEX landing_phase1_audit_log_action ON landing_phase1_audit_log (action, id);
CREATE INDEX landing_phase1_audit_log_at ON landing_phase1_audit_log (at);

-- INSERT OR REPLACE would otherwise overwrite a row without firing the delete trigger
CREATE TRIGGER landing_phase1_audit_log_no_replace BEFORE INSERT ON landing_phase1_audit_log
WHEN EXISTS (SELECT 1 FROM landing_phase1_audit_log WHERE id = NEW.id)
BEGIN SELECT RAISE(ABORT, 'landing_phase1_audit_log is append-only'); END;
CREATE TRIGGER landing_phase1_audit_log_no_update BEFORE UPDATE ON landing_phase1_audit_log
BEGIN SELECT RAISE(ABORT, 'landing_phase1_audit_log is append-only'); END;
CREATE TRIGGER landing_phase1_audit_log_no_delete BEFORE DELETE ON landing_phase1_audit_log
BEGIN SELECT RAISE(ABORT, 'landing_phase1_audit_log is append-only'); END;
