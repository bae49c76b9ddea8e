import { Box } from '@mui/material';
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
import type { LedgerEntry } from '../../server/ledger/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { PolicyTagChip } from '../licenses/LicenseChips.tsx';
import { ledgerPath, taskPath } from './format.ts';
import { LedgerAmount, LedgerKindLabel, LedgerStatusChip } from './LedgerChips.tsx';
import { LedgerDecision } from './LedgerDecision.tsx';

const DecisionActions = () => {
  const record = useRecordContext<LedgerEntry>();
  return <TopToolbar>{record && <LedgerDecision entry={record} />}</TopToolbar>;
};

/** one ledger entry: what, for which task, who asked and why, and who decided it */
export const LedgerShow = () => (
  <Show actions={<DecisionActions />}>
    <LedgerDetails />
  </Show>
);

const LedgerDetails = () => {
  const record = useRecordContext<LedgerEntry>();
  const translate = useTranslate();
  if (!record) return null;
  return (
    <SimpleShowLayout>
      <FunctionField<LedgerEntry>
        source="id"
        render={(r) => <span style={{ fontFamily: 'monospace' }}>{r.id}</span>}
      />
      <FunctionField<LedgerEntry> source="status" render={(r) => <LedgerStatusChip status={r.status} />} />
      <FunctionField<LedgerEntry> source="kind" render={(r) => <LedgerKindLabel kind={r.kind} />} />
      <FunctionField<LedgerEntry>
        source="amount"
        render={(r) => <LedgerAmount amount={r.amount} struck={r.status === 'rejected'} />}
      />
      <FunctionField<LedgerEntry>
        source="task_id"
        render={(r) => (
          <Link to={taskPath(r.task_id)} style={{ fontFamily: 'monospace' }} data-testid="ledger-show-task">
            {r.task_id}
          </Link>
        )}
      />
      <FunctionField<LedgerEntry>
        source="account_id"
        render={(r) => (
          <Box component="span" sx={{ fontFamily: 'monospace', wordBreak: 'break-all' }}>
            {r.account_id ?? '—'}
          </Box>
        )}
      />
      <FunctionField<LedgerEntry>
        source="policy_tag"
        render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
      />
      <TextField source="reason" emptyText="—" sx={{ whiteSpace: 'pre-wrap' }} />
      <TextField source="created_by" />
      <DateField source="created_at" showTime options={SHANGHAI} />
      {record.reverses !== null && (
        <FunctionField<LedgerEntry>
          source="reverses"
          render={(r) => (
            <Link to={ledgerPath(r.reverses ?? '')} style={{ fontFamily: 'monospace' }}>
              {r.reverses}
            </Link>
          )}
        />
      )}
      {record.source_event_pk !== null && (
        <FunctionField<LedgerEntry>
          source="source_event_pk"
          render={(r) => (
            <Link to={`/events/${r.source_event_pk}/show`}>
              {translate('resources.ledger.show.source_event', { id: r.source_event_pk })}
            </Link>
          )}
        />
      )}
      {record.decided_by !== null && <TextField source="decided_by" />}
      {record.decided_at !== null && <DateField source="decided_at" showTime options={SHANGHAI} />}
      {record.decision_note !== null && <TextField source="decision_note" sx={{ whiteSpace: 'pre-wrap' }} />}
    </SimpleShowLayout>
  );
};
