-- Tasks assembled from task_start / task_completed / task_failed in whatever order they arrive, the risk-alert
-- inbox, and the append-only credits ledger.

-- The task projection of 003 needed a task_start first; now any task event opens the task and each fills
-- its part. The outcome is the outcome event with the latest occurred_at (ties: the larger event_id), so the
-- same events give the same task whatever order they arrive in.
CREATE TABLE landing_phase1_tasks_v2 (
  task_id            TEXT PRIMARY KEY,
  start_event_pk     INTEGER REFERENCES landing_phase1_events (id),
  account_id         TEXT,
  template_id        TEXT,
  queue_type         TEXT,
  estimated_credits  REAL,
  started_at         TEXT,                  -- occurred_at of task_start (UTC)
  outcome_event_pk   INTEGER REFERENCES landing_phase1_events (id),
  outcome            TEXT CHECK (outcome IN ('succeeded', 'failed')),
  finished_at        TEXT,
  credits_spent      REAL,
  duration_ms        INTEGER,
  output_count       INTEGER,
  failure_code       TEXT,
  sub_status         TEXT,
  policy_tag         TEXT,
  action_required    TEXT,
  first_seen_at      TEXT NOT NULL          -- the earliest occurred_at among its events
) WITHOUT ROWID;

INSERT INTO landing_phase1_tasks_v2 (task_id, start_event_pk, account_id, template_id, queue_type,
  estimated_credits, started_at, first_seen_at)
SELECT t.task_id, t.start_event_pk, t.account_id, t.template_id, json_extract(e.properties, '$.queue_type'),
  CASE WHEN json_type(e.properties, '$.estimated_credits') IN ('integer', 'real')
    THEN json_extract(e.properties, '$.estimated_credits') END,
  t.started_at, t.started_at
FROM landing_phase1_tasks t JOIN landing_phase1_events e ON e.id = t.start_event_pk;

-- outcomes: the latest outcome event of each task
INSERT INTO landing_phase1_tasks_v2 (task_id, first_seen_at) SELECT json_extract(properties, '$.task_id'), min(occurred_at)
FROM landing_phase1_events WHERE event IN ('task_completed', 'task_failed') AND json_type(properties, '$.task_id') = 'text'
GROUP BY 1 HAVING true
ON CONFLICT (task_id) DO UPDATE SET first_seen_at = min(first_seen_at, excluded.first_seen_at);

WITH ranked AS (
  SELECT id, event, occurred_at, properties, json_extract(properties, '$.task_id') AS task_id,
    row_number() OVER (PARTITION BY json_extract(properties, '$.task_id') ORDER BY occurred_at DESC, event_id DESC) AS n
  FROM landing_phase1_events WHERE event IN ('task_completed', 'task_failed') AND json_type(properties, '$.task_id') = 'text'
)
UPDATE landing_phase1_tasks_v2 SET
  outcome_event_pk = r.id,
  outcome = CASE r.event WHEN 'task_completed' THEN 'succeeded' ELSE 'failed' END,
  finished_at = r.occurred_at,
  credits_spent = CASE WHEN json_type(r.properties, '$.credits_spent') IN ('integer', 'real') THEN json_extract(r.properties, '$.credits_spent') END,
  duration_ms = CASE WHEN json_type(r.properties, '$.duration_ms') = 'integer' THEN json_extract(r.properties, '$.duration_ms') END,
  output_count = CASE WHEN json_type(r.properties, '$.output_count') = 'integer' THEN json_extract(r.properties, '$.output_count') END,
  failure_code = CASE WHEN json_type(r.properties, '$.failure_code') = 'text' THEN json_extract(r.properties, '$.failure_code') END,
  sub_status = CASE WHEN json_type(r.properties, '$.sub_status') = 'text' THEN json_extract(r.properties, '$.sub_status') END,
  policy_tag = CASE WHEN json_type(r.properties, '$.policy_tag') = 'text' THEN json_extract(r.properties, '$.policy_tag') END,
  action_required = CASE WHEN json_type(r.properties, '$.action_required') = 'text' THEN json_extract(r.properties, '$.action_required') END
FROM ranked r WHERE r.n = 1 AND r.task_id = landing_phase1_tasks_v2.task_id;

