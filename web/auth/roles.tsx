import { Chip, Stack } from '@mui/material';
import { useTranslate } from 'react-admin';
import { roleSchema } from '../../server/auth/schemas.ts';
import { writeKeyCreateSchema } from '../../server/write-keys/schemas.ts';

/** the six roles of SPEC.md §1, in the server's order */
export const ROLE_CODES = roleSchema.options;

export const roleChoices = ROLE_CODES.map((role) => ({ id: role, name: `roles.${role}` }));

/** the source teams: whose events an engineer reads, and whose traffic a write key sends */
export const teamChoices = writeKeyCreateSchema.shape.source.options.map((team) => ({
  id: team,
  name: team,
}));

export const RoleChips = ({ roles }: { roles: readonly string[] }) => {
  const translate = useTranslate();
  return (
    <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
      {roles.map((role) => (
        <Chip
          key={role}
          size="small"
          variant="outlined"
          data-testid={`role-${role}`}
          label={translate(`roles.${role}`, { _: role })}
        />
      ))}
    </Stack>
  );
};
