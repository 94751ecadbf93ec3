/**
 * A class's settings (teachers): its name, section, room and description, who may post to the
 * stream, the enrollment code (shown, copied, replaced), archiving and restoring, and deleting
 * the class after a confirmation.
 */
import { MAX_CLASS_DESCRIPTION_LENGTH, MAX_CLASS_NAME_LENGTH, MAX_CLASS_ROOM_LENGTH, MAX_CLASS_SECTION_LENGTH } from "@classroom/client";
import type { RouterOutputs } from "@classroom/api";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { homeHref, navigate } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { describeError } from "../ui/errors.ts";

type ClassDetail = RouterOutputs["class"]["byId"];
type StreamPolicy = ClassDetail["stream_policy"];

const POLICIES: { value: StreamPolicy; label: string }[] = [
  { value: "all_members", label: "Students can post and comment" },
  { value: "comments_only", label: "Students can only comment" },
  { value: "teachers_only", label: "Only teachers can post or comment" },
];

type Confirm = "reset" | "archive" | "delete";

export function ClassSettings({ klass }: { klass: ClassDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Confirm | null>(null);
  const [result, setResult] = useState("");
  const archived = klass.state === "archived";

  const apply = async (saved: ClassDetail, message: string) => {
    queryClient.setQueryData(trpc.class.byId.queryKey({ class_id: klass.class_id }), saved);
    setResult(message);
    await queryClient.invalidateQueries(trpc.class.pathFilter());
  };
  const update = useMutation(trpc.class.update.mutationOptions());
  const remove = useMutation(
    trpc.class.remove.mutationOptions({
      onSuccess: async () => {
        navigate(homeHref);
        queryClient.removeQueries(trpc.class.byId.queryFilter({ class_id: klass.class_id }));
        await queryClient.invalidateQueries(trpc.class.mine.pathFilter());
      },
    }),
  );
  const change = (input: Omit<Parameters<typeof update.mutate>[0], "class_id">, message: string) => {
    setResult("");
    update.mutate({ class_id: klass.class_id, ...input }, { onSuccess: (saved) => apply(saved, message) });
  };
  const error = update.error ?? remove.error;

  return (
    <section className="pane section-pane" aria-labelledby="settings-title">
      <div className="pane-head">
        <h2 id="settings-title">Class settings</h2>
      </div>
      <div className="section-scroll">
        <p className="success" role="status" aria-live="polite">
          {result}
        </p>
        {error && (
          <p className="error" role="alert">
            {describeError(error)}
          </p>
        )}
        <DetailsForm klass={klass} saving={update.isPending} disabled={archived} onSave={(input) => change(input, "Settings saved.")} />

        <section className="card stack" aria-labelledby="code-title">
          <h3 id="code-title">Class code</h3>
          <p className="muted">Students join the class with this code from their list of classes.</p>
          {klass.enrollment_code ? (
            <p className="class-code" aria-label={`Class code ${klass.enrollment_code.split("").join(" ")}`}>
              <code>{klass.enrollment_code}</code>
            </p>
          ) : (
            <p className="muted">No code: students cannot join by code.</p>
          )}
          <div className="assignment-actions">
            {klass.enrollment_code && <CopyButton text={klass.enrollment_code} />}
            <button type="button" className="button small" disabled={archived || update.isPending} onClick={() => setConfirming("reset")}>
              Reset code
            </button>
          </div>
        </section>

        <section className="card stack" aria-labelledby="state-title">
          <h3 id="state-title">{archived ? "Archived" : "Archive or delete"}</h3>
          <p className="muted">
            {archived
              ? "This class is archived: everyone can still read it, but nothing can be changed until you restore it."
              : "Archive a class when it ends: it stays readable but nothing can be changed. Deleting it removes it for everyone."}
          </p>
          <div className="assignment-actions">
            {archived ? (
              <button type="button" className="button small primary" disabled={update.isPending} onClick={() => change({ state: "active" }, "The class is active again.")}>
                Restore class
              </button>
            ) : (
              <button type="button" className="button small" disabled={update.isPending} onClick={() => setConfirming("archive")}>
                Archive class
              </button>
            )}
            <button type="button" className="button small danger" disabled={remove.isPending} onClick={() => setConfirming("delete")}>
              {remove.isPending ? "Deleting…" : "Delete class"}
            </button>
          </div>
        </section>
      </div>
      <ConfirmDialog
        open={confirming === "reset"}
        title="Reset the class code?"
        body="The current code stops working at once; students who have not joined yet need the new one."
        confirmLabel="Reset code"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          change({ reset_code: true }, "The class has a new code.");
        }}
      />
      <ConfirmDialog
        open={confirming === "archive"}
        title={`Archive ${klass.name}?`}
        body="Nobody can post, chat, turn in or grade in an archived class until a teacher restores it."
        confirmLabel="Archive class"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          change({ state: "archived" }, "The class is archived.");
        }}
      />
      <ConfirmDialog
        open={confirming === "delete"}
        title={`Delete ${klass.name}?`}
        body="The class, its chat, stream and classwork disappear for every teacher and student. This cannot be undone."
        confirmLabel="Delete class"
        onCancel={() => setConfirming(null)}
        onConfirm={() => {
          setConfirming(null);
          remove.mutate({ class_id: klass.class_id });
        }}
      />
    </section>
  );
}

function DetailsForm({
  klass,
  saving,
  disabled,
  onSave,
}: {
  klass: ClassDetail;
  saving: boolean;
  disabled: boolean;
  onSave: (input: { name: string; section: string | null; room: string | null; description: string | null; stream_policy: StreamPolicy }) => void;
}) {
  const [name, setName] = useState(klass.name);
  const [section, setSection] = useState(klass.section ?? "");
  const [room, setRoom] = useState(klass.room ?? "");
  const [description, setDescription] = useState(klass.description ?? "");
  const [policy, setPolicy] = useState<StreamPolicy>(klass.stream_policy);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || saving || disabled) return;
    onSave({ name: name.trim(), section: section.trim() || null, room: room.trim() || null, description: description.trim() || null, stream_policy: policy });
  }

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="details-title">
      <h3 id="details-title">Details</h3>
      <fieldset className="plain" disabled={disabled}>
        <div className="stack">
          <label className="field">
            <span>Class name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={MAX_CLASS_NAME_LENGTH} required />
          </label>
          <div className="form-row">
            <label className="field">
              <span>Section</span>
              <input value={section} onChange={(e) => setSection(e.target.value)} maxLength={MAX_CLASS_SECTION_LENGTH} placeholder="e.g. Period 3" />
            </label>
            <label className="field">
              <span>Room</span>
              <input value={room} onChange={(e) => setRoom(e.target.value)} maxLength={MAX_CLASS_ROOM_LENGTH} />
            </label>
          </div>
          <label className="field">
            <span>Description</span>
            <textarea rows={3} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={MAX_CLASS_DESCRIPTION_LENGTH} />
          </label>
          <label className="field">
            <span>Stream</span>
            <select value={policy} onChange={(e) => setPolicy(e.target.value as StreamPolicy)}>
              {POLICIES.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </fieldset>
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={saving || disabled || !name.trim()}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  if (!navigator.clipboard) return null;
  return (
    <button
      type="button"
      className="button small"
      onClick={() =>
        void navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        )
      }
    >
      {copied ? "Copied" : "Copy code"}
    </button>
  );
}
