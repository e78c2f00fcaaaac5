import { afterEach } from 'vitest';
import { openBrowsers } from './support.js';

// When a step fails on CI the screenshots are gone with the clone: print what the page showed
// (its address, the visible text and any console errors) into the log instead.
afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail') return;
  for (const b of openBrowsers) {
    const text = await b.page
      .locator('body')
      .innerText({ timeout: 2000 })
      .catch((e: unknown) => `(page unreadable: ${String(e)})`);
    console.error(
      `--- page at failure: ${b.page.url()}\n${text.slice(0, 6000)}\n--- problems: ${b.problems.join(' | ') || 'none'}`,
    );
  }
});
