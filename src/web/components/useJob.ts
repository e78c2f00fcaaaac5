import { App } from 'antd';
import { useEffect, useRef, useState } from 'react';
import type { Job } from '../../common/schemas/jobs';
import { errorText, isApiError } from '../api/client';
import { jobsApi } from '../api/customers';

export const running = (job: Job | null) => !job || job.status === 'queued' || job.status === 'running';

/** Polls GET /jobs/:id every second while the job is queued or running. */
export function useJob(id: string | null) {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setJob(null);
    setError(null);
    if (!id) return;
    let live = true;
    let timer: number | undefined;
    const tick = async () => {
      try {
        const j = await jobsApi.get(id);
        if (!live) return;
        setJob(j);
        if (running(j)) timer = window.setTimeout(tick, 1000);
      } catch (e) {
        if (!live) return;
        // A passing network problem: try again; a missing job: stop.
        if (isApiError(e) && (e.status === 0 || e.status >= 500)) timer = window.setTimeout(tick, 2000);
        else setError(e);
      }
    };
    tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id]);
  return { job, error };
}

/**
 * A background job a button starts: `start(queue)` queues it and follows it; `busy` and
 * `percent` drive the button and the progress bar; `onFinished` runs once it has ended.
 */
export function useStartedJob(onFinished: (job: Job) => void) {
  const { message } = App.useApp();
  const [jobId, setJobId] = useState<string | null>(null);
  const { job } = useJob(jobId);
  const finished = useRef(onFinished);
  finished.current = onFinished;
  useEffect(() => {
    if (job && !running(job)) {
      setJobId(null);
      finished.current(job);
    }
  }, [job]);
  const start = async (queue: () => Promise<{ job: Job }>) => {
    try {
      setJobId((await queue()).job.id);
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const percent = job?.progress.total ? Math.round((job.progress.done / job.progress.total) * 100) : 0;
  return { busy: !!jobId, percent, start };
}
