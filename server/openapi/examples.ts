import type { z } from 'zod';
import type { eventEnvelopeSchema, ingestResponseSchema, segmentMessageSchema } from '../ingest/schemas.ts';
import type { estimateRequestSchema, estimateSchema } from '../ledger/schemas.ts';
import type { licenseCheckQuerySchema, licenseCheckSchema } from '../licenses/schemas.ts';
import type { Examples } from './model.ts';
import type { segmentResponseSchema } from './schemas.ts';

/**
 * Examples of the platform-facing calls, written as the platform would send them. Each is typed by its schema
 * here, and test/server/openapi.test.ts parses each with that schema and sends the requests to a real app.
 */

type In<T extends z.ZodType> = z.input<T>;
type Out<T extends z.ZodType> = z.output<T>;

const USER = 'a3f1c2d4e5f60718293a4b5c6d7e8f90';
const ACCOUNT = 'b7e2c9d0a1f2e3d4c5b6a7980123456789abcdef';

const landingView = {
  event: 'landing_view',
  event_id: 'evt_01JD8Y4T2K9V3M6Q',
  occurred_at: '2026-11-25T10:00:00+08:00',
  properties: { user_id: USER, session_id: 's_7f3a9c', source_channel: 'search', ab_bucket: 'A' },
} satisfies In<typeof eventEnvelopeSchema>;
const ctaClick = {
  event: 'cta_click',
  event_id: 'evt_01JD8Y5B7N2R8W4X',
  occurred_at: '2026-11-25T10:00:12+08:00',
  properties: { cta_id: 'replicate_now', user_id: USER, template_id: 'tpl_001' },
} satisfies In<typeof eventEnvelopeSchema>;
/** a bucket outside the ab_bucket enum: stored all the same, with its violation */
const badBucket = {
  event: 'landing_view',
  event_id: 'evt_01JD8Y6C1P5S2Z7Y',
  occurred_at: '2026-11-25T10:01:00+08:00',
  properties: { user_id: USER, session_id: 's_7f3a9c', source_channel: 'search', ab_bucket: 'C' },
} satisfies In<typeof eventEnvelopeSchema>;

export const ingestExamples = {
  request: {
    one: { summary: 'One event', value: landingView },
    batch: {
      summary: 'A batch (up to 1000 events, 1 MB)',
      description: 'A batch is validated whole first: one malformed envelope refuses it all (400).',
      value: [ctaClick, badBucket],
    },
  } satisfies Examples,
  response: {
    one: {
      summary: 'The event stored',
      value: {
        accepted: 1,
        duplicates: 0,
        results: [{ event_id: landingView.event_id, status: 'stored', violations: [] }],
      } satisfies Out<typeof ingestResponseSchema>,
    },
    batch: {
      summary: 'The batch stored, one event with a violation',
      value: {
        accepted: 2,
        duplicates: 0,
        results: [
          { event_id: ctaClick.event_id, status: 'stored', violations: [] },
          {
            event_id: badBucket.event_id,
            status: 'stored',
            violations: [{ field: 'ab_bucket', rule: 'out_of_enum' }],
          },
        ],
      } satisfies Out<typeof ingestResponseSchema>,
    },
    duplicate: {
      summary: 'A repeated event_id: acknowledged, stored once',
      value: {
        accepted: 0,
        duplicates: 1,
        results: [{ event_id: landingView.event_id, status: 'duplicate', violations: [] }],
      } satisfies Out<typeof ingestResponseSchema>,
    },
  } satisfies Examples,
};

const segmentTrack = {
  type: 'track',
  event: 'landing_view',
  messageId: 'seg_4b1e7a20-9c55-4f0e-8d21-6a0f2b9e3c11',
  timestamp: '2026-11-25T10:00:00+08:00',
  userId: USER,
  properties: { session_id: 's_7f3a9c', source_channel: 'search', ab_bucket: 'B' },
} satisfies In<typeof segmentMessageSchema>;
const segmentPage = {
  type: 'page',
  messageId: 'seg_0d9c3f51-2a7b-4e6d-9b80-1c4e5f6a7b8c',
  timestamp: '2026-11-25T10:00:01+08:00',
  userId: USER,
  properties: { path: '/templates/tpl_001' },
} satisfies In<typeof segmentMessageSchema>;

