/** "Join class": a student types the code their teacher gave them and lands in the class. */
import { ENROLLMENT_CODE_LENGTH } from "@classroom/client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { classHref, navigate } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";

export function JoinClass() {
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button ref={opener} type="button" className="button" onClick={() => setOpen(true)}>
        Join class
      </button>
      {open && (
        <JoinDialog
          onClose={() => {
            setOpen(false);
            opener.current?.focus();
          }}
        />
      )}
    </>
  );
}

function JoinDialog({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const [code, setCode] = useState("");
  const join = useMutation(
    trpc.class.join.mutationOptions({
      onSuccess: async (joined) => {
        await queryClient.invalidateQueries(trpc.class.mine.pathFilter());
        onClose();
        navigate(classHref(joined.class_id));
      },
    }),
  );
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const cleaned = code.replace(/[\s-]/g, "").toUpperCase();
  function submit(event: FormEvent) {
    event.preventDefault();
    if (cleaned.length > 0 && !join.isPending) join.mutate({ enrollment_code: cleaned });
  }

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={`${id}-title`}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <form onSubmit={submit} className="stack">
        <h2 id={`${id}-title`}>Join a class</h2>
        <p className="muted">Ask your teacher for the class code, then enter it here.</p>
        <label className="field">
          <span>Class code</span>
          <input
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={ENROLLMENT_CODE_LENGTH + 4}
            placeholder="e.g. K7M4QXR"
            aria-invalid={join.isError}
            aria-describedby={join.isError ? `${id}-error` : undefined}
          />
        </label>
        {join.isError && (
          <p id={`${id}-error`} className="error" role="alert">
            {describeError(join.error)}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={!cleaned || join.isPending}>
            {join.isPending ? "Joining…" : "Join"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
