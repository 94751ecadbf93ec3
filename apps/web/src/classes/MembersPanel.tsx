import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTRPC } from "../trpc.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { describeError } from "../ui/errors.ts";
import { ErrorState, Loading } from "../ui/states.tsx";

export function MembersPanel({
  id,
  classId,
  isTeacher,
  myUserId,
  onClose,
}: {
  id: string;
  classId: string;
  isTeacher: boolean;
  myUserId: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ class_id: classId }));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<"student" | "teacher">("student");
  const [removing, setRemoving] = useState<{ user_id: string; name: string } | null>(null);
  const refresh = () => queryClient.invalidateQueries(trpc.member.list.queryFilter({ class_id: classId }));

  const add = useMutation(
    trpc.member.add.mutationOptions({
      onSuccess: async () => {
        setEmail("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSettled: refresh }));

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ class_id: classId, email: email.trim(), role });
  }

  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <aside
      id={id}
      className="card members"
      aria-labelledby={`${id}-title`}
      onKeyDown={(event) => {
        if (event.key === "Escape" && !removing) onClose();
      }}
    >
      <div className="members-head">
        <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>
          Members
        </h2>
        <button type="button" className="button ghost small" onClick={onClose} aria-label="Close members">
          Close
        </button>
      </div>
      <div className="members-scroll">
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.isError ? (
        <ErrorState message={describeError(members.error)} onRetry={() => void members.refetch()} />
      ) : (
        <ul className="member-list">
          {members.data.map((m) => (
            <li key={m.user_id}>
              <span className="avatar" aria-hidden="true">
                {initials(m.user_name)}
              </span>
              <span className="member-name">
                {m.user_name}
                {m.user_id === myUserId && <span className="muted"> (you)</span>}
                {m.user_email && <span className="muted member-email">{m.user_email}</span>}
              </span>
              <span className={`badge badge-${m.role}`}>{m.role === "teacher" ? "Teacher" : "Student"}</span>
              {isTeacher && m.user_id !== myUserId && (
                <button
                  type="button"
                  className="button ghost small"
                  onClick={() => setRemoving({ user_id: m.user_id, name: m.user_name })}
                  aria-label={`Remove ${m.user_name} from the class`}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      </div>
      {remove.isError && (
        <p className="error" role="alert">
          {describeError(remove.error)}
        </p>
      )}
      {isTeacher && (
        <div className="members-add">
          <form className="inline-form" onSubmit={submit} aria-label="Add a member">
            <label className="field grow">
              <span>Email</span>
              <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} placeholder="student@school.edu" required />
            </label>
            <label className="field">
              <span>Role</span>
              <select value={role} onChange={(e) => setRole(e.target.value === "teacher" ? "teacher" : "student")}>
                <option value="student">Student</option>
                <option value="teacher">Teacher</option>
              </select>
            </label>
            <button type="submit" className="button primary" disabled={add.isPending}>
              {add.isPending ? "Adding…" : "Add member"}
            </button>
          </form>
          {add.isError && (
            <p className="error" role="alert">
              {describeError(add.error)}
            </p>
          )}
          <p className="success add-result" role="status">
            {add.isSuccess
              ? add.data.status === "added"
                ? `${add.data.member.user_name} is now a ${add.data.member.role} in this class.`
                : `${add.data.invitation.email} is invited as a ${add.data.invitation.role}; they join when they first sign in.`
              : ""}
          </p>
        </div>
      )}
      <ConfirmDialog
        open={removing !== null}
        title="Remove from class?"
        body={`${removing?.name ?? "This person"} will no longer see this class's chat and stream.`}
        confirmLabel="Remove"
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) remove.mutate({ class_id: classId, user_id: removing.user_id });
          setRemoving(null);
        }}
      />
    </aside>
  );
}

export function initials(name: string): string {
  const parts = name.replace(/[^\p{L}\p{N}\s]/gu, " ").trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}
