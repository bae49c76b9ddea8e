import { useState } from 'react';
import {
  Datagrid,
  DatagridBody,
  DatagridRow,
  type DatagridRowProps,
  DateField,
  FilterButton,
  FunctionField,
  List,
  SortButton,
  TextField,
  TopToolbar,
  useCanAccess,
} from 'react-admin';
import type { LicenseRecord } from '../../server/licenses/schemas.ts';
import { useEnumLabel } from '../enums/useEnum.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvExportButton } from '../layout/CsvExportButton.tsx';
import {
  type BulkOutcome,
  BulkOutcomeContext,
  BulkOutcomeDialog,
  LicenseBulkActions,
} from './BulkDecision.tsx';
import { FastTrackChip, LicenseStatusChip, PolicyTagChip, SlaAge } from './LicenseChips.tsx';
import { LicenseFilterSidebar } from './LicenseFilterSidebar.tsx';
import { licenseFilterDefaults, licenseFilters } from './licenseFilters.tsx';

/** each row is `license-row-<id>` for end-to-end tests */
const LicenseRow = (props: DatagridRowProps) => (
  <DatagridRow {...props} data-testid={`license-row-${props.id}`} />
);

const LicenseListActions = () => (
  <TopToolbar>
    <SortButton fields={['queue', 'applied_at', 'id', 'status']} />
    <FilterButton />
    <CsvExportButton />
  </TopToolbar>
);

/**
 * The review queue: pending applications first, fast-track first among them, the oldest first (the
 * server's `queue` order); SLA age coloured against each track's target. Reviewers select applications to
 * approve or reject several at once.
 */
export const LicenseList = () => {
  const personaLabel = useEnumLabel('persona_tag');
  const { canAccess: canDecide } = useCanAccess({ resource: 'licenses', action: 'approve' });
  const [outcome, setOutcome] = useState<BulkOutcome | null>(null);
  return (
    <BulkOutcomeContext.Provider value={setOutcome}>
      <List
        sort={{ field: 'queue', order: 'ASC' }}
        filters={licenseFilters}
        filterDefaultValues={licenseFilterDefaults}
        actions={<LicenseListActions />}
        aside={<LicenseFilterSidebar />}
        perPage={25}
      >
        <Datagrid
          rowClick="show"
          body={<DatagridBody row={<LicenseRow />} />}
          bulkActionButtons={canDecide ? <LicenseBulkActions /> : false}
        >
          <TextField source="license_id" sortBy="id" />
          <TextField source="template_id" sortable={false} emptyText="—" />
          <FunctionField<LicenseRecord>
            source="account_id"
            sortable={false}
            render={(r) => (
              <span style={{ fontFamily: 'monospace' }} title={r.account_id ?? undefined}>
                {r.account_id && r.account_id.length > 14
                  ? `${r.account_id.slice(0, 12)}…`
                  : (r.account_id ?? '—')}
              </span>
            )}
          />
          <FunctionField<LicenseRecord>
            source="persona_tag"
            sortable={false}
            render={(r) => personaLabel(r.persona_tag) || '—'}
          />
          <FunctionField<LicenseRecord>
            source="policy_tag"
            sortable={false}
            render={(r) => (r.policy_tag ? <PolicyTagChip code={r.policy_tag} /> : '—')}
          />
          <FunctionField<LicenseRecord>
            source="is_fast_track"
            sortable={false}
            render={(r) => (r.is_fast_track ? <FastTrackChip /> : null)}
          />
          <DateField source="applied_at" showTime options={SHANGHAI} />
          <FunctionField<LicenseRecord>
            source="age_hours"
            sortable={false}
            render={(r) => <SlaAge license={r} />}
          />
          <FunctionField<LicenseRecord>
            source="status"
            render={(r) => <LicenseStatusChip status={r.status} />}
          />
        </Datagrid>
      </List>
      <BulkOutcomeDialog outcome={outcome} onClose={() => setOutcome(null)} />
    </BulkOutcomeContext.Provider>
  );
};
