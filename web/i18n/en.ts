import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';

/** the console's own strings; react-admin's come from ra-language-english */
const consoleMessages = {
  resources: {
    events: {
      name: 'Event |||| Events',
      fields: {
        id: 'Id',
        event: 'Event',
        event_id: 'Event id',
        day: 'Day (UTC+8)',
        day_gte: 'From day',
        day_lte: 'To day',
        occurred_at: 'Occurred at',
        received_at: 'Received at',
        source: 'Source',
        planned: 'Planned',
        violations: 'Violations',
        properties: 'Properties',
        rule: 'Rule',
        field: 'Field',
        has_violation: 'Has violation',
        q: 'Event id starts with',
      },
    },
    'tracking-plan': {
      name: 'Tracking plan',
      fields: {
        name: 'Event',
        position: '#',
        scene: 'Scene',
        trigger: 'Trigger',
        owners: 'Owners',
        target_valid_pct: 'Target valid %',
        fields: 'Fields',
      },
    },
    enums: {
      name: 'Enum |||| Enums',
      fields: {
        name: 'Enum',
        owner: 'Owner',
        description: 'Description',
        console_defined: 'Console-defined',
        values: 'Values',
      },
    },
  },
  completeness: {
    menu: 'Completeness',
    title: 'Event completeness',
    from: 'From',
    to: 'To',
    no_data: 'No events in this range.',
    truncated:
      'This range holds more figures than can be shown at once; choose a shorter range for complete figures.',
    load_error: 'The completeness figures could not be loaded.',
    live: {
      connecting: 'Connecting…',
      live: 'Live',
      reconnecting: 'Reconnecting…',
    },
    summary: {
      total: 'Events',
      valid_pct: 'Valid',
      with_violations: 'With violations',
      duplicates: 'Duplicates',
      unplanned: 'Unplanned',
    },
    charts: {
      valid_by_event: 'Valid % per event',
      daily_trend: 'Daily valid %',
      violations_by_field: 'Violations by field and rule',
      valid_pct: 'Valid %',
      target: 'Target',
      no_violations: 'No violations in this range.',
    },
    table: {
      title: 'Per event',
      event: 'Event',
      day: 'Day',
      total: 'Events',
      valid: 'Valid',
      with_violations: 'With violations',
      duplicates: 'Duplicates',
      valid_pct: 'Valid %',
      target_pct: 'Target',
      status: 'Status',
      below_target: 'Below target',
      on_target: 'On target',
      unplanned: 'Unplanned',
    },
    flagged: {
      title: 'Below target (day × event)',
      empty: 'Every day × event met its target in this range.',
    },
  },
  rules: {
    missing: 'Missing',
    wrong_type: 'Wrong type',
    out_of_enum: 'Out of enum',
    pii: 'PII',
    escalation_below_policy: 'Escalation below policy',
    unplanned: 'Unplanned event',
  },
  risk: {
    high: 'High',
    medium: 'Medium',
    low: 'Low',
  },
  events: {
    valid: 'Valid',
    not_present: '(not present)',
    property: 'Property',
    value: 'Value',
    json: 'Properties (JSON)',
  },
  plan: {
    field: {
      name: 'Field',
      type: 'Type',
      enum: 'Enum',
      presence: 'Presence',
      nullable: 'Null allowed',
      sensitive: 'Sensitive',
      description: 'Description',
    },
    required: 'Required',
    optional: 'Optional',
    nullable_unless: 'unless %{field} = %{value}',
    types: {
      hashed_id: 'Hashed id',
      id: 'Id',
      text: 'Text',
      enum: 'Enum',
      boolean: 'Boolean',
      timestamp: 'Timestamp',
      integer: 'Integer ≥ 0',
      positive_integer: 'Integer ≥ 1',
      number: 'Number ≥ 0',
      nonzero_number: 'Non-zero number',
      credits_range: 'Credits range [min, max]',
    },
  },
  enums: {
    value: {
      code: 'Code',
      label: 'Label',
      status: 'Status',
      policy_group: 'Group',
      default_risk_level: 'Risk',
      default_action_required: 'Default action',
      min_escalation_level: 'Minimum escalation',
    },
    status: {
      active: 'Active',
      deprecated: 'Deprecated',
    },
  },
};

/** every leaf a string, every key required: the shape another locale must fill */
type Strings<T> = {
  [K in keyof T as string extends K ? never : K]-?: NonNullable<T[K]> extends string
    ? string
    : Strings<NonNullable<T[K]>>;
};

/** the shape of every locale: all of react-admin's keys and all of the console's */
export type Messages = Strings<TranslationMessages> & Strings<typeof consoleMessages>;

export const en: TranslationMessages & typeof consoleMessages = { ...englishMessages, ...consoleMessages };
