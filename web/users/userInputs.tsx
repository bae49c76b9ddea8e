import { type InputProps, SelectArrayInput, SelectInput } from 'react-admin';
import { roleChoices, teamChoices } from '../auth/roles.tsx';

/** the server refuses an engineer without a team (422); say so before sending */
export const teamRequiredForEngineer = (team: unknown, values: { roles?: unknown }) =>
  Array.isArray(values.roles) && values.roles.includes('engineer') && !team
    ? 'users.team_required'
    : undefined;

export const RolesInput = (props: Omit<InputProps, 'source'>) => (
  <SelectArrayInput source="roles" choices={roleChoices} {...props} />
);

export const TeamInput = (props: Omit<InputProps, 'source'>) => (
  <SelectInput
    source="team"
    choices={teamChoices}
    emptyText="users.no_team"
    validate={teamRequiredForEngineer}
    {...props}
  />
);
