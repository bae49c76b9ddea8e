import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SEED_VALID_FROM } from '../../db/open.ts';
import {
  containsPhoneNumber,
  isIdHash,
  isPhoneNumber,
  isWeChatId,
  redactPhones,
} from '../../server/ingest/pii.ts';
import { makePseudonymizer } from '../../server/ingest/pseudonymize.ts';
import { validateEvent } from '../../server/ingest/validate.ts';
import { PlanCache, type PlanSnapshot } from '../../server/plan/snapshot.ts';
import { tempDb } from './helpers.ts';

/**
 * validateEvent and the PII helpers as pure functions (SPEC.md §2–§3): one event against a plan snapshot
 * read from a fresh database, no HTTP.
 */

const KEY = 'unit-test-pii-key-000001';
const pseudonymize = makePseudonymizer(KEY);
const STAND_IN = /^pii_[0-9a-f]{32}$/;
const HASH = 'a3f1c2d4e5f60718293a4b5c6d7e8f90';
/** sha256('') in hex: a 64-hex hash with no run of digits that looks like a phone number */
const SHA256_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const AT = '2026-11-25T02:00:00.000Z';

const VALID: Record<string, Record<string, unknown>> = {
  landing_view: { user_id: HASH, session_id: 's_1', source_channel: 'search', ab_bucket: 'A' },
  cta_click: { cta_id: 'view_cases', user_id: SHA256_HEX },
  license_apply: {
    template_id: 'tpl_001',
    account_id: 'Ab3_x-9QrT7zLm2K',
    is_fast_track: true,
    persona_tag: 'creator_studio',
    policy_tag: 'C2',
  },
  license_approved: {
    license_id: 'lic_1',
    template_id: 'tpl_001',
    account_id: HASH,
    approver_id: 'reviewer',
    effective_at: '2026-11-25T10:00:00Z',
    expiry_type: 'fixed_term',
    max_runs: null,
  },
  license_rejected: {
    license_id: 'lic_2',
    template_id: 'tpl_001',
    account_id: HASH,
    reason_code: 'fraud_suspected',
    policy_tag: 'C2',
    action_required: 'escalate_review',
  },
  task_start: {
    task_id: 'task_1',
    template_id: 'tpl_001',
    account_id: HASH,
    estimated_credits: 0,
    queue_type: 'standard',
  },
  task_completed: {
    task_id: 'task_1',
    template_id: 'tpl_001',
    credits_spent: 7.25,
    duration_ms: 8000,
    output_count: 0,
  },
  task_failed: {
    task_id: 'task_2',
    template_id: 'tpl_001',
    failure_code: 'infra_error',
    sub_status: 'infra_error.timeout',
    policy_tag: 'A1',
    action_required: 'resubmit_material',
  },
  risk_alert: {
    alert_id: 'alert_1',
    task_id: 'task_2',
    risk_level: 'medium',
    policy_tag: 'B2',
    action_required: 'remove_asset',
    escalation_level: 'ops_review',
  },
  credits_updated: { ledger_id: 'led_1', task_id: 'task_1', policy_tag: 'A1', adjust_amount: 0.5 },
  estimator_interact: {
    spec_id: 'spec_1',
    expected_credits_range: [0, 0],
    persona_tag: 'creator_studio',
    precheck_balance: 12.5,
  },
  heatmap_view: { rank_type: 'new', template_id: 'tpl_001', position: 20 },
};

let db: ReturnType<typeof tempDb>;
let cache: PlanCache;
let plan: PlanSnapshot;
beforeEach(() => {
  db = tempDb();
  cache = new PlanCache(db.db);
  plan = cache.current();
});
afterEach(() => db.cleanup());

/** validates `event` = its valid sample with `overrides` (undefined removes the field) */
function check(event: string, overrides: Record<string, unknown> = {}, occurredAt = AT) {
  const properties: Record<string, unknown> = { ...(VALID[event] ?? {}) };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) delete properties[k];
    else properties[k] = v;
  }
  return validateEvent(plan, { event, occurredAt, properties }, pseudonymize);
}

