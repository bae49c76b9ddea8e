import { Datagrid, FunctionField, List, NumberField, ShowButton, TextField } from 'react-admin';
import type { PlanEventRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { CsvListActions } from '../layout/CsvExportButton.tsx';
import { Owners } from './Owners.tsx';
import { PlanFields } from './PlanFields.tsx';

/** the twelve events of the Phase 1 tracking plan; a row expands to its fields */
export const PlanList = () => {
  const localized = useLocalized();
  return (
    <List
      sort={{ field: 'position', order: 'ASC' }}
      perPage={100}
      pagination={false}
      actions={<CsvListActions />}
    >
      <Datagrid rowClick="expand" expand={<PlanFields />} bulkActionButtons={false}>
        <NumberField source="position" />
        <TextField source="name" />
        <FunctionField<PlanEventRecord>
          source="scene"
          sortable={false}
          render={(record) => localized(record.scene_en, record.scene_zh)}
        />
        <FunctionField<PlanEventRecord>
          source="owners"
          sortable={false}
          render={(record) => <Owners owners={record.owners} />}
        />
        <NumberField source="target_valid_pct" />
        <FunctionField<PlanEventRecord>
          source="fields"
          sortable={false}
          render={(record) => record.fields.length}
        />
        <ShowButton />
      </Datagrid>
    </List>
  );
};
