// `npm run export -- --day YYYY-MM-DD --out DIR [--db PATH]`: see server/exports/cli.ts
import { runExportCli } from '../server/exports/cli.ts';

process.exitCode = await runExportCli(process.argv.slice(2));
