import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { en } from '../../web/i18n/en.ts';
import { zh } from '../../web/i18n/zh.ts';
import { renderApp } from './helpers.tsx';

/** every leaf of a messages object, as dotted keys */
function leaves(messages: object, prefix = ''): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object')
      for (const entry of leaves(value, path)) found.set(...entry);
    else found.set(path, value);
  }
  return found;
}

describe('translations', () => {
  it('has a Chinese string for every English key, react-admin keys included, and no other', () => {
    const english = leaves(en);
    const chinese = leaves(zh);
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
    expect(english.has('ra.action.add_filter')).toBe(true);
    const placeholders = (text: unknown) =>
      String(text)
        .match(/%\{\w+\}/g)
        ?.sort() ?? [];
    for (const [key, value] of chinese) {
      expect(typeof value, key).toBe('string');
      // ra.boolean.null is a blank on purpose in both languages
      if (key !== 'ra.boolean.null') expect(String(value).trim(), key).not.toBe('');
      // Chinese has one plural form where English has two, so it may use fewer of the variables, never others
      expect(placeholders(english.get(key)), key).toEqual(expect.arrayContaining(placeholders(value)));
    }
  });

  it('switches the console to Chinese from the locale menu', async () => {
    const user = userEvent.setup();
    renderApp('#/tracking-plan');
    await screen.findByText('landing_view');
    expect(screen.getByText('User visits the first screen')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(await screen.findByRole('menuitem', { name: '中文' }));

    expect(await screen.findByText('用户访问首屏')).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: '完整性' })).toBeInTheDocument();
    expect(screen.getByRole('menuitem', { name: '埋点方案' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '负责人' })).toBeInTheDocument();
  });
});
