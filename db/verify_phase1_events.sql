-- verify_phase1_events.sql — completeness and enum range of policy_tag, action_required and escalation_level
-- (the seed's artifacts/2025-09-21/verify_phase1_events.sql, over the console's database).
--
--   sqlite3 data/console.db < db/verify_phase1_events.sql
--
-- One row per event × field, over every stored event (duplicates are stored once and counted once):
--   total        events of that name that carry the field in the tracking plan
--   missing      required field absent, null or blank
--   wrong_type   present but not a string
--   out_of_enum  a string that is not a value of the enum valid at the event's occurred_at
--                (valid_from <= occurred_at < deprecated_at); PII stand-ins land here too
--   cross_field  escalation_level below the minimum its policy_tag requires (D3 → compliance_committee)
--   complete_pct share present; valid_pct share breaking no rule (2 decimals)
-- The console's live checks (GET /api/completeness, summed over days) report exactly these figures.

.headers on
.mode column

WITH fields AS (
  SELECT e.id, e.event, e.occurred_at, e.properties, f.name AS field, f.enum_name, f.required,
         json_type(e.properties, '$.' || f.name) AS jtype,
         json_extract(e.properties, '$.' || f.name) AS value
  FROM landing_phase1_events e
  JOIN landing_phase1_plan_fields f ON f.event_name = e.event
  WHERE f.name IN ('policy_tag', 'action_required', 'escalation_level')
),
classified AS (
  SELECT event, field,
    CASE
      -- blank as JavaScript's String.prototype.trim sees it
      WHEN jtype IS NULL OR jtype = 'null' OR (jtype = 'text' AND trim(value, ' ' || char(9, 10, 11, 12, 13, 160,
        5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8232, 8233, 8239, 8287, 12288, 65279)) = '')
        THEN CASE WHEN required = 1 THEN 'missing' ELSE 'ok' END
      WHEN jtype <> 'text' THEN 'wrong_type'
      WHEN NOT EXISTS (
        SELECT 1 FROM landing_phase1_enum_values v
        WHERE v.enum_name = fields.enum_name AND v.code = fields.value
          AND v.valid_from <= fields.occurred_at AND (v.deprecated_at IS NULL OR fields.occurred_at < v.deprecated_at)
      ) THEN 'out_of_enum'
      WHEN field = 'escalation_level' AND EXISTS (
        SELECT 1
        FROM landing_phase1_enum_values tag
        JOIN landing_phase1_enum_values minimum
          ON minimum.enum_name = 'escalation_level' AND minimum.code = tag.min_escalation_level
        JOIN landing_phase1_enum_values actual
          ON actual.enum_name = 'escalation_level' AND actual.code = fields.value
        WHERE tag.enum_name = 'policy_tag'
          AND json_type(fields.properties, '$.policy_tag') = 'text'
          AND tag.code = json_extract(fields.properties, '$.policy_tag')
          AND tag.valid_from <= fields.occurred_at
          AND (tag.deprecated_at IS NULL OR fields.occurred_at < tag.deprecated_at)
          AND actual.sort_order < minimum.sort_order
      ) THEN 'cross_field'
      ELSE 'ok'
    END AS status
  FROM fields
)
SELECT event, field,
       count(*) AS total,
       sum(status = 'missing') AS missing,
       sum(status = 'wrong_type') AS wrong_type,
       sum(status = 'out_of_enum') AS out_of_enum,
       sum(status = 'cross_field') AS cross_field,
       round(100.0 * (count(*) - sum(status = 'missing')) / count(*), 2) AS complete_pct,
       round(100.0 * sum(status = 'ok') / count(*), 2) AS valid_pct
FROM classified
GROUP BY event, field
ORDER BY event, field;
