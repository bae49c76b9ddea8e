import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
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
import type { AlertRecord } from '../../server/alerts/schemas.ts';
import type { AuditRecord } from '../../server/audit/schemas.ts';
import { RiskChip } from '../enums/RiskChip.tsx';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { ConflictShow } from '../layout/ConflictShow.tsx';
import { formatInstant, ShowSection } from '../layout/ShowSection.tsx';
import { PolicyTagChip } from '../licenses/LicenseChips.tsx';
import { AlertActions } from './AlertActions.tsx';
import { AlertAge, AlertStateChip, EscalationChip, LicenseLink, TaskLink } from './AlertChips.tsx';

/**
 * One alert: what was raised on which task and licence, how far it has been worked, the steps the
 * signed-in reviewer may take now, and its history from the audit log.
 */
export const AlertShow = () => {
  return (
    <ConflictShow actions={<AlertActions />} testId="alert-conflict">
      <AlertDetails />
      <CanAccess resource="audit" action="list" error={null}>
        <AlertHistory />
      </CanAccess>
    </ConflictShow>
  );
};

const AlertDetails = () => {
  const record = useRecordContext<AlertRecord>();
  const translate = useTranslate();
  const label = { action: useEnumLabel('action_required'), level: useEnumLabel('escalation_level') };
  if (!record) return null;
  return (
    <SimpleShowLayout>
      <TextField source="alert_id" />
      <FunctionField<AlertRecord> source="state" render={(r) => <AlertStateChip state={r.state} />} />
      <FunctionField<AlertRecord>
        source="risk_level"
        render={(r) => (r.risk_level ? <RiskChip level={r.risk_level} /> : '—')}
      />
      <FunctionField<AlertRecord>
        source="policy_tag"
        render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
      />
      <FunctionField<AlertRecord>
        source="action_required"
        render={(r) => label.action(r.action_required) || '—'}
      />
      <FunctionField<AlertRecord> source="escalation_level" render={(r) => <EscalationChip alert={r} />} />
      <FunctionField<AlertRecord>
        source="arrived_escalation"
        render={(r) => (
          <span data-testid="alert-arrived">
            {label.level(r.arrived_escalation) || '—'}
            {r.auto_escalated ? ` · ${translate('resources.alerts.escalation.raised_on_arrival')}` : ''}
          </span>
        )}
      />
      <DateField source="raised_at" showTime options={SHANGHAI} />
      <TextField source="day" />
      <FunctionField<AlertRecord> source="age_hours" render={(r) => <AlertAge hours={r.age_hours} />} />
      <FunctionField<AlertRecord> source="task_id" render={(r) => <TaskLink taskId={r.task_id} />} />
      <FunctionField<AlertRecord>
        source="account_id"
        render={(r) => (
          <Box
            component="span"
            sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
            data-testid="alert-account"
          >
            {r.account_id ?? '—'}
          </Box>
        )}
      />
      <TextField source="template_id" emptyText="—" />
      <FunctionField<AlertRecord>
        source="license_pk"
        render={(r) => <LicenseLink licensePk={r.license_pk} />}
      />
      <FunctionField<AlertRecord>
        source="source_event_pk"
        render={(r) => (
          <Link to={`/events/${r.source_event_pk}/show`} data-testid="alert-source-event">
            {translate('resources.alerts.show.source_event', { id: r.source_event_pk })}
            {' · '}
            {translate('resources.alerts.show.violations', { smart_count: r.event_violations })}
          </Link>
        )}
      />
      {record.acknowledged_at !== null && <DateField source="acknowledged_at" showTime options={SHANGHAI} />}
      {record.acknowledged_by !== null && <TextField source="acknowledged_by" />}
      {record.resolved_at !== null && <DateField source="resolved_at" showTime options={SHANGHAI} />}
      {record.resolved_by !== null && <TextField source="resolved_by" />}
      {record.updated_at !== null && <DateField source="updated_at" showTime options={SHANGHAI} />}
      {record.updated_by !== null && <TextField source="updated_by" />}
      {record.last_note !== null && (
        <TextField source="last_note" sx={{ whiteSpace: 'pre-wrap' }} data-testid="alert-last-note" />
      )}
      <NumberField source="version" />
    </SimpleShowLayout>
  );
};

/** the alert's steps from the audit log, oldest first: when, who, what and the note */
const AlertHistory = () => {
  const record = useRecordContext<AlertRecord>();
  const translate = useTranslate();
  const { data, isPending } = useGetList<AuditRecord>(
    'audit',
    {
      filter: { resource: 'alert', resource_id: String(record?.id ?? '') },
      sort: { field: 'id', order: 'ASC' },
      pagination: { page: 1, perPage: 100 },
    },
    { enabled: record !== undefined },
  );
  if (!record) return null;
  return (
    <ShowSection title="resources.alerts.history.title" testId="alert-history">
      {isPending ? null : !data?.length ? (
        <Typography color="text.secondary">{translate('resources.alerts.history.empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{translate('resources.alerts.history.at')}</TableCell>
              <TableCell>{translate('resources.alerts.history.actor')}</TableCell>
              <TableCell>{translate('resources.alerts.history.action')}</TableCell>
              <TableCell>{translate('resources.alerts.history.note')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {data.map((row) => (
              <TableRow key={row.id} data-testid={`alert-history-${row.id}`}>
                <TableCell>{formatInstant(row.at)}</TableCell>
                <TableCell>{row.actor}</TableCell>
                <TableCell>
                  {translate(`resources.alerts.history.actions.${row.action.replace(/^alert\./, '')}`, {
                    _: row.action,
                  })}
                </TableCell>
                <TableCell sx={{ whiteSpace: 'pre-wrap' }}>{row.reason ?? '—'}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};
