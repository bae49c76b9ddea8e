import polyglotI18nProvider from 'ra-i18n-polyglot';
import { en } from './en.ts';

/** English by default; Chinese is loaded the first time someone switches to it */
export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'zh' ? import('./zh.ts').then((m) => m.zh) : en),
  'en',
  [
    { locale: 'en', name: 'English' },
    { locale: 'zh', name: '中文' },
  ],
);
