import WarningAmberIcon from '@mui/icons-material/WarningAmber';
import {
  Alert,
  Box,
  Link as MuiLink,
  Stack,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import {
  DateField,
  FunctionField,
  Link,
  Show,
  SimpleShowLayout,
  TextField,
  TopToolbar,
  useRecordContext,
  useTranslate,
} from 'react-admin';
import type { TaskDetail } from '../../server/tasks/schemas.ts';
import { RiskChip } from '../enums/RiskChip.tsx';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { ViolationChips } from '../events/ViolationChips.tsx';
import { formatInstant, ShowSection } from '../layout/ShowSection.tsx';
import { formatCredits, ledgerPath } from '../ledger/format.ts';
import { LedgerAmount, LedgerKindLabel, LedgerStatusChip } from '../ledger/LedgerChips.tsx';
import { LedgerDecision } from '../ledger/LedgerDecision.tsx';
import { RollbackButton } from '../ledger/RollbackDialog.tsx';
import { PolicyTagChip } from '../licenses/LicenseChips.tsx';
import { OpenAlerts, SpentCredits, TaskStatusChip, useFormatDuration } from './TaskChips.tsx';

/**
 * One task: how it ran, what it was charged and refunded, the events it was assembled from (those that
 * broke the tracking plan stand out), its risk alerts and its ledger entries; ops roll back credits here.
 */
export const TaskShow = () => (
  <Show
    // a cache entry of its own: react-admin seeds the plain one with the list's record, which has no events,
    // alerts, ledger or charge, and would render this page from it until the task itself arrived
    queryOptions={{ meta: { view: 'detail' } }}
    actions={
      <TopToolbar>
        <RollbackButton />
      </TopToolbar>
    }
  >
    <TaskDetails />
    <ChargeSummary />
    <TaskLedger />
    <TaskEvents />
    <TaskAlerts />
  </Show>
);

const TaskDetails = () => {
  const record = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  const label = {
    queue: useEnumLabel('queue_type'),
    failure: useEnumLabel('failure_code'),
    action: useEnumLabel('action_required'),
  };
  const duration = useFormatDuration();
  if (!record) return null;
  return (
    <>
      {!record.has_start && (
        <Alert severity="warning" sx={{ m: 2, mb: 0 }} data-testid="task-no-start">
          {translate('resources.tasks.no_start')}
        </Alert>
      )}
      <SimpleShowLayout>
        <FunctionField<TaskDetail>
          source="task_id"
          render={(r) => <span style={{ fontFamily: 'monospace' }}>{r.task_id}</span>}
        />
        <FunctionField<TaskDetail> source="status" render={(r) => <TaskStatusChip status={r.status} />} />
        <TextField source="template_id" emptyText="—" />
        <FunctionField<TaskDetail>
          source="account_id"
          render={(r) => (
            <Box
              component="span"
              sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}
              data-testid="task-account"
            >
              {r.account_id ?? '—'}
            </Box>
          )}
        />
        {record.license_pk !== null && (
          <FunctionField<TaskDetail>
            source="license_pk"
            render={(r) => (
              <Link to={`/licenses/${r.license_pk}/show`} data-testid="task-license">
                {translate('resources.tasks.show.license', { license_id: `lic_${r.license_pk}` })}
              </Link>
            )}
          />
        )}
        <FunctionField<TaskDetail> source="queue_type" render={(r) => label.queue(r.queue_type) || '—'} />
        <FunctionField<TaskDetail>
          source="estimated_credits"
          render={(r) => (r.estimated_credits === null ? '—' : formatCredits(r.estimated_credits))}
        />
        <FunctionField<TaskDetail> source="credits_spent" render={(r) => <SpentCredits task={r} />} />
        <FunctionField<TaskDetail> source="duration_ms" render={(r) => duration(r.duration_ms)} />
        <FunctionField<TaskDetail> source="output_count" render={(r) => r.output_count ?? '—'} />
        {record.status === 'failed' && (
          <FunctionField<TaskDetail>
            source="failure_code"
            render={(r) => (r.failure_code ? label.failure(r.failure_code) : '—')}
          />
        )}
        {record.sub_status !== null && <TextField source="sub_status" />}
        {record.policy_tag !== null && (
          <FunctionField<TaskDetail>
            source="policy_tag"
            render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
          />
        )}
        {record.action_required !== null && (
          <FunctionField<TaskDetail>
            source="action_required"
            render={(r) => label.action(r.action_required)}
          />
        )}
        <DateField source="started_at" showTime options={SHANGHAI} emptyText="—" />
        <DateField source="finished_at" showTime options={SHANGHAI} emptyText="—" />
        <DateField source="first_seen_at" showTime options={SHANGHAI} />
        <FunctionField<TaskDetail>
          source="open_alerts"
          render={(r) => <OpenAlerts count={r.open_alerts} />}
        />
      </SimpleShowLayout>
    </>
  );
};

