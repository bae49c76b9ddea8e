-- Plain SQL views for Metabase (SPEC.md §3: the metrics board moves to Metabase pointed at the SQLite file).
-- They read only what the tables already hold — hashed ids are pseudonymised at ingest, a phone number or
-- WeChat id is already an HMAC stand-in — and none of them carries an event's properties JSON: the funnel
-- counts ids, the violations view names the field and rule, never the value.
-- Every filter a chart puts on `day` (or `event`, `rule`) reaches an index: the completeness view reads the
-- counters by their (day, event) key, SQLite pushes a `day` condition on the grouped funnel down onto
-- landing_phase1_events_day, and the violations view joins through the index below.

-- one event's violations, found from the event (the primary key starts with rule): lets a day's violations
-- be read from the day index of the events, and each event's rows without a scan
CREATE INDEX landing_phase1_event_violations_event ON landing_phase1_event_violations (event_pk);

-- per UTC+8 day × event: the live completeness counters, as GET /api/completeness-events answers them
CREATE VIEW landing_phase1_completeness_daily AS
SELECT c.day,
       c.event,
       c.total,
       c.valid,
       c.with_violations,
       c.duplicates,
       c.unplanned,
       (CASE WHEN c.total = 0 THEN 100.0 ELSE 100.0 * c.valid / c.total END) AS valid_pct,
       p.target_valid_pct AS target_pct,
       (p.name IS NOT NULL AND c.total > 0 AND 100.0 * c.valid / c.total < p.target_valid_pct) AS below_target
FROM landing_phase1_completeness_events c
LEFT JOIN landing_phase1_plan_events p ON p.name = c.event;

-- per UTC+8 day: the funnel landing_view → cta_click → license_apply → license_approved → task_start →
-- task_completed. Counts are stored events (a duplicate delivery is stored once), valid or not; *_users and
-- *_accounts count the distinct hashed ids the step's events carry (landing_view and cta_click carry
-- user_id; license_apply, license_approved and task_start carry account_id; task_completed carries neither,
-- so it has a count only). An event without the id adds to the count, not to the distinct ids.
CREATE VIEW landing_phase1_funnel_daily AS
SELECT day,
       sum(event = 'landing_view') AS landing_view,
       count(DISTINCT CASE WHEN event = 'landing_view' THEN json_extract(properties, '$.user_id') END)
         AS landing_view_users,
       sum(event = 'cta_click') AS cta_click,
       count(DISTINCT CASE WHEN event = 'cta_click' THEN json_extract(properties, '$.user_id') END)
         AS cta_click_users,
       sum(event = 'license_apply') AS license_apply,
       count(DISTINCT CASE WHEN event = 'license_apply' THEN json_extract(properties, '$.account_id') END)
         AS license_apply_accounts,
       sum(event = 'license_approved') AS license_approved,
       count(DISTINCT CASE WHEN event = 'license_approved' THEN json_extract(properties, '$.account_id') END)
         AS license_approved_accounts,
       sum(event = 'task_start') AS task_start,
       count(DISTINCT CASE WHEN event = 'task_start' THEN json_extract(properties, '$.account_id') END)
         AS task_start_accounts,
       sum(event = 'task_completed') AS task_completed
FROM landing_phase1_events
-- `+event`: the six steps are most events, so the event index would read most of the table; a chart's day
-- condition is pushed down into this query and must take the day index instead
WHERE +event IN ('landing_view', 'cta_click', 'license_apply', 'license_approved', 'task_start', 'task_completed')
GROUP BY day;

-- one row per violation (a broken field of a stored event), with the event it belongs to
CREATE VIEW landing_phase1_violations AS
SELECT e.day,
       e.occurred_at,
       e.event,
       e.event_id,
       e.id AS event_pk,
       e.source,
       v.field,
       v.rule
FROM landing_phase1_event_violations v
JOIN landing_phase1_events e ON e.id = v.event_pk;
