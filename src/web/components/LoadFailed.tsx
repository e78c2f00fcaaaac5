import { Button, Result } from 'antd';
import { useNavigate } from 'react-router';
import { errorText, isApiError } from '../api/client';

/**
 * A record page that could not load its record: 404 — absent, or hidden from the reader, which is
 * the same to them (R-P1) — or another error, each with the way back to its list.
 */
export function LoadFailed({
  error,
  notFound,
  backTo,
  backLabel,
}: {
  error: unknown;
  /** What the 404 says, e.g. 销毁清册不存在或您无权查看. */
  notFound: string;
  backTo: string;
  backLabel: string;
}) {
  const navigate = useNavigate();
  const missing = isApiError(error) && error.status === 404;
  return (
    <Result
      status={missing ? '404' : 'error'}
      title={missing ? notFound : errorText(error)}
      extra={
        <Button type="primary" onClick={() => navigate(backTo)}>
          {backLabel}
        </Button>
      }
    />
  );
}
