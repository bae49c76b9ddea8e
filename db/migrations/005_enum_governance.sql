-- Enum governance: every change to an enum is a proposal, applied only when approved by someone else with
-- the required role(s); each applied change writes a new version of the enum's whole value list.

CREATE TABLE landing_phase1_enum_proposals (
  id              INTEGER PRIMARY KEY,
  enum_name       TEXT NOT NULL REFERENCES landing_phase1_enums (name),
  action          TEXT NOT NULL CHECK (action IN ('add', 'relabel', 'update_mapping', 'deprecate', 'reactivate')),
  code            TEXT NOT NULL CHECK (length(code) > 0),
  changes         TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
  rationale       TEXT NOT NULL CHECK (length(rationale) > 0),
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
  -- optimistic concurrency: every approval or decision bumps it
  version         INTEGER NOT NULL DEFAULT 1,
  proposed_by     TEXT NOT NULL,
  proposed_by_id  INTEGER,
  proposed_at     TEXT NOT NULL,
  -- [{username, user_id, role, at}]
  approvals       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(approvals)),
  decided_at      TEXT,
  rejected_by     TEXT,
  reject_reason   TEXT,
  applied_version INTEGER,
  CHECK ((status = 'rejected') = (reject_reason IS NOT NULL))
);
CREATE INDEX landing_phase1_enum_proposals_status ON landing_phase1_enum_proposals (status, enum_name);
-- at most one pending proposal per enum value
CREATE UNIQUE INDEX landing_phase1_enum_proposals_pending ON landing_phase1_enum_proposals (enum_name, code)
  WHERE status = 'pending';

CREATE TABLE landing_phase1_enum_versions (
  enum_name   TEXT NOT NULL REFERENCES landing_phase1_enums (name),
  version     INTEGER NOT NULL CHECK (version >= 1),
  at          TEXT NOT NULL,
  by          TEXT NOT NULL,
  proposal_id INTEGER REFERENCES landing_phase1_enum_proposals (id),
  values_json TEXT NOT NULL CHECK (json_valid(values_json)),
  PRIMARY KEY (enum_name, version)
) WITHOUT ROWID;

CREATE TRIGGER landing_phase1_enum_versions_no_update BEFORE UPDATE ON landing_phase1_enum_versions
BEGIN SELECT RAISE(ABORT, 'landing_phase1_enum_versions is append-only'); END;
CREATE TRIGGER landing_phase1_enum_versions_no_delete BEFORE DELETE ON landing_phase1_enum_versions
BEGIN SELECT RAISE(ABORT, 'landing_phase1_enum_versions is append-only'); END;

-- version 1 of every enum already seeded: its values as seeded (a new database gets it from seedPlan)
INSERT INTO landing_phase1_enum_versions (enum_name, version, at, by, proposal_id, values_json)
SELECT enum_name, 1, '1970-01-01T00:00:00.000Z', 'seed', NULL, json_group_array(json(v))
FROM (
  SELECT enum_name, json_object(
      'code', code, 'label_en', label_en, 'label_zh', label_zh, 'description', description,
      'status', status, 'valid_from', valid_from, 'deprecated_at', deprecated_at, 'sort_order', sort_order,
      'policy_group', policy_group, 'default_risk_level', default_risk_level,
      'default_action_required', default_action_required, 'min_escalation_level', min_escalation_level) AS v
  FROM landing_phase1_enum_values ORDER BY enum_name, sort_order, code
)
GROUP BY enum_name;
