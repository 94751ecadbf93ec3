/**
 * The signed-in session, kept in localStorage so a reload (or another tab) stays signed in.
 *
 * The auth flow: `signIn` stores Cognito's tokens. Every API call asks `accessToken()`, which
 * refreshes first when the token is about to expire; if the API still answers UNAUTHORIZED
 * (the token was revoked, or the clocks disagree) the link calls `rejectAccessToken()` and
 * retries once, which forces a refresh. When the refresh itself is refused, the session ends
 * and the app asks the person to sign in again, saying why.
 */
import { TOKEN_REFRESH_MARGIN_MS } from "../config.ts";
import { type CognitoTarget, SignInError, type Tokens, decodeJwt, refreshTokens, signInWithPassword } from "./cognito.ts";

export interface SessionUser {
  userId: string;
  email: string;
  /** The `name` claim when the pool puts it in the id token (AWS does; the local pool does not). */
  name: string | undefined;
}

export interface Session {
  tokens: Tokens;
  user: SessionUser;
}

export interface SessionState {
  session: Session | null;
  /** Why the last session ended, when it was not the person's choice. */
  notice: string | null;
}

const STORAGE_KEY = "classroom.session";

export function userFromTokens(tokens: Tokens): SessionUser {
  const claims = decodeJwt(tokens.idToken);
  const access = decodeJwt(tokens.accessToken);
  return {
    userId: String(claims.sub ?? access.sub ?? ""),
    email: String(claims.email ?? claims["cognito:username"] ?? access.username ?? ""),
    name: typeof claims.name === "string" && claims.name.length > 0 ? claims.name : undefined,
  };
}

export interface SessionStoreOptions {
  cognito: CognitoTarget;
  storage?: Storage;
  now?: () => number;
}

export class SessionStore {
  private state: SessionState;
  private readonly listeners = new Set<() => void>();
  private refreshing: Promise<string | null> | null = null;
  private readonly storage: Storage | undefined;
  private readonly now: () => number;
  private readonly options: SessionStoreOptions;

  constructor(options: SessionStoreOptions) {
    this.options = options;
    this.storage = options.storage ?? (typeof localStorage === "undefined" ? undefined : localStorage);
    this.now = options.now ?? Date.now;
    this.state = { session: this.load(), notice: null };
  }

  private load(): Session | null {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const tokens = JSON.parse(raw) as Tokens;
      if (!tokens.accessToken || !tokens.refreshToken || !tokens.idToken) return null;
      return { tokens, user: userFromTokens(tokens) };
    } catch {
      return null;
    }
  }

  private set(state: SessionState) {
    this.state = state;
    if (state.session) this.storage?.setItem(STORAGE_KEY, JSON.stringify(state.session.tokens));
    else this.storage?.removeItem(STORAGE_KEY);
    for (const listener of this.listeners) listener();
  }

  getState = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Picks up a sign-in or sign-out made in another tab. */
  syncFromStorage = () => {
    const session = this.load();
    if (session?.tokens.accessToken === this.state.session?.tokens.accessToken) return;
    this.state = { session, notice: null };
    for (const listener of this.listeners) listener();
  };

  async signIn(email: string, password: string): Promise<void> {
    const tokens = await signInWithPassword(this.options.cognito, email.trim(), password, this.now());
    this.set({ session: { tokens, user: userFromTokens(tokens) }, notice: null });
  }

  signOut(notice: string | null = null): void {
    this.refreshing = null;
    this.set({ session: null, notice });
  }

  /** A current access token, refreshed first if it expires soon; null when signed out. */
  async accessToken(): Promise<string | null> {
    const session = this.state.session;
    if (!session) return null;
    if (session.tokens.expiresAt - TOKEN_REFRESH_MARGIN_MS > this.now()) return session.tokens.accessToken;
    return this.refresh();
  }

  /** The API refused the current access token: the next `accessToken()` refreshes. */
  rejectAccessToken(token: string | null): void {
    const session = this.state.session;
    if (!session || (token !== null && session.tokens.accessToken !== token)) return;
    this.state = { ...this.state, session: { ...session, tokens: { ...session.tokens, expiresAt: 0 } } };
  }

  private refresh(): Promise<string | null> {
    if (this.refreshing) return this.refreshing;
    const session = this.state.session;
    if (!session) return Promise.resolve(null);
    const attempt = refreshTokens(this.options.cognito, session.tokens.refreshToken, this.now())
      .then((tokens) => {
        if (this.state.session !== session && this.state.session?.tokens.refreshToken !== session.tokens.refreshToken) {
          return this.state.session?.tokens.accessToken ?? null;
        }
        this.set({ session: { tokens, user: userFromTokens(tokens) }, notice: null });
        return tokens.accessToken;
      })
      .catch((error: unknown) => {
        // A refused refresh token ends the session; any other failure keeps it, so the call fails and is retried later.
        if (error instanceof SignInError && (error.kind === "credentials" || error.kind === "challenge")) {
          this.signOut("Your session has ended. Please sign in again.");
          return null;
        }
        throw error;
      })
      .finally(() => {
        if (this.refreshing === attempt) this.refreshing = null;
      });
    this.refreshing = attempt;
    return attempt;
  }
}
