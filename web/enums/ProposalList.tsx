import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import type { MouseEvent } from 'react';
import {
  CreateButton,
  Datagrid,
  DateField,
  FilterButton,
  FunctionField,
  Link,
  List,
  ReferenceInput,
  SelectInput,
  TextField,
  TopToolbar,
  useListContext,
  useTranslate,
} from 'react-admin';
import { ENUM_ACTIONS, type ProposalRecord } from '../../server/enums/schemas.ts';
import { SHANGHAI } from '../events/EventList.tsx';
import { CsvExportButton } from '../layout/CsvExportButton.tsx';
import { ActionChip, ApprovalProgress, ChangeSummary, ProposalStatusChip } from './ProposalChips.tsx';
import { ProposalDecision } from './ProposalDecision.tsx';

export const PROPOSAL_STATUSES = ['pending', 'approved', 'rejected'] as const;

/** the proposals an approver works from, or the ones someone made: each view is one filter flag */
const VIEWS = ['to_approve', 'mine', 'all'] as const;
type View = (typeof VIEWS)[number];

const ViewSwitch = () => {
  const translate = useTranslate();
  const { filterValues, setFilters, displayedFilters } = useListContext();
  const view: View = filterValues.to_approve ? 'to_approve' : filterValues.mine ? 'mine' : 'all';
  const choose = (next: View | null) => {
    if (!next) return;
    const { to_approve: _a, mine: _m, ...rest } = filterValues;
    setFilters(next === 'all' ? rest : { ...rest, [next]: true }, displayedFilters);
  };
  return (
    <ToggleButtonGroup
      exclusive
      size="small"
      value={view}
      onChange={(_, next: View | null) => choose(next)}
      data-testid="proposal-view"
    >
      {VIEWS.map((v) => (
        <ToggleButton key={v} value={v} data-testid={`proposal-view-${v}`}>
          {translate(`enums.proposals.view.${v}`)}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
};

const proposalFilters = [
  <SelectInput
    key="status"
    source="status"
    choices={PROPOSAL_STATUSES.map((s) => ({ id: s, name: `enums.proposal_status.${s}` }))}
    alwaysOn
  />,
  <ReferenceInput key="enum" source="enum" reference="enums" alwaysOn>
    <SelectInput optionText="name" />
  </ReferenceInput>,
  <SelectInput
    key="action"
    source="action"
    choices={ENUM_ACTIONS.map((a) => ({ id: a, name: `enums.action.${a}` }))}
  />,
];

const ProposalListActions = () => (
  <TopToolbar sx={{ alignItems: 'center' }}>
    <ViewSwitch />
    <FilterButton />
    <CreateButton />
    <CsvExportButton />
  </TopToolbar>
);

/** the proposals of a list context: one row each, with Approve / Reject for whoever's approval it awaits */
export const ProposalGrid = ({ showEnum = true }: { showEnum?: boolean }) => (
  <Datagrid
    rowClick="show"
    bulkActionButtons={false}
    rowSx={(r) => ((r as ProposalRecord).status === 'pending' ? { bgcolor: 'rgba(237, 108, 2, 0.06)' } : {})}
  >
    <TextField source="id" />
    {showEnum && (
      <FunctionField<ProposalRecord>
        source="enum"
        render={(r) => (
          <Link
            to={`/enums/${r.enum}/show`}
            onClick={(e: MouseEvent) => e.stopPropagation()}
            style={{ fontFamily: 'monospace' }}
          >
            {r.enum}
          </Link>
        )}
      />
    )}
    <FunctionField<ProposalRecord>
      source="action"
      sortable={false}
      render={(r) => <ActionChip action={r.action} />}
    />
    <TextField source="code" sortable={false} sx={{ fontFamily: 'monospace' }} />
    <FunctionField<ProposalRecord>
      source="changes"
      sortable={false}
      render={(r) => <ChangeSummary proposal={r} />}
    />
    <TextField source="proposed_by" sortable={false} />
    <DateField source="proposed_at" showTime options={SHANGHAI} />
    <FunctionField<ProposalRecord> source="status" render={(r) => <ProposalStatusChip status={r.status} />} />
    <FunctionField<ProposalRecord>
      source="approvals"
      sortable={false}
      render={(r) => <ApprovalProgress proposal={r} />}
    />
    <FunctionField<ProposalRecord>
      label="enums.proposals.decision"
      render={(r) =>
        r.status === 'pending' ? (
          <ProposalDecision proposal={r} />
        ) : r.status === 'rejected' ? (
          r.rejected_by
        ) : (
          `v${r.applied_version}`
        )
      }
    />
  </Datagrid>
);

/**
 * The proposals inbox: those awaiting the signed-in user's approval, their own, or all, filtered by status,
 * enum and action; pending ones tinted, newest first.
 */
export const ProposalList = () => (
  <List
    sort={{ field: 'id', order: 'DESC' }}
    filters={proposalFilters}
    filterDefaultValues={{ status: 'pending' }}
    actions={<ProposalListActions />}
    perPage={25}
  >
    <ProposalGrid />
  </List>
);
