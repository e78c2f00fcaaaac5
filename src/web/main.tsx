import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Lang } from '../common/enums';
import { Root } from './App';
import { setApiLanguage } from './api/client';
import { LangProvider } from './i18n';
import './styles.css';

function applyLanguage(lang: Lang): void {
  setApiLanguage(lang);
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

const container = document.getElementById('root');
if (!container) throw new Error('missing #root');

createRoot(container).render(
  <StrictMode>
    <LangProvider onChange={applyLanguage}>
      <Root />
    </LangProvider>
  </StrictMode>,
);
