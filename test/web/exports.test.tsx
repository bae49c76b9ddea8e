import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { delay, HttpResponse, http } from 'msw';
import { signInAs } from '../../mocks/access.ts';
import { generateDb, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import type { Role } from '../../server/auth/permissions.ts';
import { writeKeySchema } from '../../server/write-keys/schemas.ts';
import { ACCESS } from '../../web/authProvider.ts';
import { EXPORT_CAP } from '../../web/layout/CsvExportButton.tsx';
import {
  BOM,
  cellText,
  collectPages,
  columnsOf,
  exportFileName,
  type Page,
  quoteField,
  toCsv,
} from '../../web/layout/csv.ts';
import { filterOf, recordRequests, renderApp } from './helpers.tsx';

/** a whole export of a few thousand rows through the mock API, under a loaded test run */
const LONG = { timeout: 20_000 };

// ---------------------------------------------------------------------------------------------- helpers

/** RFC 4180 back into records (the test's own reader, to check the writer's output) */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || record.length) throw new Error('the last record does not end with CRLF');
  return records;
}

/** the header and the rows of a CSV, each row as field → text */
function rowsOf(text: string): { header: string[]; rows: Array<Record<string, string>> } {
  const [header = [], ...body] = parseCsv(text);
  return {
    header,
    rows: body.map((cells) => {
      expect(cells).toHaveLength(header.length);
      return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
    }),
  };
}

interface Download {
  fileName: string;
  bytes: Uint8Array;
  /** the text as written, BOM included */
  text: string;
  type: string;
}

const readBlob = (blob: Blob) =>
  new Promise<ArrayBuffer>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as ArrayBuffer);
    reader.onerror = () => reject(reader.error);
    reader.readAsArrayBuffer(blob);
  });

/**
 * Catches what the export hands the browser: the Blob behind the object URL and the link's file name (jsdom has
 * no URL.createObjectURL and does not download).
 */
