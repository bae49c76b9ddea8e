import { SelectInput, TextInput } from 'react-admin';
import { LEDGER_KINDS, LEDGER_STATUSES } from '../../server/ledger/schemas.ts';

export const ledgerStatusChoices = LEDGER_STATUSES.map((status) => ({
  id: status,
  name: `resources.ledger.status.${status}`,
}));

export const ledgerKindChoices = LEDGER_KINDS.map((kind) => ({
  id: kind,
  name: `resources.ledger.kind.${kind}`,
}));

export const ledgerFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="status" source="status" choices={ledgerStatusChoices} alwaysOn />,
  <SelectInput key="kind" source="kind" choices={ledgerKindChoices} alwaysOn />,
  <TextInput key="task_id" source="task_id" />,
  <TextInput key="account_id" source="account_id" />,
];
