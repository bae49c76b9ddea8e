import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DEFAULT_VALID_TARGET_PCT, ENUMS, TRACKING_PLAN } from './plan.ts';

export type DB = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** the date every seeded enum value is valid from: before any event the console can hold */
export const SEED_VALID_FROM = '1970-01-01T00:00:00.000Z';

/**
 * Opens (creating if needed) the console database, sets the pragmas on every open — better-sqlite3 falls
 * back to synchronous=NORMAL when reopening a WAL database, so FULL is set explicitly each time — applies
 * pending migrations and seeds the tracking plan and enums when the database is new.
 */
export function openDatabase(path: string): DB {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // REPLACE deletes the row it overwrites; with recursive triggers that delete fires the append-only triggers
  db.pragma('recursive_triggers = ON');
  migrate(db);
  seedPlan(db);
  return db;
}

export function migrate(db: DB): string[] {
  db.exec(`CREATE TABLE IF NOT EXISTS landing_phase1_migrations (
    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
  const applied = new Set(
    db
      .prepare('SELECT version FROM landing_phase1_migrations')
      .all()
      .map((r) => (r as { version: number }).version),
  );
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const ran: string[] = [];
  for (const file of files) {
    const version = Number.parseInt(file, 10);
    if (applied.has(version)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO landing_phase1_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
        version,
        file,
        new Date().toISOString(),
      );
    })();
    ran.push(file);
  }
  return ran;
}

/**
 * Seeds the plan and enums from db/plan.ts. Enums are governed data once seeded (changed only through the
 * console), so existing rows are never overwritten; events, fields or enums new in this version are added.
 */
export function seedPlan(db: DB): void {
  const insertEnum = db.prepare(
    `INSERT OR IGNORE INTO landing_phase1_enums (name, owner, description_en, description_zh, console_defined)
     VALUES (@name, @owner, @description_en, @description_zh, @console_defined)`,
  );
  const hasValues = db.prepare('SELECT 1 FROM landing_phase1_enum_values WHERE enum_name = ? LIMIT 1');
  const insertValue = db.prepare(
    `INSERT OR IGNORE INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, description, status,
       valid_from, sort_order, policy_group, default_risk_level, default_action_required, min_escalation_level)
     VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)`,
  );
  // version 1 of an enum's governed history: its values as seeded (migration 005 writes it for databases
  // seeded before it; a database not yet at 005 has no versions table)
  const versioned = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'landing_phase1_enum_versions'")
    .get();
  const insertFirstVersion = versioned
    ? db.prepare(
        `INSERT INTO landing_phase1_enum_versions (enum_name, version, at, by, proposal_id, values_json)
     SELECT @name, 1, @at, 'seed', NULL, coalesce((SELECT json_group_array(json(v)) FROM (
       SELECT json_object('code', code, 'label_en', label_en, 'label_zh', label_zh, 'description', description,
         'status', status, 'valid_from', valid_from, 'deprecated_at', deprecated_at, 'sort_order', sort_order,
         'policy_group', policy_group, 'default_risk_level', default_risk_level,
         'default_action_required', default_action_required, 'min_escalation_level', min_escalation_level) AS v
       FROM landing_phase1_enum_values WHERE enum_name = @name ORDER BY sort_order, code)), '[]')
     WHERE NOT EXISTS (SELECT 1 FROM landing_phase1_enum_versions WHERE enum_name = @name)`,
      )
    : undefined;
  const insertEvent = db.prepare(
    `INSERT OR IGNORE INTO landing_phase1_plan_events (name, position, scene_en, scene_zh, trigger_en, trigger_zh,
       owners, target_valid_pct) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertField = db.prepare(
    `INSERT OR IGNORE INTO landing_phase1_plan_fields (event_name, name, position, type, enum_name, required,
       nullable_unless_field, nullable_unless_value, sensitive, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const e of ENUMS) {
      insertEnum.run({ ...e, console_defined: e.console_defined ? 1 : 0 });
      if (hasValues.get(e.name)) continue;
      e.values.forEach((val, i) => {
        insertValue.run(
          e.name,
          val.code,
          val.label_en,
          val.label_zh,
          val.description ?? null,
          SEED_VALID_FROM,
          i + 1,
          val.policy?.group ?? null,
          val.policy?.risk_level ?? null,
          val.policy?.action_required ?? null,
          val.policy?.min_escalation_level ?? null,
        );
      });
    }
    for (const e of ENUMS) insertFirstVersion?.run({ name: e.name, at: SEED_VALID_FROM });
    TRACKING_PLAN.forEach((ev, i) => {
      insertEvent.run(
        ev.name,
        i + 1,
        ev.scene_en,
        ev.scene_zh,
        ev.trigger_en,
        ev.trigger_zh,
        JSON.stringify(ev.owners),
        DEFAULT_VALID_TARGET_PCT,
      );
      ev.fields.forEach((f, j) => {
        insertField.run(
          ev.name,
          f.name,
          j + 1,
          f.type,
          f.enum ?? null,
          f.required === false ? 0 : 1,
          f.nullableUnless?.field ?? null,
          f.nullableUnless?.equals ?? null,
          f.sensitive ? 1 : 0,
          f.description,
        );
      });
    });
  })();
}
