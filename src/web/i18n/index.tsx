import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';
import type { Label, Lang } from '../../common/enums';
import { en } from './en';
import { type MessageKey, zh } from './zh';

export type { MessageKey };
export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Lang, Record<MessageKey, string>> = { zh, en };
const STORAGE_KEY = 'kedang.lang';

/** The language chosen earlier in this browser; Chinese unless English was picked. */
export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

function interpolate(text: string, params?: Record<string, string | number>): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, k: string) => (k in params ? String(params[k]) : whole));
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  return interpolate(DICTIONARIES[lang][key], params);
}

interface LangContextValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangContextValue>({ lang: 'zh', setLang: () => {} });

export function LangProvider({
  children,
  onChange,
}: {
  children: ReactNode;
  /** Called before re-rendering, so that dayjs and the API client follow the new language. */
  onChange: (lang: Lang) => void;
}) {
  const [lang, setLangState] = useState<Lang>(() => {
    const initial = storedLang();
    onChange(initial);
    return initial;
  });
  const setLang = useCallback(
    (next: Lang) => {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        // Private mode: the choice lasts for this page only.
      }
      onChange(next);
      setLangState(next);
    },
    [onChange],
  );
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangContextValue {
  return useContext(LangContext);
}

/** `t('users.title')`, `t('common.allLoaded', { count: 3 })`. */
export function useT(): Translate {
  const { lang } = useContext(LangContext);
  return useCallback<Translate>((key, params) => translate(lang, key, params), [lang]);
}

/** Picks the reader's language from a `{ zh, en }` label of src/common. */
export function useLabel(): (l: Label | undefined, fallback?: string) => string {
  const { lang } = useContext(LangContext);
  return useCallback((l, fallback = '') => (l ? l[lang] : fallback), [lang]);
}
