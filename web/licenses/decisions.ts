import { HttpError } from 'react-admin';
import type { ApproveInput, LicenseRecord, RejectInput, RevokeInput } from '../../server/licenses/schemas.ts';

/** the three decisions on an application; bulk offers the first two */
export type DecisionKind = 'approve' | 'reject' | 'revoke';

/** the decisions `status` allows (SPEC.md §4.3): pending → approve | reject; approved → revoke */
export const decisionsFor = (status: LicenseRecord['status']): DecisionKind[] =>
  status === 'pending' ? ['approve', 'reject'] : status === 'approved' ? ['revoke'] : [];

/** what a decision dialog's form holds */
export interface DecisionValues {
  effective_at?: string | Date | null;
  expiry_type?: string | null;
  max_runs?: number | string | null;
  expires_at?: string | Date | null;
  reason_code?: string | null;
  policy_tag?: string | null;
  action_required?: string | null;
  note?: string | null;
}

/** a date-time input's value (local `YYYY-MM-DDTHH:mm`, an ISO string or a Date) as an ISO instant */
export const toInstant = (value: string | Date | null | undefined): string =>
  value ? new Date(value).toISOString() : '';

const noteOf = (values: DecisionValues) => (values.note?.trim() ? { note: values.note.trim() } : {});

/**
 * The approval's terms as the API takes them: max_runs only for a run-limited licence and expires_at only
 * for a fixed-term one (the server refuses either on another expiry type).
 */
export function approveTerms(values: DecisionValues): Omit<ApproveInput, 'version'> {
  const expiry = values.expiry_type ?? '';
  return {
    effective_at: toInstant(values.effective_at),
    expiry_type: expiry,
    ...(expiry === 'run_limited' ? { max_runs: Number(values.max_runs) } : {}),
    ...(expiry === 'fixed_term' ? { expires_at: toInstant(values.expires_at) } : {}),
    ...noteOf(values),
  };
}

export function rejectTerms(values: DecisionValues): Omit<RejectInput, 'version'> {
  return {
    reason_code: values.reason_code ?? '',
    policy_tag: values.policy_tag ?? '',
    action_required: values.action_required ?? '',
    ...noteOf(values),
  };
}

export function revokeTerms(values: DecisionValues): Omit<RevokeInput, 'version'> {
  return { ...rejectTerms(values), note: values.note?.trim() ?? '' };
}

/** an expiry after the licence takes effect (the server refuses anything else) */
export const expiresAfterEffective = (expiresAt: unknown, values: DecisionValues) =>
  expiresAt &&
  values.effective_at &&
  Date.parse(toInstant(expiresAt as string)) <= Date.parse(toInstant(values.effective_at))
    ? 'licenses.validation.expires_after'
    : undefined;

/** a refused decision as the dialog shows it */
export interface DecisionFailure {
  status: number | undefined;
  message: string;
  /** the server's reasons by form field (`decision.reason_code` of a bulk request is `reason_code`) */
  errors: Record<string, string> | undefined;
}

export function failureOf(error: unknown): DecisionFailure {
  const message = error instanceof Error && error.message ? error.message : 'ra.notification.http_error';
  if (!(error instanceof HttpError)) return { status: undefined, message, errors: undefined };
  const raw = (error.body as { errors?: Record<string, string> } | undefined)?.errors;
  const errors = raw
    ? Object.fromEntries(Object.entries(raw).map(([field, why]) => [field.replace(/^decision\./, ''), why]))
    : undefined;
  return { status: error.status, message, errors };
}

/** SLA state of an application: breached (red), within the last quarter of its target (amber), ok; decided */
export type SlaLevel = 'breached' | 'near' | 'ok' | 'decided';

/** the share of the SLA target after which a pending application is flagged amber */
export const SLA_WARNING_SHARE = 0.75;

export function slaLevel(
  license: Pick<LicenseRecord, 'status' | 'age_hours' | 'sla_hours' | 'sla_breached'>,
): SlaLevel {
  if (license.status !== 'pending') return 'decided';
  if (license.sla_breached) return 'breached';
  return license.age_hours >= license.sla_hours * SLA_WARNING_SHARE ? 'near' : 'ok';
}

/** the server masks the hashed account id for roles without sensitive:read (its first 4 characters and dots) */
export const isMasked = (value: string | null | undefined) =>
  typeof value === 'string' && value.includes('•');
