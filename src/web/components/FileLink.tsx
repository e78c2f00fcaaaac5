import { App, Button, type ButtonProps } from 'antd';
import { type MouseEvent, useState } from 'react';
import { errorText, fetchFile } from '../api/client';

/**
 * Fetches a file the API serves and saves it under the server's name; a refusal throws the
 * server's message (for menus, which cannot hold a FileLink).
 */
export async function downloadFile(href: string): Promise<void> {
  const { blob, name } = await fetchFile(href);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name ?? '';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * A link to a file the API serves — a download, a stamped copy, an export, or (`inline`) a
 * preview in a new tab. It stays a link (it can be copied or opened elsewhere), but a click
 * fetches the file first, so that a refusal or a missing file shows the server's message in the
 * reader's language instead of the raw problem+json a plain link would open.
 */
export function FileLink({
  href,
  inline = false,
  children,
  ...button
}: Omit<ButtonProps, 'href' | 'onClick'> & { href: string; inline?: boolean }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const open = async (e: MouseEvent) => {
    e.preventDefault();
    // Opened now, while the click counts, so that no pop-up blocker stops it; filled below.
    const tab = inline ? window.open('', '_blank') : null;
    setBusy(true);
    try {
      const { blob, name } = await fetchFile(href);
      const url = URL.createObjectURL(blob);
      if (tab) tab.location.href = url;
      else {
        const a = document.createElement('a');
        a.href = url;
        a.download = name ?? '';
        document.body.append(a);
        a.click();
        a.remove();
      }
      // The tab or the download has the content by then.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (err) {
      tab?.close();
      message.error(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button {...button} href={href} loading={busy} onClick={open}>
      {children}
    </Button>
  );
}
