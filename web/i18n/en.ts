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
    users: {
      name: 'User |||| Users',
      fields: {
        id: 'Id',
        username: 'Username',
        display_name: 'Display name',
        roles: 'Roles',
        role: 'Role',
        team: 'Team',
        disabled: 'Disabled',
        password: 'Password',
        created_at: 'Created',
        updated_at: 'Updated',
        q: 'Search',
      },
    },
    'write-keys': {
      name: 'Write key |||| Write keys',
      fields: {
        id: 'Id',
        source: 'Source team',
        label: 'Label',
        key_prefix: 'Key',
        created_at: 'Created',
        created_by: 'Created by',
        revoked_at: 'Revoked',
        revoked_by: 'Revoked by',
        status: 'Status',
        actions: 'Actions',
      },
    },
    audit: {
      name: 'Audit entry |||| Audit log',
      fields: {
        id: 'Id',
        at: 'Time',
        at_gte: 'From day',
        at_lte: 'To day',
        actor: 'Actor',
        action: 'Action',
        resource: 'Resource',
        resource_id: 'Resource id',
        outcome: 'Outcome',
        reason: 'Reason',
        request_id: 'Request id',
        ip: 'Address',
        hash: 'Hash',
        q: 'Search',
      },
    },
    permissions: {
      name: 'Permission |||| Permissions',
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
  roles: {
    compliance_reviewer: 'Compliance reviewer',
    ops: 'Ops',
    product_planner: 'Product planner',
    data_analyst: 'Data analyst',
    engineer: 'Engineer',
    admin: 'Admin',
  },
  auth: {
    invalid_credentials: 'Invalid username or password',
  },
  users: {
    no_team: '(no team)',
    team_required: 'An engineer needs a team: it decides whose events they read',
    password_help: 'At least 12 characters',
    new_password_help: 'At least 12 characters; leave empty to keep the current password',
  },
  write_keys: {
    status: {
      active: 'Active',
      revoked: 'Revoked',
    },
    new_key: {
      title: 'Write key for %{source}',
      warning: 'Copy this key now and keep it safe: it will not be shown again.',
      copy: 'Copy',
      copied: 'Key copied to the clipboard',
      done: 'Done',
    },
    rotate: {
      button: 'Rotate',
      title: 'Rotate the write key “%{label}”?',
      content:
        'A new key replaces this one, which stops working at once: senders using it are refused until they switch.',
    },
    revoke: {
      button: 'Revoke',
      title: 'Revoke the write key “%{label}”?',
      content: 'Events sent with this key are refused from now on. This cannot be undone.',
      done: 'Write key revoked',
    },
  },
  audit: {
    outcome: {
      success: 'Success',
      failure: 'Failure',
      denied: 'Denied',
    },
    export: 'Export CSV',
    verify: {
      button: 'Verify chain',
      title: 'Audit chain',
      ok: 'Chain intact: %{checked} rows checked',
      broken: 'Chain broken at row %{id}: %{reason} (%{checked} rows before it are intact)',
    },
    diff: {
      title: 'Changes',
      key: 'Field',
      before: 'Before',
      after: 'After',
      absent: '—',
      empty: 'Nothing recorded before or after.',
      value: '(value)',
    },
  },
  permissions: {
    title: 'Permissions',
    permission: 'Permission',
    yours: 'Your roles are highlighted.',
    allowed: 'Allowed',
    not_allowed: 'Not allowed',
    resources: {
      completeness: 'Completeness',
      events: 'Events',
      'tracking-plan': 'Tracking plan',
      enums: 'Enums',
      permissions: 'Permissions',
      sensitive: 'Sensitive fields',
      users: 'Users',
      'write-keys': 'Write keys',
      audit: 'Audit log',
    },
    actions: {
      read: 'Read',
      write: 'Change',
      export: 'Export',
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