export const segmentExamples = {
  track: { summary: 'A track call', value: segmentTrack },
  batch: {
    summary: 'A batch: a track call and a page call (kept as the unplanned event $page)',
    value: { batch: [segmentTrack, segmentPage] },
  },
  trackResponse: {
    summary: 'Stored (userId became properties.user_id)',
    value: {
      success: true,
      accepted: 1,
      duplicates: 0,
      results: [{ event_id: segmentTrack.messageId, status: 'stored', violations: [] }],
    } satisfies Out<typeof segmentResponseSchema>,
  },
  batchResponse: {
    summary: 'Both stored; $page is outside the tracking plan',
    value: {
      success: true,
      accepted: 2,
      duplicates: 0,
      results: [
        { event_id: segmentTrack.messageId, status: 'stored', violations: [] },
        {
          event_id: segmentPage.messageId,
          status: 'stored',
          violations: [{ field: 'event', rule: 'unplanned' }],
        },
      ],
    } satisfies Out<typeof segmentResponseSchema>,
  },
} satisfies Examples;

export const licenseCheckExamples = {
  query: {
    check: {
      summary: "An account's licence for a template",
      value: { account_id: ACCOUNT, template_id: 'tpl_001' } satisfies In<typeof licenseCheckQuerySchema>,
    },
  } satisfies Examples,
  response: {
    licensed: {
      summary: 'Licensed: run-limited, 3 of 10 runs used',
      value: {
        licensed: true,
        license_id: 'lic_42',
        status: 'approved',
        expiry_type: 'run_limited',
        effective_at: '2026-11-25T02:00:00.000Z',
        expires_at: null,
        runs_used: 3,
        runs_left: 7,
        policy_tag: 'A1',
      } satisfies Out<typeof licenseCheckSchema>,
    },
    pending: {
      summary: 'Applied, not yet decided',
      value: {
        licensed: false,
        license_id: 'lic_57',
        status: 'pending',
        expiry_type: null,
        effective_at: null,
        expires_at: null,
        runs_used: 0,
        runs_left: null,
        policy_tag: 'A1',
      } satisfies Out<typeof licenseCheckSchema>,
    },
    none: {
      summary: 'Never applied',
      value: {
        licensed: false,
        license_id: null,
        status: null,
        expiry_type: null,
        effective_at: null,
        expires_at: null,
        runs_used: 0,
        runs_left: null,
        policy_tag: null,
      } satisfies Out<typeof licenseCheckSchema>,
    },
  } satisfies Examples,
};

export const estimateExamples = {
  request: {
    spec: {
      summary: 'A spec, with the account for a balance pre-check',
      value: {
        queue_type: 'standard',
        template_id: 'tpl_001',
        output_count: 2,
        persona_tag: 'creator_studio',
        account_id: ACCOUNT,
      } satisfies In<typeof estimateRequestSchema>,
    },
    minimal: {
      summary: 'Only the queue',
      value: { queue_type: 'fast' } satisfies In<typeof estimateRequestSchema>,
    },
  } satisfies Examples,
  response: {
    recent: {
      summary: 'From 64 comparable tasks of the last 30 days, with the pre-check',
      value: {
        expected_credits_range: [14, 31],
        basis: 'recent_tasks',
        sample_size: 64,
        min_samples: 20,
        window_days: 30,
        precheck_balance: {
          account_id: ACCOUNT,
          ledger_balance: -412.5,
          pending_refunds: 0,
          after_estimate: -443.5,
        },
      } satisfies Out<typeof estimateSchema>,
    },
    rateTable: {
      summary: 'Too few comparable tasks: the rate table',
      value: {
        expected_credits_range: [15, 120],
        basis: 'rate_table',
        sample_size: 0,
        min_samples: 20,
        window_days: 30,
        precheck_balance: null,
      } satisfies Out<typeof estimateSchema>,
    },
  } satisfies Examples,
};
