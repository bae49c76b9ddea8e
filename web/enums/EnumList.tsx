import { Stack, Typography } from '@mui/material';
import { Datagrid, FunctionField, List, ShowButton, TextField, useTranslate } from 'react-admin';
import type { GovernedEnumRecord } from '../../server/enums/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { CsvListActions } from '../layout/CsvExportButton.tsx';
import { EnumValues } from './EnumValues.tsx';
import { useEnumUsage } from './useEnum.ts';

/** who proposes and who approves changes to an enum, in the reader's words */
export const GovernanceText = ({ record }: { record: GovernedEnumRecord }) => {
  const translate = useTranslate();
  // compact: any one of the proposer roles (", "), each of the approver roles ("+")
  const roles = (list: readonly string[], joiner: string) =>
    list.map((r) => translate(`roles.${r}`, { _: r })).join(joiner);
  return (
    <Stack data-testid={`governance-${record.name}`}>
      <Typography variant="body2">
        {translate('enums.governance.proposed_by', {
          roles: roles(record.governance.propose_roles, ', '),
        })}
      </Typography>
      <Typography variant="body2" color="text.secondary">
        {translate('enums.governance.approved_by', {
          roles: roles(record.governance.approve_roles, ' + '),
        })}
      </Typography>
    </Stack>
  );
};

/** the events of the last 7 / 30 days carrying any value of the enum */
const UsageTotal = ({ name, days }: { name: string; days: 7 | 30 }) => {
  const { data, isError } = useEnumUsage(name);
  if (isError) return <>—</>;
  if (!data) return <>…</>;
  const total = data.values.reduce((sum, v) => sum + (days === 7 ? v.last_7d : v.last_30d), 0);
  return <span data-testid={`usage-total-${days}d-${name}`}>{total.toLocaleString()}</span>;
};

/**
 * Every enum the plan validates against, with its owner team, who proposes and approves its changes, its
 * table version and how much the stored events used it; a row expands to its values with their counts.
 */
export const EnumList = () => {
  const localized = useLocalized();
  return (
    <List
      sort={{ field: 'name', order: 'ASC' }}
      perPage={100}
      pagination={false}
      actions={<CsvListActions />}
    >
      <Datagrid
        rowClick="expand"
        expand={<EnumValues usage />}
        bulkActionButtons={false}
        rowSx={() => ({ verticalAlign: 'top' })}
      >
        <TextField source="name" sx={{ fontFamily: 'monospace' }} />
        <FunctionField<GovernedEnumRecord> source="owner" render={(record) => record.governance.owner_team} />
        <FunctionField<GovernedEnumRecord>
          source="governance"
          sortable={false}
          render={(record) => <GovernanceText record={record} />}
        />
        <FunctionField<GovernedEnumRecord>
          source="description"
          sortable={false}
          render={(record) => localized(record.description_en, record.description_zh)}
        />
        <FunctionField<GovernedEnumRecord>
          source="values"
          sortable={false}
          textAlign="right"
          render={(record) => {
            const active = record.values.filter((v) => v.status === 'active').length;
            return active === record.values.length ? active : `${active} / ${record.values.length}`;
          }}
        />
        <TextField source="version" sortable={false} textAlign="right" />
        <FunctionField<GovernedEnumRecord>
          source="usage_7d"
          sortable={false}
          textAlign="right"
          render={(record) => <UsageTotal name={record.name} days={7} />}
        />
        <FunctionField<GovernedEnumRecord>
          source="usage_30d"
          sortable={false}
          textAlign="right"
          render={(record) => <UsageTotal name={record.name} days={30} />}
        />
        <ShowButton />
      </Datagrid>
    </List>
  );
};