/** what the task was charged, refunded and costs now; what may still be refunded, and what waits */
const ChargeSummary = () => {
  const record = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  if (!record) return null;
  const { charge } = record;
  const figures = [
    ['charged', charge.charged],
    ['refunded', charge.refunded],
    ['net_charge', charge.net_charge],
    ['pending_refunds', charge.pending_refunds],
    ['refundable', charge.refundable],
  ] as const;
  return (
    <ShowSection title="resources.tasks.show.charge" testId="task-charge">
      <Stack direction="row" spacing={4} sx={{ flexWrap: 'wrap' }}>
        {figures.map(([name, value]) => (
          <Box key={name}>
            <Typography variant="caption" color="text.secondary">
              {translate(`resources.tasks.charge.${name}`)}
            </Typography>
            <Typography
              data-testid={`charge-${name}`}
              variant={name === 'net_charge' ? 'h6' : 'body1'}
              sx={{
                fontVariantNumeric: 'tabular-nums',
                color: name === 'pending_refunds' && value > 0 ? 'warning.dark' : undefined,
              }}
            >
              {formatCredits(value)}
            </Typography>
          </Box>
        ))}
      </Stack>
    </ShowSection>
  );
};

/** the task's ledger entries in the order they were made; a pending one offers its decision to a second person */
const TaskLedger = () => {
  const record = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  if (!record) return null;
  const column = (field: string) => translate(`resources.ledger.fields.${field}`);
  return (
    <ShowSection title="resources.tasks.show.ledger" testId="task-ledger">
      {record.ledger.length === 0 ? (
        <Typography color="text.secondary">{translate('resources.tasks.show.ledger_empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{column('id')}</TableCell>
              <TableCell>{column('kind')}</TableCell>
              <TableCell align="right">{column('amount')}</TableCell>
              <TableCell>{column('status')}</TableCell>
              <TableCell>{column('policy_tag')}</TableCell>
              <TableCell>{column('reason')}</TableCell>
              <TableCell>{column('created_by')}</TableCell>
              <TableCell>{column('created_at')}</TableCell>
              <TableCell>{column('decision')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {record.ledger.map((entry) => (
              <TableRow key={entry.id} data-testid={`task-ledger-${entry.id}`}>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  <MuiLink component={Link} to={ledgerPath(entry.id)}>
                    {entry.id}
                  </MuiLink>
                </TableCell>
                <TableCell>
                  <LedgerKindLabel kind={entry.kind} />
                </TableCell>
                <TableCell align="right">
                  <LedgerAmount amount={entry.amount} struck={entry.status === 'rejected'} />
                </TableCell>
                <TableCell>
                  <LedgerStatusChip status={entry.status} />
                </TableCell>
                <TableCell>{entry.policy_tag ? <PolicyTagChip code={entry.policy_tag} /> : '—'}</TableCell>
                <TableCell sx={{ maxWidth: 280 }}>{entry.reason ?? '—'}</TableCell>
                <TableCell>{entry.created_by}</TableCell>
                <TableCell>{formatInstant(entry.created_at)}</TableCell>
                <TableCell>
                  {entry.status === 'pending_approval' ? (
                    <LedgerDecision entry={entry} />
                  ) : (
                    (entry.decided_by ?? '—')
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};

/** the stored events the task was assembled from, in time order; one that broke the plan is highlighted */
const TaskEvents = () => {
  const record = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  if (!record) return null;
  const column = (field: string) => translate(`resources.events.fields.${field}`);
  return (
    <ShowSection title="resources.tasks.show.events" testId="task-events">
      {record.events.length === 0 ? (
        <Typography color="text.secondary">{translate('resources.tasks.show.events_empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{column('event_id')}</TableCell>
              <TableCell>{column('event')}</TableCell>
              <TableCell>{column('occurred_at')}</TableCell>
              <TableCell>{column('source')}</TableCell>
              <TableCell>{column('violations')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {record.events.map((e) => {
              const broken = e.violations.length > 0;
              return (
                <TableRow
                  key={e.id}
                  data-testid={`task-event-${e.id}`}
                  data-violations={e.violations.length}
                  sx={broken ? { bgcolor: 'rgba(211, 47, 47, 0.08)' } : undefined}
                >
                  <TableCell sx={{ fontFamily: 'monospace' }}>
                    {broken && (
                      <WarningAmberIcon
                        fontSize="inherit"
                        color="error"
                        sx={{ mr: 0.5, verticalAlign: 'middle' }}
                        titleAccess={translate('resources.tasks.show.event_broken')}
                      />
                    )}
                    <MuiLink component={Link} to={`/events/${e.id}/show`}>
                      {e.event_id}
                    </MuiLink>
                  </TableCell>
                  <TableCell>{e.event}</TableCell>
                  <TableCell>{formatInstant(e.occurred_at)}</TableCell>
                  <TableCell>{e.source}</TableCell>
                  <TableCell>
                    <ViolationChips violations={e.violations} />
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};

/** the task's risk alerts, oldest first, each linked to its page in the alert inbox */
const TaskAlerts = () => {
  const record = useRecordContext<TaskDetail>();
  const translate = useTranslate();
  const escalation = useEnumLabel('escalation_level');
  if (!record) return null;
  const column = (field: string) => translate(`resources.tasks.show.alert.${field}`);
  return (
    <ShowSection title="resources.tasks.show.alerts" testId="task-alerts">
      {record.alerts.length === 0 ? (
        <Typography color="text.secondary">{translate('resources.tasks.show.alerts_empty')}</Typography>
      ) : (
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>{column('alert_id')}</TableCell>
              <TableCell>{column('risk_level')}</TableCell>
              <TableCell>{column('policy_tag')}</TableCell>
              <TableCell>{column('escalation_level')}</TableCell>
              <TableCell>{column('state')}</TableCell>
              <TableCell>{column('raised_at')}</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {record.alerts.map((a) => (
              <TableRow key={a.id} data-testid={`task-alert-${a.id}`} data-state={a.state}>
                <TableCell sx={{ fontFamily: 'monospace' }}>
                  <MuiLink component={Link} to={`/alerts/${a.id}/show`}>
                    {a.alert_id}
                  </MuiLink>
                </TableCell>
                <TableCell>{a.risk_level ? <RiskChip level={a.risk_level} /> : '—'}</TableCell>
                <TableCell>{a.policy_tag ? <PolicyTagChip code={a.policy_tag} /> : '—'}</TableCell>
                <TableCell>{escalation(a.escalation_level) || '—'}</TableCell>
                <TableCell>{translate(`resources.tasks.show.alert_states.${a.state}`)}</TableCell>
                <TableCell>{formatInstant(a.raised_at)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </ShowSection>
  );
};
