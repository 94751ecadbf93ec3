import { QueryClientProvider } from "@tanstack/react-query";
import { useCallback, useEffect, useState } from "react";
import { ActivityPage } from "./activity/ActivityPage.tsx";
import { SignIn } from "./auth/SignIn.tsx";
import { SessionStore } from "./auth/session.ts";
import { SessionContext, useSession } from "./auth/useSession.ts";
import { ClassList } from "./classes/ClassList.tsx";
import { ClassPage } from "./classes/ClassPage.tsx";
import { TodoPage } from "./coursework/TodoPage.tsx";
import type { AppConfig } from "./config.ts";
import { NotificationSettings } from "./notifications/NotificationSettings.tsx";
import { useRoute } from "./route.ts";
import { TRPCProvider, createApiClient, createQueryClient } from "./trpc.ts";
import { AppHeader } from "./ui/AppHeader.tsx";

export function App({ config }: { config: AppConfig }) {
  const [session] = useState(() => new SessionStore({ cognito: { endpoint: config.cognitoEndpoint, clientId: config.cognitoClientId } }));
  const [queryClient] = useState(() => createQueryClient(session));
  const [trpcClient] = useState(() => createApiClient(config.apiUrl, session));

  const clearCache = useCallback(() => queryClient.clear(), [queryClient]);

  useEffect(() => {
    const onStorage = (event: StorageEvent) => {
      if (event.key === null || event.key === "classroom.session") session.syncFromStorage();
    };
    window.addEventListener("storage", onStorage);
    return () => window.removeEventListener("storage", onStorage);
  }, [session]);

  return (
    <SessionContext value={session}>
      <QueryClientProvider client={queryClient}>
        <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
          <Screens onSignedOut={clearCache} />
        </TRPCProvider>
      </QueryClientProvider>
    </SessionContext>
  );
}

function Screens({ onSignedOut }: { onSignedOut: () => void }) {
  const { session } = useSession();
  const route = useRoute();
  const signedIn = session !== null;
  useEffect(() => {
    if (!signedIn) onSignedOut();
  }, [signedIn, onSignedOut]);

  if (!session) return <SignIn />;
  return (
    <div className="shell">
      <AppHeader />
      {route.name === "class" ? (
        <ClassPage key={route.classId} classId={route.classId} section={route.section} itemId={route.itemId} />
      ) : route.name === "activity" ? (
        <ActivityPage key={route.classId} classId={route.classId} />
      ) : route.name === "notificationSettings" ? (
        <NotificationSettings />
      ) : route.name === "todo" ? (
        <TodoPage />
      ) : (
        <ClassList />
      )}
    </div>
  );
}
