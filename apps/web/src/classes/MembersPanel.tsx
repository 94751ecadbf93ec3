import { MAX_MUTE_MINUTES } from "@classroom/client";
import type { RouterOutputs } from "@classroom/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useTRPC } from "../trpc.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { describeError } from "../ui/errors.ts";
import { ErrorState, Loading, formatWhen } from "../ui/states.tsx";

type Member = RouterOutputs["member"]["list"][number];
type Role = Member["role"];

const roleName = (role: Role) => (role === "teacher" ? "teacher" : "student");
const otherRole = (role: Role): Role => (role === "teacher" ? "student" : "teacher");

/** How long a teacher can mute a student in the chat. */
export const MUTE_CHOICES = [
  { minutes: 10, label: "10 minutes" },
  { minutes: 60, label: "1 hour" },
  { minutes: 24 * 60, label: "1 day" },
  { minutes: 7 * 24 * 60, label: "1 week" },
].filter((c) => c.minutes <= MAX_MUTE_MINUTES);

type Confirm = { kind: "remove"; member: Member } | { kind: "role"; member: Member; role: Role };

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
  const invitations = useQuery(trpc.member.invitations.queryOptions({ class_id: classId }, { enabled: isTeacher }));
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("student");
  const [confirming, setConfirming] = useState<Confirm | null>(null);
  const [muting, setMuting] = useState<string | null>(null);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.member.list.queryFilter({ class_id: classId })),
      queryClient.invalidateQueries(trpc.member.invitations.queryFilter({ class_id: classId })),
    ]);

  const add = useMutation(
    trpc.member.add.mutationOptions({
      onSuccess: async () => {
        setEmail("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(trpc.member.remove.mutationOptions({ onSettled: refresh }));
  const setMemberRole = useMutation(trpc.member.setRole.mutationOptions({ onSettled: refresh }));
  const mute = useMutation(trpc.member.mute.mutationOptions({ onSuccess: () => setMuting(null), onSettled: refresh }));
  const cancelInvitation = useMutation(trpc.member.cancelInvitation.mutationOptions({ onSettled: refresh }));
  const actionError = [remove, setMemberRole, mute, cancelInvitation].find((m) => m.isError)?.error;

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
        // Escape in a confirmation closes the confirmation only.
        if (event.key === "Escape" && !(event.target instanceof Element && event.target.closest("dialog"))) onClose();
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
          <ul className="member-list" aria-label="People in the class">
            {members.data.map((m) => (
              <MemberRow
                key={m.user_id}
                member={m}
                me={m.user_id === myUserId}
                isTeacher={isTeacher}
                muting={muting === m.user_id}
                busy={mute.isPending}
                onMuteStart={() => setMuting(m.user_id)}
                onMuteCancel={() => setMuting(null)}
                onMute={(minutes) => mute.mutate({ class_id: classId, user_id: m.user_id, minutes })}
                onRoleChange={() => setConfirming({ kind: "role", member: m, role: otherRole(m.role) })}
                onRemove={() => setConfirming({ kind: "remove", member: m })}
              />
            ))}
            {isTeacher &&
              invitations.data?.map((invitation) => (
                <li key={invitation.email} className="member invited" data-invited={invitation.email}>
                  <span className="avatar" aria-hidden="true">
                    @
                  </span>
                  <span className="member-name">
                    <span className="member-email-only">{invitation.email}</span>
                    <span className="muted small">
                      invited as a {roleName(invitation.role)} · joins at first sign-in
                    </span>
                  </span>
                  <span className="badge badge-invited">Invited</span>
                  <div className="member-actions">
                    <button
                      type="button"
                      className="link small"
                      onClick={() => cancelInvitation.mutate({ class_id: classId, email: invitation.email })}
                      aria-label={`Cancel the invitation of ${invitation.email}`}
                    >
                      Cancel invitation
                    </button>
                  </div>
                </li>
              ))}
          </ul>
        )}
      </div>
      {actionError && (
        <p className="error" role="alert">
          {describeError(actionError)}
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
                ? `${add.data.member.user_name} is now a ${roleName(add.data.member.role)} in this class.`
                : `${add.data.invitation.email} is invited as a ${roleName(add.data.invitation.role)}; they join when they first sign in.`
              : ""}
          </p>
        </div>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={
          confirming?.kind === "role"
            ? `Make ${confirming.member.user_name} a ${roleName(confirming.role)}?`
            : "Remove from class?"
        }
        body={
          confirming?.kind === "role"
            ? confirming.role === "teacher"
              ? `${confirming.member.user_name} will be able to manage members, moderate the chat and the stream, and see the class's activity.`
              : `${confirming.member.user_name} will no longer manage this class; they stay in it as a student.`
            : `${confirming?.member.user_name ?? "This person"} will no longer see this class's chat and stream.`
        }
        confirmLabel={confirming?.kind === "role" ? `Make ${roleName(confirming.role)}` : "Remove"}
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          if (confirming?.kind === "remove") remove.mutate({ class_id: classId, user_id: confirming.member.user_id });
          if (confirming?.kind === "role") setMemberRole.mutate({ class_id: classId, user_id: confirming.member.user_id, role: confirming.role });
          setConfirming(null);
        }}
      />
    </aside>
  );
}