describe('isPhoneNumber: a whole value that is a mainland mobile number', () => {
  it.each([
    '13800138000',
    '19912345678',
    '+8613800138000',
    '8613800138000',
    '+86 138 0013 8000',
    '0086-13800138000',
    '0086 138 0013 8000',
    '138-0013-8000',
    '(138) 0013 8000',
  ])('%s is a phone number', (s) => {
    expect(isPhoneNumber(s)).toBe(true);
  });

  it.each([
    ['12345678901', 'second digit 2 is not a mobile prefix'],
    ['10086', 'a service number'],
    ['1380013800', '10 digits'],
    ['138001380001', '12 digits'],
    ['+1 415 555 0100', 'not mainland'],
    ['23800138000', 'does not start with 1'],
    [SHA256_HEX, 'a 64-hex hash'],
    ['', 'empty'],
    ['abc', 'letters'],
  ])('%s is not (%s)', (s) => {
    expect(isPhoneNumber(s)).toBe(false);
  });
});

describe('containsPhoneNumber: a mobile number anywhere inside free text', () => {
  it.each([
    'call 13800138000 now',
    'tel:+86-138-0013-8000.',
    '微信13800138000联系',
    'abc 86-13800138000',
    '0086 138 0013 8000',
    '13800138000',
  ])('finds one in %j', (s) => {
    expect(containsPhoneNumber(s)).toBe(true);
  });

  it.each([
    ['123800138000', 'a 12-digit number'],
    ['order 138001380001234', 'part of a longer number'],
    ['1380013800', 'too short'],
    [SHA256_HEX, 'a 64-hex hash'],
    [HASH, 'a 32-hex hash'],
    ['search', 'plain text'],
  ])('finds none in %j (%s)', (s) => {
    expect(containsPhoneNumber(s)).toBe(false);
  });

  it('gives the same answer when asked twice (no regex state leaks between calls)', () => {
    expect(containsPhoneNumber('x 13800138000')).toBe(true);
    expect(containsPhoneNumber('x 13800138000')).toBe(true);
    expect(containsPhoneNumber('y 13900139000 z')).toBe(true);
  });
});

describe('isWeChatId and isIdHash', () => {
  it.each(['wxid_abc123', 'WXID_ABC', 'zhang_san88', 'abcdef', 'li-si_2024'])('%s is a WeChat id', (s) => {
    expect(isWeChatId(s)).toBe(true);
  });

  it.each([
    ['abcde', 'too short for a handle'],
    ['1abcdefg', 'starts with a digit'],
    ['Ab3_x-9QrT7zLm2K', 'a 16-character base64url hash'],
    [HASH, 'a 32-hex hash'],
    [SHA256_HEX, 'a 64-hex hash'],
  ])('%s is not a WeChat id (%s)', (s) => {
    expect(isWeChatId(s)).toBe(false);
  });

  it.each([
    ['0123456789abcdef', true],
    ['0123456789abcde', false],
    ['f'.repeat(128), true],
    ['f'.repeat(129), false],
    ['Ab3_x-9QrT7zLm2K', true],
    ['Ab3+x/9QrT7zLm2K', false],
    [SHA256_HEX, true],
  ])('isIdHash(%s) is %s', (s, expected) => {
    expect(isIdHash(s)).toBe(expected);
  });
});

describe('makePseudonymizer and redactPhones', () => {
  it('a stand-in is `pii_` + 32 hex and never contains the raw value', () => {
    const s = pseudonymize('13800138000');
    expect(s).toMatch(STAND_IN);
    expect(s).not.toContain('13800138000');
  });

  it('the same phone number, however written, gets the same stand-in; another number a different one', () => {
    const one = pseudonymize('13800138000');
    for (const form of ['+8613800138000', '+86 138 0013 8000', '0086-13800138000', '138-0013-8000']) {
      expect(pseudonymize(form)).toBe(one);
    }
    expect(pseudonymize('13800138001')).not.toBe(one);
  });

  it('a different key gives a different stand-in', () => {
    expect(makePseudonymizer('another-key-0123456789')('13800138000')).not.toBe(pseudonymize('13800138000'));
    expect(makePseudonymizer(KEY)('wxid_abc123')).toBe(pseudonymize('wxid_abc123'));
  });

  it('redactPhones replaces every number in a text and leaves the rest', () => {
    const out = redactPhones('a 13800138000, b +86 139-1234-5678.', pseudonymize);
    expect(out).toBe(`a ${pseudonymize('13800138000')}, b ${pseudonymize('13912345678')}.`);
  });
});

