import { FunctionField, NumberField, Show, SimpleShowLayout, TextField } from 'react-admin';
import type { PlanEventRecord } from '../../server/plan/schemas.ts';
import { useLocalized } from '../i18n/useLocalized.ts';
import { Owners } from './Owners.tsx';
import { PlanFields } from './PlanFields.tsx';

export const PlanShow = () => {
  const localized = useLocalized();
  return (
    <Show>
      <SimpleShowLayout>
        <TextField source="name" />
        <FunctionField<PlanEventRecord> source="scene" render={(r) => localized(r.scene_en, r.scene_zh)} />
        <FunctionField<PlanEventRecord>
          source="trigger"
          render={(r) => localized(r.trigger_en, r.trigger_zh)}
        />
        <FunctionField<PlanEventRecord> source="owners" render={(r) => <Owners owners={r.owners} />} />
        <NumberField source="target_valid_pct" />
        <FunctionField<PlanEventRecord> source="fields" render={() => <PlanFields />} />
      </SimpleShowLayout>
    </Show>
  );
};
