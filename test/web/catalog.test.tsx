import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { TRACKING_PLAN } from '../../db/plan.ts';
import { renderApp } from './helpers.tsx';

describe('tracking plan', () => {
  it('lists the 12 events of the plan with their owners, target and field count', async () => {
    renderApp('#/tracking-plan');
    const first = await screen.findByText('landing_view');
    const body = first.closest('tbody') as HTMLElement;
    const rows = within(body).getAllByRole('row');
    expect(rows).toHaveLength(12);
    expect(rows.map((row) => within(row).getAllByRole('cell')[2]?.textContent)).toEqual(
      TRACKING_PLAN.map((e) => e.name),
    );
    const approved = screen.getByText('license_approved').closest('tr') as HTMLElement;
    expect(approved).toHaveTextContent('Licence review approved');
    expect(approved).toHaveTextContent('platform-integration');
    expect(approved).toHaveTextContent('99.5');
  });

  it('expands an event to its fields, with the enum link and when null is allowed', async () => {
    renderApp('#/tracking-plan');
    await userEvent.click(await screen.findByText('license_approved'));
    const maxRuns = await screen.findByTestId('plan-field-max_runs');
    expect(maxRuns).toHaveTextContent('unless expiry_type = run_limited');
    const expiry = screen.getByTestId('plan-field-expiry_type');
    expect(within(expiry).getByRole('link', { name: 'expiry_type' })).toHaveAttribute(
      'href',
      '#/enums/expiry_type/show',
    );
    expect(within(screen.getByTestId('plan-field-account_id')).getByText('Sensitive')).toBeInTheDocument();
  });
});

describe('enums', () => {
  it('shows the policy_tag values with their group, risk colour, default action and minimum escalation', async () => {
    renderApp('#/enums/policy_tag/show');
    const d3 = await screen.findByTestId('enum-value-D3');
    expect(d3).toHaveTextContent('Regulatory escalation');
    expect(d3).toHaveTextContent('escalate_review');
    expect(d3).toHaveTextContent('compliance_committee');
    expect(within(d3).getByTestId('risk-high')).toHaveClass('MuiChip-colorError');
    expect(within(screen.getByTestId('enum-value-A2')).getByTestId('risk-medium')).toHaveClass(
      'MuiChip-colorWarning',
    );
    expect(within(screen.getByTestId('enum-value-A1')).getByTestId('risk-low')).toHaveClass(
      'MuiChip-colorSuccess',
    );
  });
});