-- a task whose start carries no template (or that has no start) takes the first stored outcome's
WITH templates AS (
  SELECT json_extract(properties, '$.task_id') AS task_id, json_extract(properties, '$.template_id') AS template_id,
    row_number() OVER (PARTITION BY json_extract(properties, '$.task_id') ORDER BY id) AS n
  FROM landing_phase1_events WHERE event IN ('task_completed', 'task_failed') AND json_type(properties, '$.task_id') = 'text'
    AND json_type(properties, '$.template_id') = 'text' AND trim(json_extract(properties, '$.template_id')) <> ''
)
UPDATE landing_phase1_tasks_v2 SET template_id = f.template_id
FROM templates f WHERE f.n = 1 AND f.task_id = landing_phase1_tasks_v2.task_id AND landing_phase1_tasks_v2.template_id IS NULL;

DROP TABLE landing_phase1_tasks;
ALTER TABLE landing_phase1_tasks_v2 RENAME TO landing_phase1_tasks;
-- runs_used of the licence check: one index range
CREATE INDEX landing_phase1_tasks_account ON landing_phase1_tasks (account_id, template_id, started_at);
CREATE INDEX landing_phase1_tasks_started ON landing_phase1_tasks (started_at);
-- the task list's default order
CREATE INDEX landing_phase1_tasks_first_seen ON landing_phase1_tasks (first_seen_at);
-- the credit estimate's samples: recent succeeded tasks of a queue type
CREATE INDEX landing_phase1_tasks_outcome ON landing_phase1_tasks (outcome, queue_type, finished_at);

-- credits_updated events now belong to their task's history too
INSERT OR IGNORE INTO landing_phase1_task_events (task_id, event_pk)
SELECT json_extract(properties, '$.task_id'), id FROM landing_phase1_events
WHERE event = 'credits_updated' AND json_type(properties, '$.task_id') = 'text';

-- Risk alerts, one per alert_id (a risk_alert without an alert_id is kept under its event_id), worked
-- open → acknowledged → resolved, escalated none → ops_review → compliance_committee, each step on the
-- version read.
CREATE TABLE landing_phase1_alerts (
  id                  INTEGER PRIMARY KEY,
  alert_id            TEXT NOT NULL UNIQUE,
  source_event_pk     INTEGER NOT NULL REFERENCES landing_phase1_events (id),
  task_id             TEXT,
  risk_level          TEXT,
  policy_tag          TEXT,
  action_required     TEXT,
  escalation_level    TEXT,                  -- now
  arrived_escalation  TEXT,                  -- as the event sent it
  auto_escalated      INTEGER NOT NULL DEFAULT 0 CHECK (auto_escalated IN (0, 1)),
  event_violations    INTEGER NOT NULL DEFAULT 0,
  raised_at           TEXT NOT NULL,         -- occurred_at of the risk_alert (UTC)
  day                 TEXT NOT NULL,
  state               TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'acknowledged', 'resolved')),
  version             INTEGER NOT NULL DEFAULT 1,
  acknowledged_at     TEXT,
  acknowledged_by     TEXT,
  resolved_at         TEXT,
  resolved_by         TEXT,
  updated_at          TEXT,
  updated_by          TEXT,
  last_note           TEXT,
  -- the inbox order as one indexed value: open, acknowledged, resolved; high, medium, low, other risk
  inbox_rank          INTEGER GENERATED ALWAYS AS (
    (CASE state WHEN 'open' THEN 0 WHEN 'acknowledged' THEN 1 ELSE 2 END) * 10
    + (CASE risk_level WHEN 'high' THEN 0 WHEN 'medium' THEN 1 WHEN 'low' THEN 2 ELSE 3 END)) VIRTUAL
);
-- the inbox: unresolved first, high risk first, oldest first
CREATE INDEX landing_phase1_alerts_inbox ON landing_phase1_alerts (inbox_rank, raised_at, id);
CREATE INDEX landing_phase1_alerts_state ON landing_phase1_alerts (state, raised_at);
CREATE INDEX landing_phase1_alerts_task ON landing_phase1_alerts (task_id);

-- as live ingestion does (arrivalEscalation): below its policy tag's minimum (a missing or unknown level is
-- below any), an alert is raised to the minimum on arrival
INSERT INTO landing_phase1_alerts (alert_id, source_event_pk, task_id, risk_level, policy_tag, action_required,
  escalation_level, arrived_escalation, auto_escalated, event_violations, raised_at, day)
