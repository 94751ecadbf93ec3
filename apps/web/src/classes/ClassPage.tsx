import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useSession } from "../auth/useSession.ts";
import { ChatPane } from "../chat/ChatPane.tsx";
import { PostStream } from "../posts/PostStream.tsx";
import { homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError, isNotFound } from "../ui/errors.ts";
import { ErrorState, Loading } from "../ui/states.tsx";
import { MembersPanel } from "./MembersPanel.tsx";

type Pane = "chat" | "stream";

export function ClassPage({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const { session } = useSession();
  const klass = useQuery(trpc.class.byId.queryOptions({ class_id: classId }));
  const members = useQuery(trpc.member.list.queryOptions({ class_id: classId }, { enabled: klass.isSuccess }));
  const [showMembers, setShowMembers] = useState(false);
  const [pane, setPane] = useState<Pane>("chat");

  if (klass.isPending) {
    return (
      <main className="page">
        <Loading label="Opening the class…" />
      </main>
    );
  }
  if (klass.isError) {
    return (
      <main className="page">
        <BackLink />
        {isNotFound(klass.error) ? (
          <ErrorState message="This class doesn't exist, or you're not a member of it. Ask the teacher to add you." />
        ) : (
          <ErrorState message={describeError(klass.error)} onRetry={() => void klass.refetch()} />
        )}
      </main>
    );
  }

  const userId = session?.user.userId ?? "";
  const myName =
    session?.user.name ?? members.data?.find((m) => m.user_id === userId)?.user_name ?? session?.user.email ?? "You";
  const isTeacher = klass.data.role === "teacher";

  return (
    <main className="class-page" aria-labelledby="class-title">
      <div className="class-head">
        <div className="class-head-title">
          <BackLink />
          <h1 id="class-title">{klass.data.name}</h1>
          <span className={`badge badge-${klass.data.role}`}>{isTeacher ? "Teacher" : "Student"}</span>
        </div>
        <button
          type="button"
          className="button"
          aria-expanded={showMembers}
          aria-controls="members-panel"
          onClick={() => setShowMembers((v) => !v)}
        >
          Members{members.data ? ` (${members.data.length})` : ""}
        </button>
      </div>
      {showMembers && <MembersPanel id="members-panel" classId={classId} isTeacher={isTeacher} myUserId={userId} />}
      <div className="pane-switch" role="tablist" aria-label="Class sections">
        <button type="button" role="tab" aria-selected={pane === "chat"} onClick={() => setPane("chat")}>
          Chat
        </button>
        <button type="button" role="tab" aria-selected={pane === "stream"} onClick={() => setPane("stream")}>
          Stream
        </button>
      </div>
      <div className="panes" data-pane={pane}>
        <ChatPane classId={classId} me={{ userId, name: myName }} />
        <PostStream classId={classId} isTeacher={isTeacher} myUserId={userId} />
      </div>
    </main>
  );
}

function BackLink() {
  return (
    <a className="back" href={homeHref}>
      <span aria-hidden="true">←</span> My classes
    </a>
  );
}
