import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { classHref, navigate, todoHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { JoinClass } from "../coursework/JoinClass.tsx";
import { badgeCount } from "../notifications/inbox.ts";
import { useInbox } from "../notifications/useInbox.ts";
import { MAX_CLASS_NAME_LENGTH } from "@classroom/client";

export function ClassList() {
  const trpc = useTRPC();
  const classes = useQuery(trpc.class.mine.queryOptions());
  const inbox = useInbox();
  const unreadChat = new Map((inbox.data?.classes ?? []).map((c) => [c.class_id, c.unread_chat]));

  return (
    <main className="page" aria-labelledby="classes-title">
      <div className="page-head">
        <h1 id="classes-title">My classes</h1>
        <div className="page-head-actions">
          {classes.data?.some((c) => c.role === "student") && (
            <a className="button" href={todoHref}>
              To do
            </a>
          )}
          <JoinClass />
        </div>
      </div>
      {classes.isPending ? (
        <Loading label="Loading your classes…" />
      ) : classes.isError ? (
        <ErrorState message={describeError(classes.error)} onRetry={() => void classes.refetch()} />
      ) : classes.data.length === 0 ? (
        <Empty title="You're not in any class yet">
          When a teacher adds you to a class, or you join one with its code, it shows up here. Teachers can start a class below.
        </Empty>
      ) : (
        <ul className="class-grid" aria-label="Classes">
          {classes.data.map((c) => (
            <li key={c.class_id}>
              <a className="class-card" href={classHref(c.class_id)}>
                <span className="class-card-name">{c.name}</span>
                <UnreadChat count={unreadChat.get(c.class_id) ?? 0} />
                {c.section && <span className="muted small">{c.section}</span>}
                <span className={`badge badge-${c.role}`}>{c.role === "teacher" ? "Teacher" : "Student"}</span>
                {c.state === "archived" && <span className="badge badge-draft">Archived</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      <CreateClass />
    </main>
  );
}

function UnreadChat({ count }: { count: number }) {
  if (count === 0) return null;
  return (
    <span className="unread-chat" aria-label={`${count} unread message${count === 1 ? "" : "s"}`}>
      {badgeCount(count)}
    </span>
  );
}

function CreateClass() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.class.create.mutationOptions({
      onSuccess: async (created) => {
        setName("");
        await queryClient.invalidateQueries(trpc.class.mine.pathFilter());
        navigate(classHref(created.class_id));
      },
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim() });
  }

  return (
    <section className="card create-class" aria-labelledby="create-class-title">
      <h2 id="create-class-title">Start a new class</h2>
      <p className="muted">You'll be its teacher, and can add students by their school email.</p>
      <form className="inline-form" onSubmit={submit}>
        <label className="field grow">
          <span>Class name</span>
          <input value={name} onChange={(e) => setName(e.target.value)} maxLength={MAX_CLASS_NAME_LENGTH} placeholder="e.g. Chemistry 9B" required />
        </label>
        <button type="submit" className="button primary" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create class"}
        </button>
      </form>
      {create.isError && (
        <p className="error" role="alert">
          {describeError(create.error)}
        </p>
      )}
    </section>
  );
}
