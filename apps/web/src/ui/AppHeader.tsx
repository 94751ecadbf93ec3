import { useSession, useSessionStore } from "../auth/useSession.ts";
import { homeHref } from "../route.ts";

export function AppHeader() {
  const store = useSessionStore();
  const { session } = useSession();
  return (
    <header className="app-header">
      <a href={homeHref} className="brand" aria-label="Classroom, my classes">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <span>Classroom</span>
      </a>
      <div className="app-header-user">
        <span className="muted user-email" title={session?.user.email}>
          {session?.user.name ?? session?.user.email}
        </span>
        <button type="button" className="button ghost" onClick={() => store.signOut()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