SELECT alert_id, id, task_id, risk_level, policy_tag, action_required,
  CASE WHEN raised THEN minimum ELSE sent END, sent, raised, violation_count, occurred_at, day
FROM (
  SELECT e.id, e.violation_count, e.occurred_at, e.day,
    coalesce(CASE WHEN json_type(e.properties, '$.alert_id') = 'text' AND trim(json_extract(e.properties, '$.alert_id')) <> ''
      THEN json_extract(e.properties, '$.alert_id') END, 'event:' || e.event_id) AS alert_id,
    CASE WHEN json_type(e.properties, '$.task_id') = 'text' AND trim(json_extract(e.properties, '$.task_id')) <> '' THEN json_extract(e.properties, '$.task_id') END AS task_id,
    CASE WHEN json_type(e.properties, '$.risk_level') = 'text' AND trim(json_extract(e.properties, '$.risk_level')) <> '' THEN json_extract(e.properties, '$.risk_level') END AS risk_level,
    CASE WHEN json_type(e.properties, '$.policy_tag') = 'text' AND trim(json_extract(e.properties, '$.policy_tag')) <> '' THEN json_extract(e.properties, '$.policy_tag') END AS policy_tag,
    CASE WHEN json_type(e.properties, '$.action_required') = 'text' AND trim(json_extract(e.properties, '$.action_required')) <> '' THEN json_extract(e.properties, '$.action_required') END AS action_required,
    CASE WHEN json_type(e.properties, '$.escalation_level') = 'text' AND trim(json_extract(e.properties, '$.escalation_level')) <> '' THEN json_extract(e.properties, '$.escalation_level') END AS sent,
    v.min_escalation_level AS minimum,
    coalesce(
      (v.min_escalation_level = 'compliance_committee'
        AND coalesce(json_extract(e.properties, '$.escalation_level'), '') IS NOT 'compliance_committee')
      OR (v.min_escalation_level = 'ops_review'
        AND coalesce(json_extract(e.properties, '$.escalation_level'), '') NOT IN ('ops_review', 'compliance_committee')),
      0) AS raised
  FROM landing_phase1_events e
  LEFT JOIN landing_phase1_enum_values v ON v.enum_name = 'policy_tag' AND v.code = json_extract(e.properties, '$.policy_tag')
  WHERE e.event = 'risk_alert'
) WHERE true ORDER BY id
ON CONFLICT (alert_id) DO NOTHING;

-- The credits ledger: append-only. Amounts are negative for charges, positive for refunds. Nothing is ever
-- deleted or re-valued; a mistake is corrected by a reversal entry. The only changes a row may see: a pending
-- manual entry is decided (status, decided_by/_at, decision_note), and an entry recorded before its task's
-- task_start arrived learns the account.
CREATE TABLE landing_phase1_ledger (
  seq            INTEGER PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,       -- the ledger_id
  account_id     TEXT,
  task_id        TEXT NOT NULL,
  amount         REAL NOT NULL CHECK (amount <> 0),
  kind           TEXT NOT NULL CHECK (kind IN ('task_charge', 'tail_deduction', 'manual_rollback', 'manual_adjustment')),
  policy_tag     TEXT,
  reason         TEXT,
  created_by     TEXT NOT NULL,              -- a username, or 'platform' for entries from events
  created_at     TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('posted', 'pending_approval', 'rejected')),
  reverses       TEXT REFERENCES landing_phase1_ledger (id),
  source_event_pk INTEGER REFERENCES landing_phase1_events (id),
  decided_by     TEXT,
  decided_at     TEXT,
  decision_note  TEXT
);
CREATE INDEX landing_phase1_ledger_task ON landing_phase1_ledger (task_id, status);
CREATE INDEX landing_phase1_ledger_account ON landing_phase1_ledger (account_id, status);
CREATE INDEX landing_phase1_ledger_status ON landing_phase1_ledger (status, seq);
-- one charge per task
CREATE UNIQUE INDEX landing_phase1_ledger_one_charge ON landing_phase1_ledger (task_id) WHERE kind = 'task_charge';

