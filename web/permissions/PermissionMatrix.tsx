import CheckIcon from '@mui/icons-material/Check';
import { Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { alpha, type Theme } from '@mui/material/styles';
import { List, useGetIdentity, useListContext, useTranslate } from 'react-admin';
import type { PermissionRow } from '../../server/auth/schemas.ts';
import { ROLE_CODES } from '../auth/roles.tsx';
import type { ConsoleIdentity } from '../authProvider.ts';

const mine = { bgcolor: (theme: Theme) => alpha(theme.palette.primary.main, 0.1) };

/** rows: the server's permissions; columns: the six roles; the signed-in user's roles highlighted */
const Matrix = () => {
  const translate = useTranslate();
  const { data = [] } = useListContext<PermissionRow>();
  const { identity } = useGetIdentity();
  const myRoles = new Set((identity as ConsoleIdentity | undefined)?.roles ?? []);
  return (
    <>
      <Typography variant="body2" color="text.secondary" sx={{ p: 2 }}>
        {translate('permissions.yours')}
      </Typography>
      <Table size="small" data-testid="permission-matrix">
        <TableHead>
          <TableRow>
            <TableCell>{translate('permissions.permission')}</TableCell>
            {ROLE_CODES.map((role) => (
              <TableCell
                key={role}
                align="center"
                data-testid={`permission-role-${role}`}
                data-mine={myRoles.has(role)}
                sx={myRoles.has(role) ? { ...mine, fontWeight: 'bold' } : undefined}
              >
                {translate(`roles.${role}`)}
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {data.map((row) => (
            <TableRow key={row.id} data-testid={`permission-${row.id}`}>
              <TableCell>
                {translate(`permissions.resources.${row.resource}`, { _: row.resource })}
                {' · '}
                {translate(`permissions.actions.${row.action}`, { _: row.action })}
              </TableCell>
              {ROLE_CODES.map((role) => {
                const allowed = row.roles.includes(role);
                return (
                  <TableCell
                    key={role}
                    align="center"
                    data-testid={`permission-${row.id}-${role}`}
                    data-allowed={allowed}
                    sx={myRoles.has(role) ? mine : undefined}
                  >
                    {allowed ? (
                      <CheckIcon
                        color="success"
                        fontSize="small"
                        titleAccess={translate('permissions.allowed')}
                      />
                    ) : (
                      <Typography
                        component="span"
                        color="text.disabled"
                        aria-label={translate('permissions.not_allowed')}
                      >
                        ·
                      </Typography>
                    )}
                  </TableCell>
                );
              })}
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
};

/** the server's permission matrix (GET /api/permissions), read-only: what every role may do */
export const PermissionMatrix = () => (
  <List title="permissions.title" pagination={false} perPage={100} exporter={false} actions={false}>
    <Matrix />
  </List>
);
