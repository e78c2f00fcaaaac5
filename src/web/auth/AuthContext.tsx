import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import type { Me } from '../../common/schemas/platform';
import { type ApiError, isApiError, onApiError, setCsrfToken } from '../api/client';
import { authApi } from '../api/platform';

// The signed-in user for the whole app. Loads GET /auth/me at start; a 401 from any later
// request means the session ended (expired, signed out elsewhere, password reset), so the
// app falls back to the login page and returns to where the user was after signing in again.

export type AuthStatus = 'loading' | 'anonymous' | 'authenticated' | 'error';

interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  /** Why the app is signed out: the server's message when a session ended underneath us. */
  signedOutReason: string | null;
  /** Error that kept /auth/me from answering at start (server down). */
  startError: ApiError | null;
  login: (login: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<Me | null>;
  can: (action: string) => boolean;
}

const AuthContext = createContext<AuthContextValue | null>(null);

const QUIET_PATHS = new Set(['/auth/login', '/auth/me', '/auth/logout']);

// The session cookie is httpOnly, so the page cannot see it. This flag remembers that this
// browser signed in, so that a first visit does not ask GET /auth/me only to be told 401.
const SIGNED_IN_KEY = 'kedang.signedIn';

function rememberSignedIn(on: boolean): void {
  try {
    if (on) localStorage.setItem(SIGNED_IN_KEY, '1');
    else localStorage.removeItem(SIGNED_IN_KEY);
  } catch {
    // Storage unavailable: /auth/me is asked every time.
  }
}

function maybeSignedIn(): boolean {
  try {
    return localStorage.getItem(SIGNED_IN_KEY) !== null;
  } catch {
    return true;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>('loading');
  const [me, setMe] = useState<Me | null>(null);
  const [signedOutReason, setSignedOutReason] = useState<string | null>(null);
  const [startError, setStartError] = useState<ApiError | null>(null);
  const statusRef = useRef(status);
  statusRef.current = status;

  const signOutLocally = useCallback((reason: string | null) => {
    rememberSignedIn(false);
    setCsrfToken(null);
    setMe(null);
    setSignedOutReason(reason);
    setStatus('anonymous');
  }, []);

  const refresh = useCallback(async (): Promise<Me | null> => {
    try {
      const session = await authApi.me();
      rememberSignedIn(true);
      setCsrfToken(session.csrfToken);
      setMe(session.user);
      setStartError(null);
      setStatus('authenticated');
      return session.user;
    } catch (e) {
      if (isApiError(e) && e.status === 401) {
        signOutLocally(null);
        return null;
      }
      if (statusRef.current === 'loading' || statusRef.current === 'error') {
        setStartError(isApiError(e) ? e : null);
        setStatus('error');
      }
      throw e;
    }
  }, [signOutLocally]);

  useEffect(() => {
    if (maybeSignedIn()) refresh().catch(() => {});
    else signOutLocally(null);
  }, [refresh, signOutLocally]);

  useEffect(
    () =>
      onApiError((error, path) => {
        if (QUIET_PATHS.has(path)) return;
        if (error.status === 401 && statusRef.current === 'authenticated') {
          // The login page shows why (expired, signed out elsewhere, password reset).
          signOutLocally(error.title);
        } else if (error.code === 'password_change_required') {
          refresh().catch(() => {});
        }
      }),
    [refresh, signOutLocally],
  );

  const login = useCallback(async (name: string, password: string) => {
    const session = await authApi.login(name, password);
    rememberSignedIn(true);
    setCsrfToken(session.csrfToken);
    setMe(session.user);
    setSignedOutReason(null);
    setStatus('authenticated');
    return session.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await authApi.logout();
    } catch {
      // Signed out already (expired session): nothing to undo on the server.
    }
    signOutLocally(null);
  }, [signOutLocally]);

  const can = useCallback((action: string) => !!me?.permissions.includes(action), [me]);

  const value = useMemo<AuthContextValue>(
    () => ({ status, me, signedOutReason, startError, login, logout, refresh, can }),
    [status, me, signedOutReason, startError, login, logout, refresh, can],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The signed-in user; only for components rendered behind RequireAuth. */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('useMe without a signed-in user');
  return me;
}
