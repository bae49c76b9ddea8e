import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { ConfigError, loadConfig } from '../config.ts';
import { EXPORT_PART_FILE, eventExport, exportPath } from './events.ts';
import { exportDaySchema } from './schemas.ts';

/**
 * `npm run export -- --day YYYY-MM-DD --out DIR [--db PATH]`: writes DIR/landing_phase1/dt=DAY/part-00000.ndjson,
 * the same bytes GET /api/exports/events?day=DAY sends a reader who sees everything in clear. It runs as an
 * operator on the machine (who can read the SQLite file anyway): no sign-in, no masking, no audit row, and
 * it opens the database read-only, so it never changes a file the server is using.
 */

export const EXPORT_USAGE = 'usage: npm run export -- --day YYYY-MM-DD --out DIR [--db PATH]';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** a bad argument: exit code 2 and a message naming it */
class UsageError extends Error {}

/** runs the export; answers the process exit code (0 done, 2 bad arguments, 1 the export failed) */
export async function runExportCli(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
  io: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l) },
): Promise<number> {
  let args: { day: string; out: string; db: string } | undefined;
  try {
    args = parse(argv, env);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`export: ${err.message}`);
    io.err(EXPORT_USAGE);
    return 2;
  }
  if (args === undefined) {
    io.out(EXPORT_USAGE);
    return 0;
  }
  const target = join(resolve(args.out), exportPath(args.day));
  // written beside the target under a hidden name, then renamed: a data-lake reader never sees half a file
  const partial = join(dirname(target), `.${EXPORT_PART_FILE}.partial`);
  let db: Database.Database | undefined;
  try {
    db = new Database(args.db, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    mkdirSync(dirname(target), { recursive: true });
    const pages = eventExport(db, args.day);
    let rows = 0;
    await pipeline(
      Readable.from(
        (function* () {
          for (const p of pages) {
            rows += p.rows;
            yield p.text;
          }
        })(),
      ),
      createWriteStream(partial),
    );
    renameSync(partial, target);
    io.out(`wrote ${rows} events of ${args.day} to ${target}`);
    return 0;
  } catch (err) {
    rmSync(partial, { force: true });
    io.err(`export: failed: ${(err as Error).message}`);
    return 1;
  } finally {
    db?.close();
  }
}

function parse(
  argv: string[],
  env: Record<string, string | undefined>,
): { day: string; out: string; db: string } | undefined {
  let values: { day?: string; out?: string; db?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        day: { type: 'string' },
        out: { type: 'string' },
        db: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (values.help) return undefined;
  if (values.day === undefined) throw new UsageError('--day is required (a UTC+8 date YYYY-MM-DD)');
  const day = exportDaySchema.safeParse(values.day);
  if (!day.success)
    throw new UsageError(`--day ${JSON.stringify(values.day)} ${day.error.issues[0]?.message}`);
  if (values.out === undefined || values.out.trim() === '')
    throw new UsageError('--out is required (the data-lake root directory to write into)');
  // the server's own database unless --db says otherwise (DATABASE_PATH, as server/config.ts reads it)
  let db = values.db;
  let dbFrom = '--db';
  if (db === undefined) {
    try {
      db = loadConfig(env).databasePath;
    } catch (err) {
      if (err instanceof ConfigError) throw new UsageError(`${err.message}\n(or pass --db PATH)`);
      throw err;
    }
    dbFrom = 'DATABASE_PATH';
  }
  if (db.trim() === '') throw new UsageError('--db must be a path to the console database');
  if (!existsSync(db)) throw new UsageError(`${dbFrom}: no database file at ${db}`);
  return { day: day.data, out: values.out, db };
}