describe('validateEvent: valid events', () => {
  it.each(Object.keys(VALID))('a complete %s has no violations and keeps its properties', (event) => {
    const r = check(event);
    expect(r).toEqual({ planned: true, violations: [], properties: VALID[event] });
  });

  it('does not change the properties it is given', () => {
    const properties = { ...VALID.landing_view, user_id: '13800138000' };
    const copy = structuredClone(properties);
    validateEvent(plan, { event: 'landing_view', occurredAt: AT, properties }, pseudonymize);
    expect(properties).toEqual(copy);
  });

  it('keeps properties outside the plan, in their order', () => {
    const r = check('landing_view', { referrer: 'https://example.com', depth: 3 });
    expect(r.violations).toEqual([]);
    expect(Object.keys(r.properties)).toEqual([
      'user_id',
      'session_id',
      'source_channel',
      'ab_bucket',
      'referrer',
      'depth',
    ]);
  });

  it('keeps a "__proto__" property as a plain property', () => {
    const properties = JSON.parse(
      `{"user_id":"${HASH}","session_id":"s","source_channel":"x","ab_bucket":"A","__proto__":{"polluted":1}}`,
    );
    const r = validateEvent(plan, { event: 'landing_view', occurredAt: AT, properties }, pseudonymize);
    expect(r.violations).toEqual([]);
    expect(Object.hasOwn(r.properties, '__proto__')).toBe(true);
    expect(JSON.stringify(r.properties)).toContain('"__proto__":{"polluted":1}');
    expect(({} as { polluted?: number }).polluted).toBeUndefined();
  });
});

describe('validateEvent: missing', () => {
  it.each([
    ['absent', undefined],
    ['null', null],
    ['""', ''],
    ['whitespace', ' \t\n'],
  ])('a required field %s is missing', (_what, value) => {
    expect(check('task_start', { queue_type: value }).violations).toEqual([
      { field: 'queue_type', rule: 'missing' },
    ]);
  });

  it.each([
    ['absent', undefined],
    ['null', null],
  ])('the optional cta_click.template_id %s is fine', (_what, value) => {
    expect(check('cta_click', { template_id: value }).violations).toEqual([]);
  });

  it('max_runs may be null unless expiry_type is run_limited, and may never be absent', () => {
    expect(check('license_approved', { expiry_type: 'fixed_term', max_runs: null }).violations).toEqual([]);
    expect(check('license_approved', { expiry_type: 'permanent', max_runs: null }).violations).toEqual([]);
    expect(check('license_approved', { expiry_type: 'run_limited', max_runs: null }).violations).toEqual([
      { field: 'max_runs', rule: 'missing' },
    ]);
    expect(check('license_approved', { expiry_type: 'fixed_term', max_runs: undefined }).violations).toEqual([
      { field: 'max_runs', rule: 'missing' },
    ]);
    expect(check('license_approved', { expiry_type: 'run_limited', max_runs: 0 }).violations).toEqual([]);
  });

  it('lists every missing field of an empty event in plan order', () => {
    const r = validateEvent(plan, { event: 'heatmap_view', occurredAt: AT, properties: {} }, pseudonymize);
    expect(r.violations).toEqual([
      { field: 'rank_type', rule: 'missing' },
      { field: 'template_id', rule: 'missing' },
      { field: 'position', rule: 'missing' },
    ]);
    expect(r.planned).toBe(true);
  });
});

describe('validateEvent: wrong_type', () => {
  it.each([
    ['license_apply', 'is_fast_track', 'yes'],
    ['license_apply', 'is_fast_track', 1],
    ['heatmap_view', 'position', 0],
    ['heatmap_view', 'position', 1.5],
    ['heatmap_view', 'position', '1'],
    ['task_completed', 'duration_ms', -1],
    ['task_completed', 'output_count', 2 ** 53],
    ['task_completed', 'credits_spent', -1],
    ['landing_view', 'user_id', 'abc'],
    ['landing_view', 'user_id', 12345],
    ['landing_view', 'user_id', 'a3f1c2d4e5f60718293a4b5c6d7e8f90+'],
    ['landing_view', 'session_id', 42],
    ['landing_view', 'source_channel', ['search']],
    ['estimator_interact', 'expected_credits_range', [5, 2]],
    ['estimator_interact', 'expected_credits_range', [-1, 2]],
    ['estimator_interact', 'expected_credits_range', [1, 2, 3]],
    ['estimator_interact', 'expected_credits_range', ['1', '2']],
    ['estimator_interact', 'expected_credits_range', { min: 1, max: 2 }],
    ['credits_updated', 'adjust_amount', 0],
    ['credits_updated', 'adjust_amount', '-3'],
    ['license_approved', 'effective_at', 'tomorrow'],
    ['license_approved', 'effective_at', '2026-11-25T10:00:00'],
    ['license_approved', 'max_runs', -1],
    ['license_apply', 'policy_tag', 3],
    ['landing_view', 'ab_bucket', true],
  ])('%s.%s = %j', (event, field, value) => {
    expect(check(event, { [field]: value }).violations).toEqual([{ field, rule: 'wrong_type' }]);
  });
});

