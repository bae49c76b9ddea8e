import { BooleanField, FunctionField, Show, SimpleShowLayout, TextField } from 'react-admin';
import type { EnumRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { EnumValues } from './EnumValues.tsx';

export const EnumShow = () => {
  const localized = useLocalized();
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <TextField source="owner" />
        <FunctionField<EnumRecord>
          source="description"
          render={(record) => localized(record.description_en, record.description_zh)}
        />
        <BooleanField source="console_defined" />
        <FunctionField<EnumRecord> source="values" render={() => <EnumValues />} />
      </SimpleShowLayout>
    </Show>
  );
};
