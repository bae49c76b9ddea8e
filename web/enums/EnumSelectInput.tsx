import { SelectInput, type SelectInputProps } from 'react-admin';
import { useEnumChoices } from './useEnum.ts';

/**
 * A picker over the active values of an enum table, labelled in the current locale. It is mounted afresh
 * once the table has loaded: the select's own copy of its choices lags one render behind its props, which
 * would briefly show a preset value (a dialog's default) as out of range.
 */
export const EnumSelectInput = ({ enumName, ...props }: SelectInputProps & { enumName: string }) => {
  const { choices, isPending } = useEnumChoices(enumName);
  return (
    <SelectInput
      key={isPending ? 'loading' : 'loaded'}
      {...props}
      choices={choices}
      isPending={isPending}
      translateChoice={false}
    />
  );
};
