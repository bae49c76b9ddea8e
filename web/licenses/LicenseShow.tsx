import {
  Box,
  Chip,
  Link as MuiLink,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import {
  CanAccess,
  DateField,
  FunctionField,
  Link,
  NumberField,
  SimpleShowLayout,
  TextField,
  useGetList,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import type { LicenseRecord, LicenseTask } from '../../server/licenses/schemas.ts';
import { riskColor } from '../enums/RiskChip.tsx';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { ConflictShow } from '../layout/ConflictShow.tsx';
import { formatInstant, ShowSection } from '../layout/ShowSection.tsx';
import { isMasked } from './decisions.ts';
import { LicenseActions } from './LicenseActions.tsx';
import { FastTrackChip, LicenseStatusChip, PolicyTagChip, SlaAge } from './LicenseChips.tsx';

/**
 * One application: what was applied for, where it came from, the decision and its history, the account's
 * other applications, and the decisions the signed-in reviewer may make now.
 */
export const LicenseShow = () => {
  return (
    <ConflictShow actions={<LicenseActions />} testId="license-conflict">
      <LicenseDetails />
      <AccountLicenses />
      <LicenseTasks />
      <CanAccess resource="audit" action="list" error={null}>
        <DecisionHistory />
      </CanAccess>
    </ConflictShow>
  );
};

const LicenseDetails = () => {
  const record = useRecordContext<LicenseRecord>();
  const label = {
    persona: useEnumLabel('persona_tag'),
    expiry: useEnumLabel('expiry_type'),
    reason: useEnumLabel('reason_code'),
    action: useEnumLabel('action_required'),
  };
  const translate = useTranslate();
  if (!record) return null;
  const decided = record.status !== 'pending';
  const approvedOnce = record.expiry_type !== null;
  const refused = record.reason_code !== null;
  return (
    <SimpleShowLayout>
      <TextField source="license_id" />
      <FunctionField<LicenseRecord> source="status" render={(r) => <LicenseStatusChip status={r.status} />} />
      <TextField source="template_id" emptyText="—" />
      <FunctionField<LicenseRecord>
        source="account_id"
        render={(r) => (
          <Box
            component="span"
            sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
            data-testid="license-account"
          >
            {r.account_id ?? '—'}
          </Box>
        )}
      />
      <FunctionField<LicenseRecord>
        source="persona_tag"
        render={(r) => label.persona(r.persona_tag) || '—'}
      />
      <FunctionField<LicenseRecord>
        source="policy_tag"
        render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
      />
      <FunctionField<LicenseRecord>
        source="is_fast_track"
        render={(r) => (r.is_fast_track ? <FastTrackChip /> : translate('licenses.standard'))}
      />
      <DateField source="applied_at" showTime options={SHANGHAI} />
      <TextField source="day" />
      <FunctionField<LicenseRecord> source="age_hours" render={(r) => <SlaAge license={r} />} />
      <FunctionField<LicenseRecord>
        source="source_event_id"
        render={(r) => (
          <Link to={`/events/${r.source_event_pk}/show`} data-testid="license-source-event">
            {r.source_event_id}
          </Link>
        )}
      />
      {record.previous_id !== null && (
        <FunctionField<LicenseRecord>
          source="previous_id"
          render={(r) => (
            <Link to={`/licenses/${r.previous_id}/show`} data-testid="license-previous">
              {translate('licenses.show.previous', { license_id: `lic_${r.previous_id}` })}
            </Link>
          )}
        />
      )}
      {decided && <DateField source="decided_at" showTime options={SHANGHAI} emptyText="—" />}
      {decided && <TextField source="decided_by" emptyText="—" />}
      {approvedOnce && <DateField source="effective_at" showTime options={SHANGHAI} />}
      {approvedOnce && (
        <FunctionField<LicenseRecord> source="expiry_type" render={(r) => label.expiry(r.expiry_type)} />
      )}
      {record.max_runs !== null && <NumberField source="max_runs" />}
      {record.expires_at !== null && <DateField source="expires_at" showTime options={SHANGHAI} />}
      {refused && (
        <FunctionField<LicenseRecord> source="reason_code" render={(r) => label.reason(r.reason_code)} />
      )}
      {refused && (
        <FunctionField<LicenseRecord>
          source="decision_policy_tag"
          render={(r) => (r.decision_policy_tag ? <PolicyTagChip code={r.decision_policy_tag} /> : '—')}
        />
      )}
      {refused && (
        <FunctionField<LicenseRecord>
          source="action_required"
          render={(r) => label.action(r.action_required)}
        />
      )}
      {record.revoked_at !== null && <DateField source="revoked_at" showTime options={SHANGHAI} />}
      {record.revoked_by !== null && <TextField source="revoked_by" />}
      {record.note !== null && <TextField source="note" sx={{ whiteSpace: 'pre-wrap' }} />}
    </SimpleShowLayout>
  );
};

/**
 * The account's other applications, newest first. Only when the account id is readable: a masked id names
 * no one, and the server filters on the real one.
 */
const AccountLicenses = () => {
  const record = useRecordContext<LicenseRecord>();
  const translate = useTranslate();
  const masked = isMasked(record?.account_id);
  const accountId = record?.account_id ?? null;
  const { data, isPending } = useGetList<LicenseRecord>(
    'licenses',
    {
      filter: { account_id: accountId },
      sort: { field: 'applied_at', order: 'DESC' },
      pagination: { page: 1, perPage: 50 },
    },
    { enabled: accountId !== null && !masked },
  );
  if (!record || accountId === null) return null;
  const others = (data ?? []).filter((l) => l.id !== record.id);
  return (
    <ShowSection title="licenses.show.account_licenses" testId="account-licenses">
      {masked ? (
        <Typography color="text.secondary">{translate('licenses.show.account_masked')}</Typography>
      ) : isPending ? null : others.length === 0 ? (
        <Typography color="text.secondary">{translate('licenses.show.no_other')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.licenses.fields.license_id')}</TableCell>
              <TableCell>{translate('resources.licenses.fields.template_id')}</TableCell>
              <TableCell>{translate('resources.licenses.fields.applied_at')}</TableCell>
              <TableCell>{translate('resources.licenses.fields.status')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {others.map((l) => (
              <TableRow key={l.id} data-testid={`account-license-${l.id}`}>
                <TableCell>
                  <MuiLink component={Link} to={`/licenses/${l.id}/show`}>
                    {l.license_id}
                  </MuiLink>
                </TableCell>
                <TableCell>{l.template_id ?? '—'}</TableCell>
                <TableCell>{formatInstant(l.applied_at)}</TableCell>
                <TableCell>
                  <LicenseStatusChip status={l.status} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};

/** the licence's tasks (the account's runs of the template), newest first, with their outcome and risk alerts */
const LicenseTasks = () => {
  const record = useRecordContext<LicenseRecord>();
  const translate = useTranslate();
  const { data, isPending } = useGetList<LicenseTask>(
    `licenses/${record?.id}/tasks`,
    { pagination: { page: 1, perPage: 100 }, sort: { field: 'started_at', order: 'DESC' } },
    { enabled: record !== undefined },
  );
  if (!record) return null;
  return (
    <ShowSection title="licenses.tasks.title" testId="license-tasks">
      {isPending ? null : !data?.length ? (
        <Typography color="text.secondary">{translate('licenses.tasks.empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('licenses.tasks.task_id')}</TableCell>
              <TableCell>{translate('licenses.tasks.started_at')}</TableCell>
              <TableCell>{translate('licenses.tasks.outcome')}</TableCell>
              <TableCell align="right">{translate('licenses.tasks.credits')}</TableCell>
              <TableCell>{translate('licenses.tasks.alerts')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((task) => (
              <TableRow key={task.id} data-testid={`license-task-${task.task_id}`}>
                <TableCell sx={{ fontFamily: 'monospace' }}>{task.task_id}</TableCell>
                <TableCell>{formatInstant(task.started_at)}</TableCell>
                <TableCell data-outcome={task.outcome}>
                  {translate(`licenses.tasks.outcomes.${task.outcome}`)}
                  {task.failure_code ? ` · ${task.failure_code}` : ''}
                </TableCell>
                <TableCell align="right">
                  {task.credits_spent ?? task.estimated_credits ?? '—'}
                  {task.credits_spent === null && task.estimated_credits !== null
                    ? ` (${translate('licenses.tasks.estimated')})`
                    : ''}
                </TableCell>
                <TableCell>
                  {task.alerts.length === 0
                    ? '—'
                    : task.alerts.map((a) => (
                        <Chip
                          key={`${a.alert_id}-${a.occurred_at}`}
                          size="small"
                          sx={{ mr: 0.5 }}
                          color={riskColor(a.risk_level)}
                          label={`${a.policy_tag ?? '?'} · ${a.escalation_level ?? '?'}`}
                        />
                      ))}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};

/** the decisions on this application from the audit log, oldest first: when, who, what and why */
const DecisionHistory = () => {
  const record = useRecordContext<LicenseRecord>();
  const translate = useTranslate();
  const { data, isPending } = useGetList<AuditRecord>(
    'audit',
    {
      filter: { resource: 'license', resource_id: String(record?.id ?? '') },
      sort: { field: 'id', order: 'ASC' },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: record !== undefined },
  );
  if (!record) return null;
  return (
    <ShowSection title="licenses.history.title" testId="decision-history">
      {isPending ? null : !data?.length ? (
        <Typography color="text.secondary">{translate('licenses.history.empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('licenses.history.at')}</TableCell>
              <TableCell>{translate('licenses.history.actor')}</TableCell>
              <TableCell>{translate('licenses.history.action')}</TableCell>
              <TableCell>{translate('licenses.history.reason')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((row) => (
              <TableRow key={row.id} data-testid={`decision-history-${row.id}`}>
                <TableCell>{formatInstant(row.at)}</TableCell>
                <TableCell>{row.actor}</TableCell>
                <TableCell>
                  {translate(`licenses.history.actions.${row.action.replace(/^license\./, '')}`, {
                    _: row.action,
                  })}
                </TableCell>
                <TableCell>{row.reason ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};