function MemberRow({
  member: m,
  me,
  isTeacher,
  muting,
  busy,
  onMuteStart,
  onMuteCancel,
  onMute,
  onRoleChange,
  onRemove,
}: {
  member: Member;
  me: boolean;
  isTeacher: boolean;
  muting: boolean;
  busy: boolean;
  onMuteStart: () => void;
  onMuteCancel: () => void;
  onMute: (minutes: number) => void;
  onRoleChange: () => void;
  onRemove: () => void;
}) {
  const muteId = useId();
  const [minutes, setMinutes] = useState(MUTE_CHOICES[0]?.minutes ?? 10);
  const manage = isTeacher && !me;
  return (
    <li className="member" data-user-id={m.user_id}>
      <span className="avatar" aria-hidden="true">
        {initials(m.user_name)}
      </span>
      <span className="member-name">
        <span>
          {m.user_name}
          {me && <span className="muted"> (you)</span>}
        </span>
        {m.user_email && <span className="muted member-email">{m.user_email}</span>}
        {/* A mute is between the teacher and the student: classmates are not shown it. */}
        {m.muted_until && (isTeacher || me) && <span className="muted-note">Muted in the chat until {formatWhen(m.muted_until)}</span>}
      </span>
      <span className={`badge badge-${m.role}`}>{m.role === "teacher" ? "Teacher" : "Student"}</span>
      {manage && !muting && (
        <div className="member-actions" role="group" aria-label={`Manage ${m.user_name}`}>
          {m.role === "student" &&
            (m.muted_until ? (
              <button type="button" className="link small" onClick={() => onMute(0)} disabled={busy} aria-label={`Unmute ${m.user_name}`}>
                Unmute
              </button>
            ) : (
              <button type="button" className="link small" onClick={onMuteStart} aria-label={`Mute ${m.user_name} in the chat`}>
                Mute
              </button>
            ))}
          <button type="button" className="link small" onClick={onRoleChange} aria-label={`Change the role of ${m.user_name}`}>
            Make {roleName(otherRole(m.role))}
          </button>
          <button type="button" className="link small danger-link" onClick={onRemove} aria-label={`Remove ${m.user_name} from the class`}>
            Remove
          </button>
        </div>
      )}
      {manage && muting && (
        <form
          className="member-mute"
          aria-label={`Mute ${m.user_name}`}
          onSubmit={(event) => {
            event.preventDefault();
            onMute(minutes);
          }}
        >
          <label htmlFor={muteId}>Mute in the chat for</label>
          <select id={muteId} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} autoFocus>
            {MUTE_CHOICES.map((c) => (
              <option key={c.minutes} value={c.minutes}>
                {c.label}
              </option>
            ))}
          </select>
          <button type="submit" className="button small primary" disabled={busy}>
            Mute
          </button>
          <button type="button" className="button small ghost" onClick={onMuteCancel}>
            Cancel
          </button>
        </form>
      )}
    </li>
  );
}

export function initials(name: string): string {
  const parts = name.replace(/[^\p{L}\p{N}\s]/gu, " ").trim().split(/\s+/).filter(Boolean);
  const first = parts[0]?.[0] ?? "?";
  const last = parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? "") : "";
  return (first + last).toUpperCase();
}
