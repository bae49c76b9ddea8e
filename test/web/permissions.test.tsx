import { screen, within } from '@testing-library/react';
import { PERMISSIONS } from '../../server/auth/permissions.ts';
import { renderApp } from './helpers.tsx';

describe('permission matrix', () => {
  it('shows every permission against the six roles, with the signed-in user’s role highlighted', async () => {
    renderApp('#/permissions', { as: 'engineer' });
    const sensitive = await screen.findByTestId('permission-sensitive:read');
    expect(sensitive).toHaveTextContent('Sensitive fields · Read');

    const analyst = within(sensitive).getByTestId('permission-sensitive:read-data_analyst');
    expect(analyst).toHaveAttribute('data-allowed', 'true');
    expect(within(analyst).getByTitle('Allowed')).toBeInTheDocument();
    const engineer = within(sensitive).getByTestId('permission-sensitive:read-engineer');
    expect(engineer).toHaveAttribute('data-allowed', 'false');
    expect(within(engineer).queryByTitle('Allowed')).not.toBeInTheDocument();

    const matrix = screen.getByTestId('permission-matrix');
    expect(within(matrix).getAllByRole('row')).toHaveLength(Object.keys(PERMISSIONS).length + 1);
    expect(within(matrix).getByRole('columnheader', { name: 'Compliance reviewer' })).toBeInTheDocument();
    expect(screen.getByTestId('permission-role-engineer')).toHaveAttribute('data-mine', 'true');
    expect(screen.getByTestId('permission-role-admin')).toHaveAttribute('data-mine', 'false');
    expect(screen.getByTestId('permission-users:write-admin')).toHaveAttribute('data-allowed', 'true');
    expect(screen.getByTestId('permission-users:write-engineer')).toHaveAttribute('data-allowed', 'false');
  });
});
