import { BooleanField, Datagrid, FunctionField, List, SelectInput, TextField, TextInput } from 'react-admin';
import type { UserRecord } from '../../server/users/schemas.ts';
import { RoleChips, roleChoices } from '../auth/roles.tsx';
import { CsvListActions } from '../layout/CsvExportButton.tsx';

const userFilters = [
  <TextInput key="q" source="q" alwaysOn />,
  <SelectInput key="role" source="role" choices={roleChoices} alwaysOn />,
];

/** the console's users and their roles (admins only) */
export const UserList = () => (
  <List filters={userFilters} sort={{ field: 'username', order: 'ASC' }} actions={<CsvListActions />}>
    <Datagrid rowClick="edit" bulkActionButtons={false}>
      <TextField source="username" />
      <TextField source="display_name" />
      <FunctionField<UserRecord>
        source="roles"
        sortable={false}
        render={(record) => <RoleChips roles={record.roles} />}
      />
      <TextField source="team" sortable={false} />
      <BooleanField source="disabled" sortable={false} />
    </Datagrid>
  </List>
);
