/**
 * @module session
 * Who is signed in. On start the app asks GET /auth/me; any later 401 (the
 * session expired or was revoked) drops the app back to the sign-in page
 * with a note saying why, and brings the admin back to where they were.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useState } from 'react';
import { ApiError, api, onUnauthorized } from './api/client.ts';
import type { Session } from './api/types.ts';

export type SignedOutReason = 'expired' | 'signed-out' | null;

interface SessionState {
  session: Session | null;
  /** True until GET /auth/me answered. */
  checking: boolean;
  /** Set when the app fell back to sign-in on its own. */
  reason: SignedOutReason;
  startupError: Error | null;
  signedIn: (s: Session) => void;
  signOut: () => Promise<void>;
  retry: () => void;
}

const Ctx = createContext<SessionState | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [checking, setChecking] = useState(true);
  const [reason, setReason] = useState<SignedOutReason>(null);
  const [startupError, setStartupError] = useState<Error | null>(null);
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` is the retry trigger.
  useEffect(() => {
    let live = true;
    setChecking(true);
    api<Session>('/auth/me', { quietUnauthorized: true })
      .then((s) => {
        if (!live) return;
        setSession(s);
        setStartupError(null);
      })
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 401) setSession(null);
        else setStartupError(e as Error);
      })
      .finally(() => live && setChecking(false));
    return () => {
      live = false;
    };
  }, [attempt]);

  useEffect(
    () =>
      onUnauthorized(() => {
        setSession((s) => {
          if (s) setReason('expired');
          return null;
        });
      }),
    [],
  );

  const signedIn = useCallback((s: Session) => {
    setReason(null);
    setSession(s);
  }, []);

  const signOut = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST', quietUnauthorized: true });
    } catch {
      // Signing out locally is what matters; the server's session expires anyway.
    }
    setReason('signed-out');
    setSession(null);
  }, []);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);

  return (
    <Ctx.Provider value={{ session, checking, reason, startupError, signedIn, signOut, retry }}>
      {children}
    </Ctx.Provider>
  );
}

export function useSession(): SessionState {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/**
 * Whether the signed-in user may change anything: a viewer reads only, so the
 * dashboard shows a viewer no button the API would refuse.
 */
export function useCanEdit(): boolean {
  return useSignedIn().user.role !== 'viewer';
}

/** The signed-in session; only for components rendered behind the sign-in gate. */
export function useSignedIn(): Session {
  const s = useSession().session;
  if (!s) throw new Error('useSignedIn without a session');
  return s;
}
