import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HttpResponse, http } from 'msw';
import { emptyDb, type IngestedEvent, type MockDb, recordEvent } from '../../mocks/data.ts';
import { createHandlers } from '../../mocks/handlers.ts';
import { server } from '../../mocks/node.ts';
import { COMPLETENESS_STREAM_URL } from '../../web/completeness/useCompletenessStream.ts';
import { FakeEventSource } from './fakeEventSource.ts';
import { at, filterOf, recordRequests, renderApp } from './helpers.tsx';

// half past midnight in Shanghai, still the 24th in UTC: the dashboard must count days in UTC+8
const NOW = Date.parse('2026-11-25T00:30:00+08:00');
const today = '2026-11-25';
const yesterday = '2026-11-24';
const lastWeek = '2026-11-15';

const landingView = (eventId: string, occurredAt: string, violations: IngestedEvent['violations'] = []) => ({
  event: 'landing_view',
  event_id: eventId,
  occurred_at: occurredAt,
  source: 'web-sdk',
  properties: { user_id: 'a'.repeat(32), session_id: 's1', source_channel: 'search', ab_bucket: 'A' },
  violations,
});

/** landing_view: 3 valid yesterday, 1 with PII today (flagged); task_failed: 2 valid today; 5 outside the range */
function fixture(): MockDb {
  const db = emptyDb();
  for (const n of [1, 2, 3]) recordEvent(db, landingView(`lv-${n}`, at(yesterday)));
  recordEvent(db, landingView('lv-pii', at(today, '00:10:00'), [{ field: 'user_id', rule: 'pii' }]));
  for (const n of [1, 2]) {
    recordEvent(db, {
      event: 'task_failed',
      event_id: `tf-${n}`,
      occurred_at: at(today, '00:10:00'),
      source: 'platform',
      properties: {
        task_id: `t${n}`,
        template_id: 'tpl',
        failure_code: 'infra_error',
        sub_status: 'timeout',
        policy_tag: 'A1',
        action_required: 'resubmit_material',
      },
      violations: [],
    });
  }
  for (const n of [1, 2, 3, 4, 5]) recordEvent(db, landingView(`old-${n}`, at(lastWeek)));
  return db;
}

const cell = (event: string, column: string) =>
  within(screen.getByTestId(`completeness-row-${event}`)).getByTestId(column);

describe('completeness dashboard', () => {
  let db: MockDb;
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
    db = fixture();
    server.use(...createHandlers(db));
  });
  afterEach(() => vi.useRealTimers());

  it('shows the per-event figures of the last 7 UTC+8 days from the API', async () => {
    const requests = recordRequests();
    renderApp('#/');
    await screen.findByTestId('completeness-row-landing_view');

    expect(cell('landing_view', 'total')).toHaveTextContent('4');
    expect(cell('landing_view', 'valid')).toHaveTextContent('3');
    expect(cell('landing_view', 'with_violations')).toHaveTextContent('1');
    expect(cell('landing_view', 'valid_pct')).toHaveTextContent('75.00%');
    expect(cell('task_failed', 'total')).toHaveTextContent('2');
    expect(cell('task_failed', 'valid_pct')).toHaveTextContent('100.00%');
    expect(screen.getByTestId('summary-total')).toHaveTextContent('6');
    expect(screen.getByTestId('summary-with_violations')).toHaveTextContent('1');
    expect(screen.getByTestId('summary-valid_pct')).toHaveTextContent('83.33%');

    const asked = requests.find((url) => url.pathname === '/api/completeness-events');
    expect(asked && filterOf(asked)).toEqual({ day_gte: '2026-11-19', day_lte: '2026-11-25' });
    // only today's landing_view is below its 99.5% target
    expect(screen.getByTestId(`flagged-row-${today}-landing_view`)).toBeInTheDocument();
    expect(screen.queryByTestId(`flagged-row-${yesterday}-landing_view`)).not.toBeInTheDocument();
  });

  it('changes the numbers on screen when the stream pushes new counters', async () => {
    renderApp('#/');
    await screen.findByTestId('completeness-row-landing_view');
    const stream = FakeEventSource.latest(COMPLETENESS_STREAM_URL);
    expect(stream.withCredentials).toBe(true);
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'connecting');

    act(() => stream.open());
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'live');

    const push = recordEvent(
      db,
      landingView('lv-bad', at(today, '00:10:00'), [{ field: 'ab_bucket', rule: 'out_of_enum' }]),
    );
    act(() => stream.emit('completeness', push));

    await waitFor(() => expect(cell('landing_view', 'with_violations')).toHaveTextContent('2'));
    expect(cell('landing_view', 'total')).toHaveTextContent('5');
    expect(cell('landing_view', 'valid_pct')).toHaveTextContent('60.00%');
    expect(screen.getByTestId('summary-total')).toHaveTextContent('7');

    // a day outside the chosen range changes nothing on screen
    act(() => stream.emit('completeness', recordEvent(db, landingView('lv-old', at(lastWeek)))));
    expect(cell('landing_view', 'total')).toHaveTextContent('5');

    act(() => stream.drop());
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'reconnecting');
  });

  it('reads the figures again when the stream reopens, since changes made meanwhile were pushed to no one', async () => {
    renderApp('#/');
    await screen.findByTestId('completeness-row-task_failed');
    const stream = FakeEventSource.latest(COMPLETENESS_STREAM_URL);
    act(() => stream.open());
    act(() => stream.drop());

    recordEvent(
      db,
      landingView('lv-unseen', at(today, '00:10:00'), [{ field: 'session_id', rule: 'missing' }]),
    );
    act(() => stream.open());

    await waitFor(() => expect(cell('landing_view', 'with_violations')).toHaveTextContent('2'));
    expect(screen.getByTestId('live-status')).toHaveAttribute('data-status', 'live');
  });

  it('opens the offending events of a flagged day × event when its row is clicked', async () => {
    const requests = recordRequests();
    renderApp('#/');
    await userEvent.click(await screen.findByTestId(`flagged-row-${today}-landing_view`));

    expect(await screen.findByText('lv-pii')).toBeInTheDocument();
    const expected = { event: 'landing_view', day_gte: today, day_lte: today, has_violation: true };
    const [, query = ''] = window.location.hash.split('?');
    expect(JSON.parse(new URLSearchParams(query).get('filter') ?? '{}')).toEqual(expected);
    const listRequest = requests.find((url) => url.pathname === '/api/events');
    expect(listRequest && filterOf(listRequest)).toEqual(expected);
    expect(screen.queryByText('lv-1')).not.toBeInTheDocument();
  });

  it('warns instead of showing partial figures when the range holds more rows than one page', async () => {
    // the API reports more matching rows than it sent: what a page cap would do to a very long range
    server.use(
      http.get('/api/completeness', () =>
        HttpResponse.json([], { headers: { 'Content-Range': 'completeness 0-0/20000' } }),
      ),
    );
    renderApp('#/');
    expect(await screen.findByText(/more figures than can be shown at once/)).toBeInTheDocument();
  });
});
