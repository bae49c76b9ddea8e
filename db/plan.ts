/**
 * The Phase 1 tracking plan and every enum, as data: the one definition the database is seeded from
 * (SPEC.md §2, seed `phase1-landing-events.md` 事件总览 / 数据字段定义). Validation never reads this file;
 * it reads the tables seeded from it, so enum changes made in the console apply without a restart.
 */

export const FIELD_TYPES = [
  'hashed_id', // platform pseudonymous hash: 16–128 chars of hex or base64url (脱敏 ID)
  'id', // non-empty string
  'text', // free text: non-empty string, scanned for phone numbers
  'enum', // a code of the named enum, valid at the event's occurred_at
  'boolean',
  'timestamp', // ISO-8601 with a UTC offset
  'integer', // non-negative integer
  'positive_integer', // integer ≥ 1
  'number', // non-negative number
  'nonzero_number',
  'credits_range', // [min, max] with 0 ≤ min ≤ max
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface PlanField {
  name: string;
  type: FieldType;
  /** enum name when type is 'enum' */
  enum?: string;
  /** required unless false (key fields are required unless SPEC marks them optional) */
  required?: boolean;
  /** null is accepted unless `field` has value `equals` (e.g. max_runs when expiry_type = run_limited) */
  nullableUnless?: { field: string; equals: string };
  /** masked by the server for roles without access to sensitive fields */
  sensitive?: boolean;
  description: string;
}

export interface PlanEvent {
  name: string;
  scene_en: string;
  scene_zh: string;
  trigger_en: string;
  trigger_zh: string;
  owners: string[];
  fields: PlanField[];
}

const userId: PlanField = {
  name: 'user_id',
  type: 'hashed_id',
  sensitive: true,
  description: 'Pseudonymous user hash (脱敏); never a phone number or WeChat id',
};
const accountId: PlanField = {
  name: 'account_id',
  type: 'hashed_id',
  sensitive: true,
  description: 'Pseudonymous account hash (脱敏); never a phone number or WeChat id',
};
const templateId: PlanField = { name: 'template_id', type: 'id', description: 'Template identifier' };
const taskId: PlanField = { name: 'task_id', type: 'id', description: 'Generation task identifier' };
const licenseId: PlanField = { name: 'license_id', type: 'id', description: 'Licence identifier' };
const policyTag: PlanField = {
  name: 'policy_tag',
  type: 'enum',
  enum: 'policy_tag',
  description: 'Risk policy tag maintained by operations-compliance',
};
const actionRequired: PlanField = {
  name: 'action_required',
  type: 'enum',
  enum: 'action_required',
  description: 'Remediation the user must take',
};
const personaTag: PlanField = {
  name: 'persona_tag',
  type: 'enum',
  enum: 'persona_tag',
  description: 'Persona A/B, defined by product planning',
};

export const TRACKING_PLAN: PlanEvent[] = [
  {
    name: 'landing_view',
    scene_en: 'User visits the first screen',
    scene_zh: '用户访问首屏',
    trigger_en: 'Fired once the first screen has loaded; records the first-screen impression',
    trigger_zh: '页面加载完成后触发，记录首屏曝光',
    owners: ['frontend-build'],
    fields: [
      userId,
      { name: 'session_id', type: 'id', description: 'Browser session identifier' },
      { name: 'source_channel', type: 'text', description: 'Acquisition channel the visit came from' },
      { name: 'ab_bucket', type: 'enum', enum: 'ab_bucket', description: 'A/B experiment bucket' },
    ],
  },
  {
    name: 'cta_click',
    scene_en: 'User clicks a first-screen CTA ("replicate now" / "view cases")',
    scene_zh: '用户点击首屏 CTA（立即复刻/看案例）',
    trigger_en: 'Distinguished by button id; the click time is the envelope occurred_at (`timestamp`)',
    trigger_zh: '按按钮 ID 区分；点击时间即信封字段 occurred_at（timestamp）',
    owners: ['frontend-build'],
    fields: [
      { name: 'cta_id', type: 'enum', enum: 'cta_id', description: 'Which CTA button was clicked' },
      userId,
      { ...templateId, required: false, description: 'Template identifier, when the CTA names one' },
    ],
  },
  {
    name: 'license_apply',
    scene_en: 'Template licence application submitted',
    scene_zh: '提交模板授权申请',
    trigger_en: 'Called when the user clicks "one-click replicate / apply for licence"',
    trigger_zh: '用户点击“一键复刻/申请授权”后调用',
    owners: ['platform-integration'],
    fields: [
      templateId,
      accountId,
      { name: 'is_fast_track', type: 'boolean', description: 'Whether the application is fast-tracked' },
      personaTag,
      policyTag,
    ],
  },
  {
    name: 'license_approved',
    scene_en: 'Licence review approved',
    scene_zh: '授权审核通过',
    trigger_en: 'Sent when the licence status becomes approved',
    trigger_zh: 'license 状态变更为 approved 时发送',
    owners: ['platform-integration'],
    fields: [
      licenseId,
      templateId,
      accountId,
      { name: 'approver_id', type: 'id', sensitive: true, description: 'Reviewer who approved' },
      { name: 'effective_at', type: 'timestamp', description: 'When the licence takes effect' },
      { name: 'expiry_type', type: 'enum', enum: 'expiry_type', description: 'How the licence expires' },
      {
        name: 'max_runs',
        type: 'integer',
        nullableUnless: { field: 'expiry_type', equals: 'run_limited' },
        description: 'Run allowance; null unless expiry_type is run_limited',
      },
    ],
  },
  {
    name: 'license_rejected',
    scene_en: 'Licence rejected or revoked',
    scene_zh: '授权拒绝/撤销',
    trigger_en: 'Sent when the licence status becomes rejected or revoked',
    trigger_zh: '状态变更为 rejected 或 revoked',
    owners: ['platform-integration', 'operations-compliance'],
    fields: [
      licenseId,
      templateId,
      accountId,
      { name: 'reason_code', type: 'enum', enum: 'reason_code', description: 'Why the licence was refused' },
      policyTag,
      actionRequired,
    ],
  },
  {
    name: 'task_start',
    scene_en: 'A task from the first screen is queued',
    scene_zh: '首屏来源任务入队',
    trigger_en: 'Fired when the prompt is submitted and passes validation',
    trigger_zh: '提示词提交后，校验通过时触发',
    owners: ['platform-integration'],
    fields: [
      taskId,
      templateId,
      accountId,
      { name: 'estimated_credits', type: 'number', description: 'Credits estimated before the run' },
      { name: 'queue_type', type: 'enum', enum: 'queue_type', description: 'Task queue class' },
    ],
  },
  {
    name: 'task_completed',
    scene_en: 'Task completed',
    scene_zh: '任务完成',
    trigger_en: 'Status succeeded; the actual credits consumed are written',
    trigger_zh: '状态 succeeded，写入算力实际消耗',
    owners: ['platform-integration'],
    fields: [
      taskId,
      templateId,
      { name: 'credits_spent', type: 'number', description: 'Credits actually consumed' },
      { name: 'duration_ms', type: 'integer', description: 'Run time in milliseconds' },
      { name: 'output_count', type: 'integer', description: 'Number of outputs produced' },
    ],
  },
  {
    name: 'task_failed',
    scene_en: 'Task failed',
    scene_zh: '任务失败',
    trigger_en: 'Status failed; records the failure type',
    trigger_zh: '状态 failed，记录失败类型',
    owners: ['platform-integration', 'operations-compliance'],
    fields: [
      taskId,
      templateId,
      { name: 'failure_code', type: 'enum', enum: 'failure_code', description: 'Failure class' },
      { name: 'sub_status', type: 'text', description: 'Platform sub-status detail' },
      policyTag,
      actionRequired,
    ],
  },
  {
    name: 'risk_alert',
    scene_en: 'Risk warning or block',
    scene_zh: '风控提示或拦截',
    trigger_en: 'When operations-compliance blocks or warns',
    trigger_zh: 'operations-compliance 拦截/警告时',
    owners: ['operations-compliance'],
    fields: [
      { name: 'alert_id', type: 'id', description: 'Alert identifier' },
      taskId,
      { name: 'risk_level', type: 'enum', enum: 'risk_level', description: 'Risk level (colour map)' },
      policyTag,
      actionRequired,
      {
        name: 'escalation_level',
        type: 'enum',
        enum: 'escalation_level',
        description: 'Escalation; compliance_committee marks the D3 regulatory escalation',
      },
    ],
  },
  {
    name: 'credits_updated',
    scene_en: 'Credits tail deduction or rollback',
    scene_zh: '积分补扣/回滚',
    trigger_en: 'On a tail deduction or a manual rollback',
    trigger_zh: '拖尾补扣或人工回滚时',
    owners: ['platform-integration'],
    fields: [
      { name: 'ledger_id', type: 'id', description: 'Ledger entry identifier' },
      taskId,
      policyTag,
      { name: 'adjust_amount', type: 'nonzero_number', description: 'Credits adjusted (non-zero)' },
    ],
  },
  {
    name: 'estimator_interact',
    scene_en: 'Credits estimator interaction',
    scene_zh: '算力估算器交互',
    trigger_en: 'User changes the spec or views the estimate',
    trigger_zh: '用户修改规格、查看估算',
    owners: ['frontend-build'],
    fields: [
      { name: 'spec_id', type: 'id', description: 'Spec identifier' },
      {
        name: 'expected_credits_range',
        type: 'credits_range',
        description: 'Estimated credits as [min, max]',
      },
      personaTag,
      { name: 'precheck_balance', type: 'number', description: 'Balance at the pre-check' },
    ],
  },
  {
    name: 'heatmap_view',
    scene_en: 'Hot-template ranking viewed',
    scene_zh: '查看热门模板榜',
    trigger_en: 'User opens the ranking or scrolls for more',
    trigger_zh: '用户打开榜单或滑动查看更多',
    owners: ['frontend-build'],
    fields: [
      { name: 'rank_type', type: 'enum', enum: 'rank_type', description: 'Which ranking' },
      templateId,
      { name: 'position', type: 'positive_integer', description: 'Position in the ranking (≥ 1)' },
    ],
  },
];

export interface EnumValueDef {
  code: string;
  label_en: string;
  label_zh: string;
  description?: string;
  /** policy_tag only */
  policy?: {
    group: 'A' | 'B' | 'C' | 'D';
    risk_level: 'high' | 'medium' | 'low';
    action_required: string;
    min_escalation_level: 'none' | 'ops_review' | 'compliance_committee';
  };
}

export interface EnumDef {
  name: string;
  owner: string;
  description_en: string;
  description_zh: string;
  /** true when the seed names the enum but does not define it (console-defined defaults) */
  console_defined: boolean;
  values: EnumValueDef[];
}

const v = (code: string, label_en: string, label_zh: string, description?: string): EnumValueDef =>
  description ? { code, label_en, label_zh, description } : { code, label_en, label_zh };

const tag = (
  code: string,
  label_en: string,
  label_zh: string,
  description: string,
  risk_level: 'high' | 'medium' | 'low',
  action_required: string,
  min_escalation_level: 'none' | 'ops_review' | 'compliance_committee',
): EnumValueDef => ({
  code,
  label_en,
  label_zh,
  description,
  policy: { group: code[0] as 'A' | 'B' | 'C' | 'D', risk_level, action_required, min_escalation_level },
});

export const ENUMS: EnumDef[] = [
  {
    name: 'persona_tag',
    owner: 'product-planning',
    description_en: 'Persona A/B',
    description_zh: '用于区分 Persona A/B',
    console_defined: false,
    values: [
      v('creator_studio', 'Creator studio (A)', '创作者工作室（A）'),
      v('operator_contractor', 'Operator contractor (B)', '代运营服务商（B）'),
    ],
  },
  {
    name: 'queue_type',
    owner: 'platform-integration',
    description_en: 'Task queue class, for later credit pricing analysis',
    description_zh: '任务队列分类，用于后续算力加价策略分析',
    console_defined: false,
    values: [v('standard', 'Standard', '标准队列'), v('fast', 'Fast', '快速队列')],
  },
  {
    name: 'failure_code',
    owner: 'product-planning',
    description_en: 'Failure class; a new value needs product planning and operations-compliance',
    description_zh: '预设枚举，如遇新增需同步产品规划与 operations-compliance',
    console_defined: false,
    values: [
      v('authorization_denied', 'Authorization denied', '授权被拒'),
      v('credit_insufficient', 'Insufficient credits', '积分不足'),
      v('safety_block', 'Safety block', '安全拦截'),
      v('infra_error', 'Infrastructure error', '基础设施错误'),
    ],
  },
  {
    name: 'policy_tag',
    owner: 'operations-compliance',
    description_en: 'Risk policy tags with their alert field mapping',
    description_zh: '风控策略标签（含告警字段映射），由 operations-compliance 维护',
    console_defined: false,
    values: [
      tag(
        'A1',
        'Licence material incomplete',
        '授权材料不完整',
        'Licence or authorisation documents are missing or incomplete',
        'low',
        'resubmit_material',
        'none',
      ),
      tag(
        'A2',
        'Copyright ownership unverified',
        '版权归属未核实',
        'The template or asset copyright holder cannot be verified',
        'medium',
        'resubmit_material',
        'ops_review',
      ),
      tag(
        'B1',
        'Exaggerated copy',
        '文案夸大宣传',
        'Marketing copy makes claims that must be toned down',
        'low',
        'update_copy',
        'none',
      ),
      tag(
        'B2',
        'Infringing asset',
        '素材侵权风险',
        'An asset likely infringes third-party rights',
        'medium',
        'remove_asset',
        'ops_review',
      ),
      tag(
        'C1',
        'Persona mismatch',
        '账户画像不符',
        'The account does not match the persona it applied as',
        'low',
        'appeal_only',
        'none',
      ),
      tag(
        'C2',
        'Suspected fraud',
        '疑似欺诈/刷量',
        'Signals of fraudulent use or credit farming',
        'high',
        'escalate_review',
        'ops_review',
      ),
      tag(
        'D1',
        'Prohibited content',
        '违规内容',
        'Generated content violates the content policy',
        'high',
        'remove_asset',
        'ops_review',
      ),
      tag(
        'D2',
        'Regulated-industry content',
        '敏感行业内容',
        'Content touches a regulated industry (finance, health…)',
        'high',
        'escalate_review',
        'ops_review',
      ),
      tag(
        'D3',
        'Regulatory escalation',
        '监管升级',
        'Must go to the compliance committee (监管升级场景)',
        'high',
        'escalate_review',
        'compliance_committee',
      ),
    ],
  },
  {
    name: 'risk_level',
    owner: 'operations-compliance',
    description_en: 'Risk level; colours follow the risk colour map (high red, medium amber, low green)',
    description_zh: '与风控颜色映射一致',
    console_defined: false,
    values: [v('high', 'High', '高'), v('medium', 'Medium', '中'), v('low', 'Low', '低')],
  },
  {
    name: 'action_required',
    owner: 'operations-compliance',
    description_en: 'Remediation the user must take',
    description_zh: '指引整改动作',
    console_defined: false,
    values: [
      v('resubmit_material', 'Resubmit material', '重新提交材料'),
      v('update_copy', 'Update copy', '修改文案'),
      v('remove_asset', 'Remove asset', '移除素材'),
      v('appeal_only', 'Appeal only', '仅可申诉'),
      v('escalate_review', 'Escalate review', '升级审核'),
    ],
  },
  {
    name: 'escalation_level',
    owner: 'operations-compliance',
    description_en: 'Escalation; compliance_committee marks the D3 regulatory escalation',
    description_zh: '用于标记 D3 监管升级场景',
    console_defined: false,
    values: [
      v('none', 'None', '无'),
      v('ops_review', 'Ops review', '运营复核'),
      v('compliance_committee', 'Compliance committee', '合规委员会'),
    ],
  },
  {
    name: 'expiry_type',
    owner: 'platform-integration',
    description_en: 'How a licence expires',
    description_zh: '授权到期方式',
    console_defined: true,
    values: [
      v('fixed_term', 'Fixed term', '固定期限'),
      v('run_limited', 'Run limited', '限定次数'),
      v('permanent', 'Permanent', '永久'),
    ],
  },
  {
    name: 'reason_code',
    owner: 'operations-compliance',
    description_en: 'Why a licence was rejected or revoked',
    description_zh: '授权拒绝/撤销原因',
    console_defined: true,
    values: [
      v('material_incomplete', 'Material incomplete', '材料不完整'),
      v('copyright_unverified', 'Copyright unverified', '版权未核实'),
      v('content_violation', 'Content violation', '内容违规'),
      v('persona_mismatch', 'Persona mismatch', '画像不符'),
      v('fraud_suspected', 'Fraud suspected', '疑似欺诈'),
      v('other', 'Other', '其他'),
    ],
  },
  {
    name: 'cta_id',
    owner: 'frontend-build',
    description_en: 'First-screen CTA buttons',
    description_zh: '首屏 CTA 按钮',
    console_defined: true,
    values: [v('replicate_now', 'Replicate now', '立即复刻'), v('view_cases', 'View cases', '看案例')],
  },
  {
    name: 'rank_type',
    owner: 'frontend-build',
    description_en: 'Hot-template rankings',
    description_zh: '热门模板榜单类型',
    console_defined: true,
    values: [v('hot', 'Hot', '热门'), v('rising', 'Rising', '飙升'), v('new', 'New', '最新')],
  },
  {
    name: 'ab_bucket',
    owner: 'frontend-build',
    description_en: 'CTA A/B experiment bucket',
    description_zh: 'CTA A/B 实验分组',
    console_defined: true,
    values: [v('A', 'Bucket A', 'A 组'), v('B', 'Bucket B', 'B 组')],
  },
];

/** escalation levels in increasing order: a policy tag's minimum is met by its level or a later one */
export const ESCALATION_ORDER = ['none', 'ops_review', 'compliance_committee'] as const;

/** default share of valid events per day × event below which the pair is flagged */
export const DEFAULT_VALID_TARGET_PCT = 99.5;

/** the source teams: owners of events in the plan, each sending with its own ingestion write key */
export const SOURCE_TEAMS = ['frontend-build', 'platform-integration', 'operations-compliance'] as const;
export type SourceTeam = (typeof SOURCE_TEAMS)[number];
