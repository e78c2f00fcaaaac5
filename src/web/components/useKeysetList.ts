import { App } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorText } from '../api/client';
import type { Page } from '../api/platform';

/**
 * A list read page by page with the API's keyset cursors ("加载更多"). `reload(filters)`
 * starts from the first page; `loadMore()` appends the next one. Stale answers (the filters
 * changed while a request ran) are dropped.
 */
export function useKeysetList<T, F>(
  fetchPage: (filters: F, cursor: string | null) => Promise<Page<T>>,
  initialFilters: F,
) {
  const { message } = App.useApp();
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [filters, setFilters] = useState<F>(initialFilters);
  const generation = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;

  const reload = useCallback(
    async (next?: F) => {
      const f = next ?? filters;
      if (next) setFilters(next);
      const gen = ++generation.current;
      setLoading(true);
      try {
        const page = await fetchRef.current(f, null);
        if (gen !== generation.current) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
      } catch (e) {
        if (gen === generation.current) message.error(errorText(e));
      } finally {
        if (gen === generation.current) setLoading(false);
      }
    },
    [filters, message],
  );

  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    const gen = generation.current;
    setLoadingMore(true);
    try {
      const page = await fetchRef.current(filters, nextCursor);
      if (gen !== generation.current) return;
      setItems((prev) => [...prev, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  }, [filters, nextCursor, message]);

  /** Replaces one loaded row after an edit, without reloading the list. */
  const replace = useCallback((match: (item: T) => boolean, item: T) => {
    setItems((prev) => prev.map((x) => (match(x) ? item : x)));
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: first page once, on mount
  useEffect(() => {
    reload(initialFilters);
  }, []);

  return { items, nextCursor, loading, loadingMore, filters, reload, loadMore, replace };
}