CREATE TRIGGER landing_phase1_ledger_no_delete BEFORE DELETE ON landing_phase1_ledger
BEGIN SELECT RAISE(ABORT, 'landing_phase1_ledger is append-only: correct an entry with a reversal'); END;
CREATE TRIGGER landing_phase1_ledger_no_update BEFORE UPDATE ON landing_phase1_ledger
WHEN NEW.seq IS NOT OLD.seq OR NEW.id IS NOT OLD.id OR NEW.amount IS NOT OLD.amount OR NEW.kind IS NOT OLD.kind
  OR NEW.task_id IS NOT OLD.task_id OR NEW.policy_tag IS NOT OLD.policy_tag OR NEW.reason IS NOT OLD.reason
  OR NEW.created_by IS NOT OLD.created_by OR NEW.created_at IS NOT OLD.created_at OR NEW.reverses IS NOT OLD.reverses
  OR NEW.source_event_pk IS NOT OLD.source_event_pk
  OR (OLD.account_id IS NOT NULL AND NEW.account_id IS NOT OLD.account_id)
  OR (NEW.status IS NOT OLD.status AND OLD.status <> 'pending_approval')
  OR (OLD.status <> 'pending_approval' AND (NEW.decided_by IS NOT OLD.decided_by OR NEW.decided_at IS NOT OLD.decided_at
      OR NEW.decision_note IS NOT OLD.decision_note))
BEGIN SELECT RAISE(ABORT, 'landing_phase1_ledger is append-only: correct an entry with a reversal'); END;

-- charges and tail deductions already stored. A task's charge is its first stored task_completed with
-- credits spent, as live ingestion makes it: whether or not a later outcome (a failure) followed.
INSERT OR IGNORE INTO landing_phase1_ledger (id, account_id, task_id, amount, kind, policy_tag, created_by, created_at,
  status, source_event_pk)
SELECT 'charge:' || c.task_id, t.account_id, c.task_id, -c.spent, 'task_charge', NULL, 'platform', c.occurred_at,
  'posted', c.id
FROM (
  SELECT id, occurred_at, json_extract(properties, '$.task_id') AS task_id, json_extract(properties, '$.credits_spent') AS spent,
    row_number() OVER (PARTITION BY json_extract(properties, '$.task_id') ORDER BY id) AS n
  FROM landing_phase1_events WHERE event = 'task_completed' AND json_type(properties, '$.task_id') = 'text'
    AND json_type(properties, '$.credits_spent') IN ('integer', 'real') AND json_extract(properties, '$.credits_spent') > 0
) c LEFT JOIN landing_phase1_tasks t ON t.task_id = c.task_id
WHERE c.n = 1 ORDER BY c.id;

INSERT OR IGNORE INTO landing_phase1_ledger (id, account_id, task_id, amount, kind, policy_tag, created_by, created_at,
  status, source_event_pk)
SELECT json_extract(e.properties, '$.ledger_id'), t.account_id, json_extract(e.properties, '$.task_id'),
  json_extract(e.properties, '$.adjust_amount'), 'tail_deduction', json_extract(e.properties, '$.policy_tag'),
  'platform', e.occurred_at, 'posted', e.id
FROM landing_phase1_events e LEFT JOIN landing_phase1_tasks t ON t.task_id = json_extract(e.properties, '$.task_id')
WHERE e.event = 'credits_updated' AND json_type(e.properties, '$.ledger_id') = 'text'
  AND json_type(e.properties, '$.task_id') = 'text'
  AND json_type(e.properties, '$.adjust_amount') IN ('integer', 'real') AND json_extract(e.properties, '$.adjust_amount') <> 0
ORDER BY e.id;

-- Idempotency keys of money-moving requests: the same key and body replay the first answer, the same key
-- with another body is refused. Scoped per user.
CREATE TABLE landing_phase1_idempotency (
  user_id       INTEGER NOT NULL,
  key           TEXT NOT NULL,
  request_hash  TEXT NOT NULL,
  status        INTEGER NOT NULL,
  response      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) WITHOUT ROWID;