describe('validateEvent: out_of_enum and enum validity in time', () => {
  it.each([
    ['landing_view', 'ab_bucket', 'C'],
    ['landing_view', 'ab_bucket', 'a'],
    ['license_apply', 'policy_tag', 'Z9'],
    ['license_rejected', 'reason_code', 'none'],
    ['risk_alert', 'escalation_level', 'committee'],
    ['cta_click', 'cta_id', 'replicate'],
  ])('%s.%s = %j', (event, field, value) => {
    const r = check(event, { [field]: value });
    expect(r.violations).toEqual([{ field, rule: 'out_of_enum' }]);
    expect(r.properties[field]).toBe(value);
  });

  it('a phone number in an enum field becomes its stand-in and is out_of_enum', () => {
    const r = check('license_apply', { persona_tag: '+86 138 0013 8000' });
    expect(r.violations).toEqual([{ field: 'persona_tag', rule: 'out_of_enum' }]);
    expect(r.properties.persona_tag).toBe(pseudonymize('13800138000'));
  });

  it('a value is valid from valid_from and until (not at) deprecated_at', () => {
    db.db
      .prepare(
        `INSERT INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, valid_from, deprecated_at, sort_order)
         VALUES ('queue_type', 'priority', 'Priority', '优先', '2026-11-20T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 3)`,
      )
      .run();
    plan = cache.current();
    const at = (occurredAt: string) => check('task_start', { queue_type: 'priority' }, occurredAt).violations;
    const outOfEnum = [{ field: 'queue_type', rule: 'out_of_enum' }];
    expect(at('2026-11-19T23:59:59.999Z')).toEqual(outOfEnum);
    expect(at('2026-11-20T00:00:00.000Z')).toEqual([]);
    expect(at('2026-11-29T23:59:59.999Z')).toEqual([]);
    expect(at('2026-11-30T00:00:00.000Z')).toEqual(outOfEnum);
  });

  it('the plan cache reloads after an enum change and keeps its snapshot otherwise', () => {
    expect(cache.current()).toBe(plan);
    expect(plan.enumValues.get('ab_bucket')?.has('C')).toBe(false);
    db.db
      .prepare(
        `INSERT INTO landing_phase1_enum_values (enum_name, code, label_en, label_zh, valid_from, sort_order)
         VALUES ('ab_bucket', 'C', 'Bucket C', 'C 组', ?, 3)`,
      )
      .run(SEED_VALID_FROM);
    const next = cache.current();
    expect(next).not.toBe(plan);
    expect(next.version).toBeGreaterThan(plan.version);
    expect(next.enumValues.get('ab_bucket')?.get('C')).toMatchObject({
      code: 'C',
      valid_from: SEED_VALID_FROM,
    });
    plan = next;
    expect(check('landing_view', { ab_bucket: 'C' }).violations).toEqual([]);
  });
});

