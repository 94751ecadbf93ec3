import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useSession } from "../auth/useSession.ts";
import { ChatPane } from "../chat/ChatPane.tsx";
import { ArchivedNotice, SectionBody, SectionNav } from "../coursework/ClassSections.tsx";
import { useRevealItem } from "../notifications/useRevealItem.ts";
import { PostStream } from "../posts/PostStream.tsx";
import { type ClassSection, activityHref, homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError, isNotFound } from "../ui/errors.ts";
import { ErrorState, Loading } from "../ui/states.tsx";
import { MembersPanel } from "./MembersPanel.tsx";
import { useClassGone } from "./useClassGone.ts";

type Pane = "chat" | "stream";

export function ClassPage({ classId, section = "stream", itemId }: { classId: string; section?: ClassSection; itemId?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { session } = useSession();
  const [loaded, setLoaded] = useState(false);
  const gone = useClassGone(loaded);
  const klass = useQuery(trpc.class.byId.queryOptions({ class_id: classId }, { enabled: !gone }));
  const members = useQuery(trpc.member.list.queryOptions({ class_id: classId }, { enabled: klass.isSuccess && !gone }));
  const [showMembers, setShowMembers] = useState(false);
  const [pane, setPane] = useState<Pane>("chat");
  const membersButton = useRef<HTMLButtonElement>(null);
  useRevealItem(section === "stream" ? itemId : undefined);

  useEffect(() => {
    if (klass.isSuccess) setLoaded(true);
  }, [klass.isSuccess]);

  // Removed from the class: forget what this page loaded, and let the class list drop the class.
  useEffect(() => {
    if (!gone) return;
    for (const path of [trpc.chat, trpc.post, trpc.comment, trpc.member, trpc.audit, trpc.assignment, trpc.submission, trpc.gradebook]) {
      void queryClient.cancelQueries({ queryKey: path.pathKey() });
      queryClient.removeQueries({ queryKey: path.pathKey() });
    }
    void queryClient.invalidateQueries({ queryKey: trpc.class.byId.queryKey({ class_id: classId }), refetchType: "none" });
    void queryClient.invalidateQueries(trpc.class.mine.pathFilter());
  }, [gone, classId, queryClient, trpc]);

  if (gone) return <RemovedFromClass name={klass.data?.name} />;
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
  const myMembership = members.data?.find((m) => m.user_id === userId);
  const myName = session?.user.name ?? myMembership?.user_name ?? session?.user.email ?? "You";
  const isTeacher = klass.data.role === "teacher";
  const closeMembers = () => {
    setShowMembers(false);
    membersButton.current?.focus();
  };

  return (
    <main className="class-page" aria-labelledby="class-title">
      <div className="class-head">
        <div className="class-head-title">
          <BackLink />
          <h1 id="class-title">{klass.data.name}</h1>
          <span className={`badge badge-${klass.data.role}`}>{isTeacher ? "Teacher" : "Student"}</span>
        </div>
        <SectionNav classId={classId} section={section} isTeacher={isTeacher} />
        <div className="class-head-actions">
          {isTeacher && (
            <a className="button" href={activityHref(classId)}>
              Activity
            </a>
          )}
          <button
            ref={membersButton}
            type="button"
            className="button"
            aria-expanded={showMembers}
            aria-controls="members-panel"
            onClick={() => setShowMembers((v) => !v)}
          >
            Members{members.data ? ` (${members.data.length})` : ""}
          </button>
        </div>
      </div>
      <ArchivedNotice klass={klass.data} />
      <div className="pane-switch" role="tablist" aria-label="Chat or stream" hidden={section !== "stream"}>
        <button
          type="button"
          role="tab"
          aria-selected={pane === "chat" && !showMembers}
          onClick={() => {
            setPane("chat");
            setShowMembers(false);
          }}
        >
          Chat
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={pane === "stream" && !showMembers}
          onClick={() => {
            setPane("stream");
            setShowMembers(false);
          }}
        >
          Stream
        </button>
      </div>
      <div className={`class-body${showMembers ? " with-members" : ""}`}>
        {/* The chat stays open in the other sections: it keeps polling, and keeps its place. */}
        <div className="panes" data-pane={pane} hidden={section !== "stream"}>
          <ChatPane classId={classId} me={{ userId, name: myName }} isTeacher={isTeacher} mutedUntil={myMembership?.muted_until ?? null} />
          <PostStream classId={classId} isTeacher={isTeacher} streamPolicy={klass.data.stream_policy} myUserId={userId} />
        </div>
        {section !== "stream" && <SectionBody klass={klass.data} section={section} itemId={itemId} />}
        {showMembers && (
          <MembersPanel id="members-panel" classId={classId} isTeacher={isTeacher} myUserId={userId} onClose={closeMembers} />
        )}
      </div>
    </main>
  );
}

function RemovedFromClass({ name }: { name: string | undefined }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <main className="page" aria-labelledby="removed-title">
      <BackLink />
      <div className="card state-removed">
        <h1 id="removed-title" ref={heading} tabIndex={-1}>
          You were removed from this class
        </h1>
        <p className="muted">
          {name ? `A teacher removed you from ${name}.` : "A teacher removed you from the class."} Its chat and stream are no longer
          available to you. If this is a mistake, ask the teacher to add you again.
        </p>
        <a className="button primary" href={homeHref}>
          Back to my classes
        </a>
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
