import EditNoteIcon from '@mui/icons-material/EditNote';
import { Box, Stack, Typography } from '@mui/material';
import {
  CreateButton,
  FunctionField,
  Pagination,
  ReferenceManyField,
  Show,
  TabbedShowLayout,
  TextField,
  TopToolbar,
  useGetIdentity,
  useRecordContext,
} from 'react-admin';
import type { GovernedEnumRecord } from '../../server/enums/schemas.ts';
import type { EnumValueRecord } from '../../server/plan/schemas.ts';
import type { ConsoleIdentity } from '../authProvider.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { EnumHistory } from './EnumHistory.tsx';
import { GovernanceText } from './EnumList.tsx';
import { EnumValues } from './EnumValues.tsx';
import { mayPropose } from './governance.ts';
import type { ProposalDraft } from './ProposalCreate.tsx';
import { ProposalGrid } from './ProposalList.tsx';

/** whether the signed-in user holds a role that may propose changes to this enum */
function useMayPropose(record: GovernedEnumRecord | undefined) {
  const { identity } = useGetIdentity();
  const roles = (identity as ConsoleIdentity | undefined)?.roles ?? [];
  return record !== undefined && mayPropose(roles, record);
}

/** opens the proposal form prefilled (CreateButton also asks canAccess enum-proposals.create) */
const ProposeButton = ({ draft, label, testId }: { draft: ProposalDraft; label: string; testId: string }) => (
  <CreateButton
    resource="enum-proposals"
    state={{ record: draft }}
    label={label}
    icon={<EditNoteIcon />}
    data-testid={testId}
  />
);

/** the change a value's own row offers: the form opens on it, its current labels and mapping filled in */
const draftFor = (enumName: string, value: EnumValueRecord): ProposalDraft => ({
  enum: enumName,
  value: value.code,
  action: value.status === 'deprecated' ? 'reactivate' : value.policy_group ? 'update_mapping' : 'relabel',
});

const EnumActions = () => {
  const record = useRecordContext<GovernedEnumRecord>();
  const may = useMayPropose(record);
  if (!record || !may) return <TopToolbar />;
  return (
    <TopToolbar>
      <ProposeButton
        draft={{ enum: record.name, action: 'add' }}
        label="enums.propose.add"
        testId="propose-add"
      />
    </TopToolbar>
  );
};

const ValuesTab = () => {
  const record = useRecordContext<GovernedEnumRecord>();
  const may = useMayPropose(record);
  if (!record) return null;
  return (
    <EnumValues
      usage
      action={
        may
          ? (value) => (
              <ProposeButton
                draft={draftFor(record.name, value)}
                label="enums.propose.change"
                testId={`propose-${value.code}`}
              />
            )
          : undefined
      }
    />
  );
};

/**
 * One enum: who governs it, its values (policy_tag's with their risk colours and mapping, each value with its
 * events of the last 7 / 30 days), its history (every version, with what each changed, and the table as it
 * stood at any moment) and the proposals made to it. Those who may propose open the form from here.
 */
export const EnumShow = () => {
  const localized = useLocalized();
  return (
    <Show actions={<EnumActions />}>
      <TabbedShowLayout>
        <TabbedShowLayout.Tab label="enums.tabs.values">
          <FunctionField<GovernedEnumRecord>
            label={false}
            render={(record) => (
              <Stack direction="row" spacing={4} sx={{ flexWrap: 'wrap' }}>
                <Box>
                  <Typography variant="h6" sx={{ fontFamily: 'monospace' }}>
                    {record.name}
                  </Typography>
                  <Typography variant="body2" color="text.secondary">
                    {localized(record.description_en, record.description_zh)}
                  </Typography>
                </Box>
                <Box>
                  <Typography variant="body2">{record.governance.owner_team}</Typography>
                  <GovernanceText record={record} />
                </Box>
              </Stack>
            )}
          />
          <TextField source="version" />
          <ValuesTab />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="enums.tabs.history" path="history">
          <FunctionField<GovernedEnumRecord>
            label={false}
            render={(record) => <EnumHistory name={record.name} />}
          />
        </TabbedShowLayout.Tab>
        <TabbedShowLayout.Tab label="enums.tabs.proposals" path="proposals">
          <ReferenceManyField
            label={false}
            reference="enum-proposals"
            target="enum"
            source="name"
            sort={{ field: 'id', order: 'DESC' }}
            pagination={<Pagination />}
          >
            <ProposalGrid showEnum={false} />
          </ReferenceManyField>
        </TabbedShowLayout.Tab>
      </TabbedShowLayout>
    </Show>
  );
};
