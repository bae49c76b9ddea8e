import { useLocaleState } from 'react-admin';

/** picks the English or the Chinese text of a record that carries both (scene_en / scene_zh …) */
export function useLocalized() {
  const [locale] = useLocaleState();
  return (en: string, zh: string) => (locale === 'zh' ? zh : en);
}