describe('validateEvent: pii', () => {
  it.each([
    ['user_id', '13800138000'],
    ['user_id', '+86 138 0013 8000'],
    ['user_id', '0086-13800138000'],
    ['user_id', 13800138000],
    ['user_id', 'wxid_abc123'],
    ['user_id', 'zhang_san88'],
  ])('landing_view.%s = %j is pii, stored as its stand-in', (field, value) => {
    const r = check('landing_view', { [field]: value });
    expect(r.violations).toEqual([{ field, rule: 'pii' }]);
    expect(r.properties[field]).toBe(pseudonymize(String(value)));
    expect(r.properties[field]).toMatch(STAND_IN);
  });

  it('a WeChat id in account_id is pii; a 16–20 character handle is taken as a hash', () => {
    expect(check('task_start', { account_id: 'wx_3f9a2b' }).violations).toEqual([
      { field: 'account_id', rule: 'pii' },
    ]);
    expect(check('task_start', { account_id: 'zhang_san_1988_ab' }).violations).toEqual([]);
  });

  it('a 64-hex hash and a 16-character base64url hash are valid ids, not pii', () => {
    expect(check('landing_view', { user_id: SHA256_HEX }).violations).toEqual([]);
    expect(check('landing_view', { user_id: 'Ab3_x-9QrT7zLm2K' }).violations).toEqual([]);
  });

  it('a phone number inside free text or any other field is pii and replaced in place', () => {
    const r = check('task_failed', { sub_status: 'blocked: 138-0013-8000 reported' });
    expect(r.violations).toEqual([{ field: 'sub_status', rule: 'pii' }]);
    expect(r.properties.sub_status).toBe(`blocked: ${pseudonymize('13800138000')} reported`);

    expect(check('license_apply', { is_fast_track: '13800138000' }).violations).toEqual([
      { field: 'is_fast_track', rule: 'pii' },
    ]);
    expect(check('heatmap_view', { position: 13800138000 }).violations).toEqual([
      { field: 'position', rule: 'pii' },
    ]);
  });

  it('a phone number in a property outside the plan, or nested, is pii on that property', () => {
    const r = check('landing_view', {
      contact: { phones: ['13800138000', { work: '+86 139 1234 5678' }] },
      mobile: 15912345678,
      ok: { nested: 'nothing here' },
    });
    expect(r.violations).toEqual([
      { field: 'contact', rule: 'pii' },
      { field: 'mobile', rule: 'pii' },
    ]);
    expect(r.properties.contact).toEqual({
      phones: [pseudonymize('13800138000'), { work: pseudonymize('13912345678') }],
    });
    expect(r.properties.mobile).toBe(pseudonymize('15912345678'));
    expect(r.properties.ok).toEqual({ nested: 'nothing here' });
    const json = JSON.stringify(r.properties);
    for (const raw of ['13800138000', '139 1234 5678', '15912345678']) expect(json).not.toContain(raw);
  });
});

describe('validateEvent: escalation_below_policy (a policy tag’s minimum escalation_level)', () => {
  it.each([
    ['D3', 'compliance_committee', []],
    ['D3', 'ops_review', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D3', 'none', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D2', 'none', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['D2', 'ops_review', []],
    ['D2', 'compliance_committee', []],
    ['C2', 'none', [{ field: 'escalation_level', rule: 'escalation_below_policy' }]],
    ['A1', 'none', []],
    ['B1', 'none', []],
  ])('policy_tag %s with escalation_level %s → %j', (policy_tag, escalation_level, expected) => {
    expect(check('risk_alert', { policy_tag, escalation_level }).violations).toEqual(expected);
  });

  it('is not judged when the tag or the level is itself invalid', () => {
    expect(check('risk_alert', { policy_tag: 'Z9', escalation_level: 'none' }).violations).toEqual([
      { field: 'policy_tag', rule: 'out_of_enum' },
    ]);
    expect(check('risk_alert', { policy_tag: 'D3', escalation_level: 'urgent' }).violations).toEqual([
      { field: 'escalation_level', rule: 'out_of_enum' },
    ]);
    expect(check('risk_alert', { policy_tag: null, escalation_level: 'none' }).violations).toEqual([
      { field: 'policy_tag', rule: 'missing' },
    ]);
  });

  it('follows the policy_tag table as it is in the database', () => {
    db.db
      .prepare(
        "UPDATE landing_phase1_enum_values SET min_escalation_level = 'compliance_committee' WHERE enum_name = 'policy_tag' AND code = 'B2'",
      )
      .run();
    plan = cache.current();
    expect(check('risk_alert', { policy_tag: 'B2', escalation_level: 'ops_review' }).violations).toEqual([
      { field: 'escalation_level', rule: 'escalation_below_policy' },
    ]);
  });
});

describe('validateEvent: unplanned events', () => {
  it('an event outside the plan is unplanned, keeps its properties and still has phone numbers replaced', () => {
    const r = validateEvent(
      plan,
      { event: 'LandingView', occurredAt: AT, properties: { user_id: HASH, phone: '13800138000', n: 1 } },
      pseudonymize,
    );
    expect(r.planned).toBe(false);
    expect(r.violations).toEqual([
      { field: 'event', rule: 'unplanned' },
      { field: 'phone', rule: 'pii' },
    ]);
    expect(r.properties).toEqual({ user_id: HASH, phone: pseudonymize('13800138000'), n: 1 });
  });

  it('event names are matched exactly', () => {
    expect(
      validateEvent(plan, { event: 'Landing_View', occurredAt: AT, properties: {} }, pseudonymize).planned,
    ).toBe(false);
  });
});
