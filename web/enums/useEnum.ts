import { useQuery } from '@tanstack/react-query';
import { useDataProvider, useGetOne } from 'react-admin';
import type { EnumRecord, EnumValueRecord } from '../../server/plan/schemas.ts';
import type { ConsoleDataProvider } from '../dataProvider.ts';
import { useLocalized } from '../i18n/useLocalized.ts';

/** enum tables change rarely (and only through approved proposals): one read serves every picker a while */
const ENUM_STALE_MS = 5 * 60_000;

/** one enum table (GET /api/enums/<name>): its values, deprecated ones included, in the table's order */
export function useEnum(name: string) {
  const { data, isPending, error } = useGetOne<EnumRecord>(
    'enums',
    { id: name },
    { staleTime: ENUM_STALE_MS },
  );
  return { values: data?.values, isPending, error };
}

export interface EnumChoice {
  id: string;
  name: string;
  value: EnumValueRecord;
}

/**
 * The choices a picker offers for an enum: its active values only, labelled in the current locale (policy
 * tags with their code first, as compliance refers to them by code).
 */
export function useEnumChoices(name: string) {
  const { values, isPending, error } = useEnum(name);
  const localized = useLocalized();
  const choices: EnumChoice[] = (values ?? [])
    .filter((value) => value.status === 'active')
    .map((value) => {
      const label = localized(value.label_en, value.label_zh);
      return { id: value.code, name: value.policy_group ? `${value.code} · ${label}` : label, value };
    });
  return { choices, values, isPending, error };
}

/** a code as people read it: its label in the current locale, the code itself when the table lacks it */
export function useEnumLabel(name: string) {
  const { values } = useEnum(name);
  const localized = useLocalized();
  return (code: string | null | undefined) => {
    if (code === null || code === undefined) return '';
    const value = values?.find((v) => v.code === code);
    return value ? localized(value.label_en, value.label_zh) : code;
  };
}

/** events of the last 7 / 30 days per value of an enum, read once a minute at most */
export function useEnumUsage(name: string | undefined) {
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  return useQuery({
    queryKey: ['enums', 'usage', name],
    queryFn: () => dataProvider.enumUsage(name!),
    enabled: name !== undefined,
    staleTime: 60_000,
  });
}
