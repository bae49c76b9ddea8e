import { BooleanField, Datagrid, FunctionField, List, ShowButton, TextField } from 'react-admin';
import type { EnumRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { EnumValues } from './EnumValues.tsx';

/** every enum the plan validates against; a row expands to its values */
export const EnumList = () => {
  const localized = useLocalized();
  return (
    <List sort={{ field: 'name', order: 'ASC' }} perPage={100} pagination={false}>
      <Datagrid rowClick="expand" expand={<EnumValues />} bulkActionButtons={false}>
        <TextField source="name" />
        <TextField source="owner" />
        <FunctionField<EnumRecord>
          source="description"
          sortable={false}
          render={(record) => localized(record.description_en, record.description_zh)}
        />
        <BooleanField source="console_defined" />
        <FunctionField<EnumRecord>
          source="values"
          sortable={false}
          render={(record) => record.values.length}
        />
        <ShowButton />
      </Datagrid>
    </List>
  );
};
