import { type FormEvent, useState } from "react";
import { describeError } from "../ui/errors.ts";
import { useSession, useSessionStore } from "./useSession.ts";

const DEMO_ACCOUNTS = [
  ["teacher@classroom.test", "Ms. Rivera, teacher"],
  ["alex@classroom.test", "Alex Kim, student"],
  ["sam@classroom.test", "Sam Lee, student"],
  ["jordan@classroom.test", "Jordan Fox, not in a class"],
] as const;

export function SignIn({ showDemoAccounts = import.meta.env.DEV }: { showDemoAccounts?: boolean }) {
  const store = useSessionStore();
  const { notice } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await store.signIn(email, password);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <main className="signin">
      <section className="signin-card" aria-labelledby="signin-title">
        <div className="brand brand-large" aria-hidden="true">
          <span className="brand-mark">C</span> Classroom
        </div>
        <h1 id="signin-title">Sign in</h1>
        <p className="muted">Chat with your class, follow announcements and join the discussion.</p>
        {notice && !error && (
          <p className="notice" role="status">
            {notice}
          </p>
        )}
        <form onSubmit={submit} className="stack">
          <label className="field">
            <span>School email</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              autoFocus
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? "Signing in…" : "Sign in"}
          </button>
        </form>
        {showDemoAccounts && (
          <details className="demo">
            <summary>Demo accounts (local only)</summary>
            <p className="muted">
              Password for all: <code>Classroom-Demo-1</code>
            </p>
            <ul>
              {DEMO_ACCOUNTS.map(([address, who]) => (
                <li key={address}>
                  <button type="button" className="link" onClick={() => setEmail(address)}>
                    {address}
                  </button>{" "}
                  <span className="muted">{who}</span>
                </li>
              ))}
            </ul>
          </details>
        )}
      </section>
    </main>
  );
}
