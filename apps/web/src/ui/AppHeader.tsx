import { useQuery } from "@tanstack/react-query";
import { useSession, useSessionStore } from "../auth/useSession.ts";
import { clearDrafts } from "../compose/drafts.ts";
import { Bell } from "../notifications/Bell.tsx";
import { useUnreadTitle } from "../notifications/useInbox.ts";
import { homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";

export function AppHeader() {
  const store = useSessionStore();
  const { session } = useSession();
  const trpc = useTRPC();
  // Access tokens carry no name: ask the API who we are.
  const me = useQuery({ ...trpc.me.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
  useUnreadTitle();
  return (
    <header className="app-header">
      <a href={homeHref} className="brand" aria-label="Classroom, my classes">
        <span className="brand-mark" aria-hidden="true">
          C
        </span>
        <span>Classroom</span>
      </a>
      <div className="app-header-user">
        <Bell />
        <span className="muted user-email" title={session?.user.email}>
          {me.data?.name ?? session?.user.name ?? session?.user.email}
        </span>
        <button
          type="button"
          className="button ghost"
          onClick={() => {
            // A school computer is shared: half-written messages leave with the person.
            if (session) clearDrafts(session.user.userId);
            store.signOut();
          }}
        >
          Sign out
        </button>
      </div>
    </header>
  );
}