function captureDownloads() {
  const blobs: Blob[] = [];
  const names: string[] = [];
  URL.createObjectURL = vi.fn((blob: Blob) => {
    blobs.push(blob);
    return `blob:export-${blobs.length}`;
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    names.push(this.download);
  });
  return {
    count: () => blobs.length,
    async next(): Promise<Download> {
      await waitFor(() => expect(blobs.length).toBeGreaterThan(0), LONG);
      const blob = blobs.shift() as Blob;
      const bytes = new Uint8Array(await readBlob(blob));
      return {
        fileName: names.shift() ?? '',
        bytes,
        text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
        type: blob.type,
      };
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

/** every row of a list read straight from the mock API, 1000 at a time, as the signed-in role reads it */
async function readAll(resource: string, filter: Record<string, unknown>, sort: [string, string]) {
  const rows: Array<Record<string, unknown>> = [];
  let total = Number.POSITIVE_INFINITY;
  while (rows.length < total) {
    const params = new URLSearchParams({
      filter: JSON.stringify(filter),
      sort: JSON.stringify(sort),
      range: JSON.stringify([rows.length, rows.length + 999]),
    });
    const response = await fetch(`/api/${resource}?${params}`);
    expect(response.status).toBe(200);
    total = Number(response.headers.get('Content-Range')?.split('/')[1]);
    const page = (await response.json()) as Array<Record<string, unknown>>;
    if (page.length === 0) break;
    rows.push(...page);
  }
  return { rows, total };
}

const listPath = (resource: string, filter: Record<string, unknown>) =>
  `#/${resource}?${new URLSearchParams({ filter: JSON.stringify(filter) })}`;

/** the list's page has loaded (its export button is there and enabled) */
async function exportButton() {
  const button = await screen.findByRole('button', { name: 'Export CSV' });
  await waitFor(() => expect(button).toBeEnabled());
  return button;
}

// ---------------------------------------------------------------------------------------------- the writer

describe('the CSV writer', () => {
  it('writes RFC 4180 with a BOM, CRLF line ends and a header row', () => {
    const text = toCsv([
      { id: 1, note: 'plain', other: 'a,b' },
      { id: 2, note: 'she said "hi"', other: 'two\nlines' },
      { id: 3, note: 'cr\r\nlf', other: '中文，逗号' },
    ]);
    expect(text.startsWith(BOM)).toBe(true);
    expect(text.slice(1)).toBe(
      'id,note,other\r\n' +
        '1,plain,"a,b"\r\n' +
        '2,"she said ""hi""","two\nlines"\r\n' +
        '3,"cr\r\nlf",中文，逗号\r\n',
    );
    expect(parseCsv(text.slice(1))).toEqual([
      ['id', 'note', 'other'],
      ['1', 'plain', 'a,b'],
      ['2', 'she said "hi"', 'two\nlines'],
      ['3', 'cr\r\nlf', '中文，逗号'],
    ]);
  });

  it('guards text that a spreadsheet would run as a formula, but keeps numbers as numbers', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(cellText(`${start}SUM(A1:A9)`)).toBe(`'${start}SUM(A1:A9)`);
    }
    expect(cellText('=HYPERLINK("http://x")')).toBe('\'=HYPERLINK("http://x")');
    expect(quoteField(cellText('=1+2,3'))).toBe(`"'=1+2,3"`);
    // a negative amount stays a number the spreadsheet can add up
    expect(cellText(-120)).toBe('-120');
    expect(cellText(-0.5)).toBe('-0.5');
    expect(cellText(0)).toBe('0');
    // text that only contains the characters later on is left alone
    expect(cellText('a-b=c')).toBe('a-b=c');
    const text = toCsv([{ amount: -50, reason: '-50 refund', formula: '@cmd' }]);
    expect(parseCsv(text.slice(1))[1]).toEqual(['-50', "'-50 refund", "'@cmd"]);
  });

  it('writes nested values as JSON text and nothing for null and undefined', () => {
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
    expect(cellText(true)).toBe('true');
    const text = toCsv([
      { id: 1, tags: ['a', 'b'], props: { user_id: 'a3f1••••', n: 2 }, gone: null },
      { id: 2, extra: 'only here' },
    ]);
    const [header, first, second] = parseCsv(text.slice(1));
    expect(header).toEqual(['id', 'tags', 'props', 'gone', 'extra']);
    expect(first).toEqual(['1', '["a","b"]', '{"user_id":"a3f1••••","n":2}', '', '']);
    expect(second).toEqual(['2', '', '', '', 'only here']);
    expect(JSON.parse(first?.[2] ?? '')).toEqual({ user_id: 'a3f1••••', n: 2 });
  });

  it('leaves out the fields it is told to', () => {
    expect(columnsOf([{ id: 1, key: 'secret', label: 'x' }], ['key'])).toEqual(['id', 'label']);
  });

  it('names the file after the resource and the UTC+8 date and time', () => {
    expect(exportFileName('events', new Date('2026-11-24T16:30:05Z'))).toBe(
      'events-2026-11-25_00-30-05_UTC+8.csv',
    );
  });
});

describe('paging through a list', () => {
  const rows = (from: number, to: number) =>
    Array.from({ length: Math.max(0, to - from) }, (_, i) => ({ id: from + i }));

  it('reads page after page until the total, each id once', async () => {
    const pages: number[] = [];
    const progress: Array<[number, number]> = [];
    const result = await collectPages(
      async (page) => {
        pages.push(page);
        return { data: rows((page - 1) * 10, Math.min(page * 10, 25)), total: 25 };
      },
      { perPage: 10, cap: 100, onProgress: (f, t) => progress.push([f, t]) },
    );
    expect(pages).toEqual([1, 2, 3]);
    expect(progress).toEqual([
      [10, 25],
      [20, 25],
      [25, 25],
    ]);
    expect(result).toMatchObject({ kind: 'done', firstTotal: 25, lastTotal: 25, changed: false });
    expect(result.kind === 'done' && result.rows.map((r) => r.id)).toEqual(rows(0, 25).map((r) => r.id));
  });

  it('keeps a row that shifts onto the next page once, and says the list changed', async () => {
    // newest first: three rows arrive after page 1 is read, pushing page 1's last three onto page 2
    let newest = 100;
    const fetchPage = async (page: number): Promise<Page> => {
      if (page === 2) newest = 103;
      const all = Array.from({ length: newest }, (_, i) => ({ id: newest - i }));
      return { data: all.slice((page - 1) * 50, page * 50), total: newest };
    };
    const result = await collectPages(fetchPage, { perPage: 50, cap: 1000 });
    if (result.kind !== 'done') throw new Error('refused');
    expect(result).toMatchObject({ firstTotal: 100, lastTotal: 103, changed: true });
    const ids = result.rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // every row there was at the start, none twice; the newcomers arrived above what was read
    expect(ids.length).toBe(100);
    expect([...ids].sort((a, b) => Number(a) - Number(b))).toEqual(rows(1, 101).map((r) => r.id));
  });

  it('refuses above the cap instead of keeping the first rows', async () => {
    const fetchPage = vi.fn(async (): Promise<Page> => ({ data: rows(0, 10), total: 1001 }));
    expect(await collectPages(fetchPage, { perPage: 10, cap: 1000 })).toEqual({
      kind: 'too_many',
      total: 1001,
    });
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });
});

// ---------------------------------------------------------------------------------------------- the lists

describe('CSV export of a list', () => {
  it('exports every row of a filter matching more than 1000, as a direct paged read finds them', async () => {
    const filter = { event: 'landing_view' };
    signInAs('data_analyst');
    const direct = await readAll('events', filter, ['id', 'DESC']);
    expect(direct.total).toBeGreaterThan(1000);
    expect(direct.rows).toHaveLength(direct.total);

    const downloads = captureDownloads();
    const requests = recordRequests();
    renderApp(listPath('events', filter));
    await userEvent.setup().click(await exportButton());
    const file = await downloads.next();

    expect(Array.from(file.bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.text.startsWith(BOM)).toBe(true);
    expect(file.type).toBe('text/csv;charset=utf-8');
    expect(file.fileName).toMatch(/^events-\d{4}-\d{2}-\d{2}_\d{2}-\d{2}-\d{2}_UTC\+8\.csv$/);
    const { header, rows } = rowsOf(file.text.slice(1));
    expect(header).toEqual(expect.arrayContaining(['id', 'event', 'event_id', 'properties', 'violations']));
    expect(rows).toHaveLength(direct.total);
    const ids = rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(direct.total);
    expect(ids).toEqual(direct.rows.map((r) => String(r.id)));
    expect(rows.every((r) => r.event === 'landing_view')).toBe(true);
    // nested values are JSON text that reads back as the API's
    expect(JSON.parse(rows[0]?.properties ?? '')).toEqual(direct.rows[0]?.properties);

    // it paged through the API with the list's filter and sort, 500 at a time
    const pages = requests.filter(
      (url) => url.pathname === '/api/events' && JSON.parse(url.searchParams.get('range') ?? '[]')[1] > 100,
    );
    expect(pages).toHaveLength(Math.ceil(direct.total / 500));
    for (const [i, url] of pages.entries()) {
      expect(filterOf(url)).toEqual(filter);
      expect(JSON.parse(url.searchParams.get('sort') ?? '')).toEqual(['id', 'DESC']);
      expect(JSON.parse(url.searchParams.get('range') ?? '')).toEqual([i * 500, i * 500 + 499]);
    }
    expect(
      await screen.findByText(new RegExp(`Exported ${direct.total.toLocaleString()} rows`)),
    ).toBeVisible();
  }, 60_000);

  it('writes what the screen shows a role that reads ids masked, never the clear ones', async () => {
    const filter = { event: 'license_apply' };
    signInAs('data_analyst');
    const clear = await readAll('events', filter, ['id', 'DESC']);
    signInAs('ops');
    const masked = await readAll('events', filter, ['id', 'DESC']);
    const clearAccounts = clear.rows.map((r) => (r.properties as { account_id?: string }).account_id);
    expect(clearAccounts.filter(Boolean).length).toBeGreaterThan(0);

    const downloads = captureDownloads();
    renderApp(listPath('events', filter), { as: 'ops' });
    await userEvent.setup().click(await exportButton());
    const file = await downloads.next();
    const { rows } = rowsOf(file.text.slice(1));
    expect(rows).toHaveLength(masked.total);
    expect(rows.map((r) => JSON.parse(r.properties ?? ''))).toEqual(masked.rows.map((r) => r.properties));
    for (const row of rows) {
      const account = (JSON.parse(row.properties ?? '') as { account_id?: string }).account_id;
      if (account !== undefined) expect(account).toContain('•');
    }
    for (const account of clearAccounts) if (account) expect(file.text).not.toContain(account);
  }, 60_000);

  it('writes ledger accounts masked for ops, with the row numbers the API gives them', async () => {
    signInAs('data_analyst');
    const clear = await readAll('ledger-accounts', {}, ['balance', 'ASC']);
    expect(clear.total).toBeGreaterThan(0);

    const downloads = captureDownloads();
    renderApp('#/ledger-accounts', { as: 'ops' });
    await userEvent.setup().click(await exportButton());
    const file = await downloads.next();
    const { header, rows } = rowsOf(file.text.slice(1));
    expect(header).toEqual(expect.arrayContaining(['id', 'account_id', 'balance', 'charged', 'refunded']));
    expect(rows).toHaveLength(clear.total);
    for (const row of rows) {
      expect(row.account_id).toContain('•');
      expect(row.id).toMatch(/^row_\d+$/);
    }
    for (const account of clear.rows) expect(file.text).not.toContain(account.account_id as string);
    // a net charge stays a negative number, not a guarded text
    const balances = rows.map((r) => r.balance ?? '');
    expect(balances.some((b) => b.startsWith('-'))).toBe(true);
    for (const b of balances) expect(Number.isFinite(Number(b))).toBe(true);
  });

  it('refuses a filter matching more than the cap up front, pointing events to the day export', async () => {
    const day = '2026-11-24';
    const filter = { day_gte: day, day_lte: day };
    // a day of many events: the list's total is above the cap
    server.use(
      http.get('/api/events', ({ request }) => {
        const url = new URL(request.url);
        const [from] = JSON.parse(url.searchParams.get('range') ?? '[0,24]') as [number, number];
        return HttpResponse.json([], {
          headers: { 'Content-Range': `events ${from}-${from}/${EXPORT_CAP + 1}` },
        });
      }),
    );
    const downloads = captureDownloads();
    const requests = recordRequests();
    renderApp(listPath('events', filter));
    const button = await exportButton();
    const before = requests.length;
    await userEvent.setup().click(button);

    const refused = await screen.findByTestId('csv-export-refused');
    expect(refused).toHaveAttribute('data-total', String(EXPORT_CAP + 1));
    expect(refused).toHaveTextContent(
      `${(EXPORT_CAP + 1).toLocaleString()} rows match this filter, more than the ${EXPORT_CAP.toLocaleString()} one CSV export holds. Nothing was exported`,
    );
    expect(screen.getByRole('link', { name: `/api/exports/events?day=${day}` })).toHaveAttribute(
      'href',
      `/api/exports/events?day=${day}`,
    );
    // nothing read, nothing downloaded
    expect(requests.slice(before).filter((url) => url.pathname === '/api/events')).toHaveLength(0);
    expect(downloads.count()).toBe(0);
  });

  it('exports what the pages returned when rows arrive meanwhile, each once, and says so', async () => {
    const db: MockDb = generateDb(Date.now(), 7);
    server.use(...createHandlers(db));
    const filter = { has_violation: false };
    signInAs('data_analyst');
    const before = await readAll('events', filter, ['id', 'DESC']);
    expect(before.total).toBeGreaterThan(1000);
    const arrived: number[] = [];
    // while the export reads its second page, three new events are stored: page 2 shifts by three
    server.use(
      http.get('/api/events', ({ request }) => {
        const range = new URL(request.url).searchParams.get('range');
        if (range === '[500,999]' && arrived.length === 0) {
          for (let i = 0; i < 3; i++) {
            recordEvent(db, {
              event: 'landing_view',
              event_id: `late-${i}`,
              occurred_at: new Date().toISOString(),
              source: 'frontend-build',
              properties: {
                user_id: 'b'.repeat(32),
                session_id: 's-late',
                source_channel: 'search',
                ab_bucket: 'A',
              },
              violations: [],
            });
            arrived.push(db.events.at(-1)?.id as number);
          }
        }
        return undefined;
      }),
    );

    const downloads = captureDownloads();
    renderApp(listPath('events', filter));
    await userEvent.setup().click(await exportButton());
    const file = await downloads.next();
    expect(arrived).toHaveLength(3);
    const ids = rowsOf(file.text.slice(1)).rows.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    // the rows there were at the start, none twice; the newcomers came in above the pages read
    expect(ids).toEqual(before.rows.map((r) => String(r.id)));
    expect(
      await screen.findByText(
        new RegExp(
          `The list changed while it was read \\(${before.total.toLocaleString()} rows matched at the start, ${(before.total + 3).toLocaleString()} at the end\\)`,
        ),
      ),
    ).toBeVisible();
  }, 60_000);

  it('shows how far it is and can be cancelled, downloading nothing', async () => {
    const filter = { event: 'landing_view' };
    let gate: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      gate = resolve;
    });
    server.use(
      http.get('/api/events', async ({ request }) => {
        // the export's second page hangs until the test lets it go
        if (new URL(request.url).searchParams.get('range') === '[500,999]') {
          await held;
          await delay(10);
        }
        return undefined;
      }),
    );
    const downloads = captureDownloads();
    const user = userEvent.setup();
    renderApp(listPath('events', filter));
    await user.click(await exportButton());
    const progress = await screen.findByTestId('csv-export-progress');
    await waitFor(() => expect(progress).toHaveAttribute('data-fetched', '500'));
    const total = Number(progress.dataset.total);
    expect(total).toBeGreaterThan(1000);
    expect(progress).toHaveTextContent(`500 of ${total.toLocaleString()} rows read`);

    await user.click(screen.getByTestId('csv-export-cancel'));
    expect(await screen.findByText('Export cancelled: nothing was downloaded')).toBeVisible();
    gate();
    await delay(50);
    expect(downloads.count()).toBe(0);
    expect(screen.queryByTestId('csv-export-progress')).toBeNull();
  });

  /** every list that holds data, with a role that reads it */
  const LISTS: Array<[resource: string, role: Role]> = [
    ['events', 'engineer'],
    ['licenses', 'ops'],
    ['alerts', 'compliance_reviewer'],
    ['tasks', 'product_planner'],
    ['ledger', 'ops'],
    ['ledger-accounts', 'data_analyst'],
    ['tracking-plan', 'engineer'],
    ['enums', 'product_planner'],
    ['enum-proposals', 'data_analyst'],
    ['users', 'admin'],
    ['write-keys', 'admin'],
    ['service-tokens', 'admin'],
  ];

  it('gates every list on an `export` action that is the list permission', () => {
    for (const [resource] of LISTS) expect(ACCESS[resource]?.export).toBe(ACCESS[resource]?.list);
  });

  it.each(LISTS)(
    'exports the %s list (as %s): every row of its filter, as the API counts them',
    async (resource, role) => {
      const downloads = captureDownloads();
      const requests = recordRequests();
      renderApp(`#/${resource}`, { as: role });
      await userEvent.setup().click(await exportButton());
      const file = await downloads.next();
      const { header, rows } = rowsOf(file.text.slice(1));
      const last = requests.filter((url) => url.pathname === `/api/${resource}`).at(-1) as URL;
      const sort = JSON.parse(last.searchParams.get('sort') ?? '') as [string, string];
      const direct = await readAll(resource, filterOf(last) as Record<string, unknown>, sort);
      expect(rows.map((r) => r.id)).toEqual(direct.rows.map((r) => String(r.id)));
      expect(rows.length).toBe(direct.total);
      if (resource === 'write-keys' || resource === 'service-tokens') {
        // the key itself is never listed: the columns are the list record's, the prefix the only part shown
        expect(header.sort()).toEqual(Object.keys(writeKeySchema.shape).sort());
        for (const row of rows) expect(row.key_prefix?.length).toBeLessThanOrEqual(8);
      }
    },
    60_000,
  );

  it('shows no export to a role without the export permission', async () => {
    const allowed = ACCESS.tasks?.export;
    try {
      // as if exporting tasks took a permission of ops only: the analyst still reads the list
      (ACCESS.tasks as Record<string, string>).export = 'ledger:write';
      const { unmount } = renderApp('#/tasks', { as: 'data_analyst' });
      await screen.findAllByTestId(/^task-row-/);
      // the toolbar's other buttons are there: the list has been drawn with the user's permissions
      expect(await screen.findByRole('button', { name: 'Add filter' })).toBeInTheDocument();
      expect(screen.queryByRole('button', { name: 'Export CSV' })).toBeNull();
      expect(screen.queryByTestId('csv-export')).toBeNull();
      unmount();

      // ops have it: they see the button
      renderApp('#/tasks', { as: 'ops' });
      expect(await screen.findByRole('button', { name: 'Export CSV' })).toBeInTheDocument();
    } finally {
      (ACCESS.tasks as Record<string, string>).export = allowed as string;
    }
  });
});