-- Per-account balances, kept by triggers as entries are made, decided or learn their account, so the
-- balances page reads an index instead of grouping the whole ledger. Amounts of posted entries only;
-- refunds waiting for approval apart.
CREATE TABLE landing_phase1_ledger_accounts (
  account_id      TEXT PRIMARY KEY,
  balance         REAL NOT NULL DEFAULT 0,
  charged         REAL NOT NULL DEFAULT 0,
  refunded        REAL NOT NULL DEFAULT 0,
  pending_refunds REAL NOT NULL DEFAULT 0,
  entries         INTEGER NOT NULL DEFAULT 0,
  last_entry_at   TEXT
) WITHOUT ROWID;
CREATE INDEX landing_phase1_ledger_accounts_balance ON landing_phase1_ledger_accounts (balance, account_id);
CREATE INDEX landing_phase1_ledger_accounts_last ON landing_phase1_ledger_accounts (last_entry_at, account_id);
CREATE INDEX landing_phase1_ledger_accounts_entries ON landing_phase1_ledger_accounts (entries, account_id);

CREATE TRIGGER landing_phase1_ledger_accounts_ins AFTER INSERT ON landing_phase1_ledger
WHEN NEW.account_id IS NOT NULL
BEGIN
  INSERT INTO landing_phase1_ledger_accounts (account_id, balance, charged, refunded, pending_refunds, entries, last_entry_at)
  VALUES (NEW.account_id,
    CASE WHEN NEW.status = 'posted' THEN NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'posted' AND NEW.amount < 0 THEN -NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'posted' AND NEW.amount > 0 THEN NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'pending_approval' AND NEW.amount > 0 THEN NEW.amount ELSE 0 END,
    1, NEW.created_at)
  ON CONFLICT (account_id) DO UPDATE SET balance = balance + excluded.balance, charged = charged + excluded.charged,
    refunded = refunded + excluded.refunded, pending_refunds = pending_refunds + excluded.pending_refunds,
    entries = entries + 1, last_entry_at = max(coalesce(last_entry_at, ''), excluded.last_entry_at);
END;

-- a decision or a learned account: the old contribution out, the new one in
CREATE TRIGGER landing_phase1_ledger_accounts_upd AFTER UPDATE ON landing_phase1_ledger
WHEN NEW.status IS NOT OLD.status OR NEW.account_id IS NOT OLD.account_id
BEGIN
  UPDATE landing_phase1_ledger_accounts SET
    balance = balance - CASE WHEN OLD.status = 'posted' THEN OLD.amount ELSE 0 END,
    charged = charged - CASE WHEN OLD.status = 'posted' AND OLD.amount < 0 THEN -OLD.amount ELSE 0 END,
    refunded = refunded - CASE WHEN OLD.status = 'posted' AND OLD.amount > 0 THEN OLD.amount ELSE 0 END,
    pending_refunds = pending_refunds - CASE WHEN OLD.status = 'pending_approval' AND OLD.amount > 0 THEN OLD.amount ELSE 0 END,
    entries = entries - 1
  WHERE account_id = OLD.account_id;
  INSERT INTO landing_phase1_ledger_accounts (account_id, balance, charged, refunded, pending_refunds, entries, last_entry_at)
  SELECT NEW.account_id,
    CASE WHEN NEW.status = 'posted' THEN NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'posted' AND NEW.amount < 0 THEN -NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'posted' AND NEW.amount > 0 THEN NEW.amount ELSE 0 END,
    CASE WHEN NEW.status = 'pending_approval' AND NEW.amount > 0 THEN NEW.amount ELSE 0 END,
    1, NEW.created_at
  WHERE NEW.account_id IS NOT NULL
  ON CONFLICT (account_id) DO UPDATE SET balance = balance + excluded.balance, charged = charged + excluded.charged,
    refunded = refunded + excluded.refunded, pending_refunds = pending_refunds + excluded.pending_refunds,
    entries = entries + 1, last_entry_at = max(coalesce(last_entry_at, ''), excluded.last_entry_at);
END;

INSERT INTO landing_phase1_ledger_accounts (account_id, balance, charged, refunded, pending_refunds, entries, last_entry_at)
SELECT account_id,
  coalesce(sum(CASE WHEN status = 'posted' THEN amount END), 0),
  coalesce(sum(CASE WHEN status = 'posted' AND amount < 0 THEN -amount END), 0),
  coalesce(sum(CASE WHEN status = 'posted' AND amount > 0 THEN amount END), 0),
  coalesce(sum(CASE WHEN status = 'pending_approval' AND amount > 0 THEN amount END), 0),
  count(*), max(created_at)
FROM landing_phase1_ledger WHERE account_id IS NOT NULL GROUP BY account_id;
