import { App, type FormInstance } from 'antd';
import { useEffect, useState } from 'react';
import { errorText, formErrorText } from '../api/client';

/**
 * A settings page's form: loads the settings once, saves them, shows the server's field errors
 * on the fields and the rest as `error`, and `savedText` when saved.
 */
export function useSettingsForm<T>(
  form: FormInstance<T>,
  load: () => Promise<T>,
  save: (values: T) => Promise<T>,
  savedText: string,
) {
  const { message } = App.useApp();
  const [loaded, setLoaded] = useState<T | null>(null);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: loaded once, when the page opens
  useEffect(() => {
    load()
      .then(setLoaded)
      .catch((e) => setError(errorText(e)));
  }, []);
  const onFinish = async (values: T) => {
    setSaving(true);
    setError(null);
    try {
      setLoaded(await save(values));
      message.success(savedText);
    } catch (e) {
      setError(formErrorText(form, e));
    } finally {
      setSaving(false);
    }
  };
  return { loaded, saving, error, onFinish };
}
