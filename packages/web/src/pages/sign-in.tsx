/**
 * @module pages/sign-in
 * The sign-in form. Says plainly why the admin is here (session expired,
 * signed out), and what went wrong: wrong email or password, or too many
 * attempts (with the wait the server asked for, counting down). When the
 * organisation signs in with its identity provider, offers "Sign in with …";
 * the password form stays for break-glass unless the organisation turned it off.
 */
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ApiError, api } from '../api/client.ts';
import type { Session } from '../api/types.ts';
import { InputField } from '../components/fields.tsx';
import { Logo } from '../components/logo.tsx';
import { Notice } from '../components/notice.tsx';
import { useSso } from '../lib/use-sso.ts';
import { useSession } from '../session.tsx';

/** The notices sit a little below the greeting. */
const SPACED = { marginTop: 14 };

function waitWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}

export function SignInPage() {
  const { signedIn, reason } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ title: string; text: string } | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const [, setTick] = useState(0);
  const passwordInput = useRef<HTMLInputElement>(null);
  const sso = useSso(email);

  // A single sign-on that failed comes back here with the server's reason (http/routes/sso.ts).
  const [ssoError] = useState(() => new URLSearchParams(window.location.search).get('sso_error'));
  useEffect(() => {
    document.title = 'Sign in · netinsights';
    if (ssoError) window.history.replaceState(null, '', window.location.pathname);
  }, [ssoError]);
  useEffect(() => {
    if (!lockedUntil) return;
    const t = setInterval(() => {
      if (Date.now() >= lockedUntil) setLockedUntil(null);
      setTick((x) => x + 1);
    }, 1000);
    return () => clearInterval(t);
  }, [lockedUntil]);

  const remaining = lockedUntil ? Math.max(0, Math.ceil((lockedUntil - Date.now()) / 1000)) : 0;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<Session>('/auth/login', {
        method: 'POST',
        body: { email: email.trim(), password },
        quietUnauthorized: true,
      });
      signedIn(s);
    } catch (err) {
      const a = err instanceof ApiError ? err : null;
      if (a?.status === 403) setError({ title: 'Cannot sign in with a password', text: a.message });
      else if (a?.status === 401)
        setError({
          title: 'Wrong email or password',
          text: 'Check both and try again. After several failed attempts sign-in pauses for a while.',
        });
      else if (a?.status === 429) {
        const wait = a.retryAfter ?? 60;
        setLockedUntil(Date.now() + wait * 1000);
        setError({
          title: 'Too many attempts',
          text: `Sign-in for this account is paused to protect it. Try again in ${waitWords(wait)}.`,
        });
      } else if (a?.status === 422 || a?.status === 400)
        setError({ title: 'Check the form', text: a.message });
      else
        setError({
          title: 'Cannot sign in right now',
          text: (err as Error).message ?? 'The server did not answer.',
        });
      setPassword('');
      // Keyboard users land back where they retype.
      passwordInput.current?.focus();
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="signin-wrap">
      <main className="card signin">
        <Logo />
        <h1>Sign in</h1>
        <p className="muted">Network insights for your Microsoft 365 offices.</p>
        {reason === 'expired' && !error && (
          <Notice tone="info" role="status" style={SPACED}>
            <strong>Your session has ended</strong>
            Sessions expire after a period of inactivity. Sign in again to continue where you left off.
          </Notice>
        )}
        {reason === 'signed-out' && !error && (
          <Notice tone="ok" role="status" style={SPACED}>
            You are signed out.
          </Notice>
        )}
        {ssoError && !error && (
          <Notice tone="error" role="alert" style={SPACED} testId="sso-error">
            <strong>Single sign-on did not work</strong>
            {`The server says: ${ssoError}. Start again, or sign in with your password if your organisation allows it.`}
          </Notice>
        )}
        {error && (
          <Notice tone="error" role="alert" style={SPACED} testId="signin-error">
            <strong>{error.title}</strong>
            {lockedUntil && remaining > 0
              ? `Sign-in for this account is paused to protect it. Try again in ${waitWords(remaining)}.`
              : error.text}
          </Notice>
        )}
        {sso && (
          <div className="stack" style={SPACED}>
            <button type="button" className="primary" onClick={() => window.location.assign(sso.startUrl)}>
              Sign in with {sso.label}
            </button>
            {sso.passwordsEnabled && <p className="muted small">Or with your password:</p>}
          </div>
        )}
        <form onSubmit={submit} noValidate>
          <InputField
            id="email"
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={setEmail}
          />
          <InputField
            id="password"
            label="Password"
            ref={passwordInput}
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
          />
          <button
            type="submit"
            className="primary"
            disabled={busy || !email || !password || (lockedUntil !== null && remaining > 0)}
          >
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </main>
    </div>
  );
}
