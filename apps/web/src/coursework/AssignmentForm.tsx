import { DEFAULT_MAX_POINTS, MAX_ASSIGNMENT_DESCRIPTION_LENGTH, MAX_ASSIGNMENT_TITLE_LENGTH, MAX_POINTS } from "@classroom/client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { LengthHint } from "../compose/LengthHint.tsx";
import { lengthState } from "../compose/length.ts";
import { FileUploader } from "../files/FileUploader.tsx";
import { sameFiles } from "../files/files.ts";
import { useUploads } from "../files/useUploads.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { type Assignment, fromDateTimeField, toDateTimeField } from "./status.ts";

/**
 * Creates an assignment (no `assignment` given) or changes one. A published assignment cannot
 * go back to draft, so its state is offered only while it is a draft.
 */
export function AssignmentForm({
  classId,
  assignment,
  onDone,
  onCancel,
}: {
  classId: string;
  assignment?: Assignment;
  onDone: (saved: Assignment) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const titleField = useRef<HTMLInputElement>(null);
  const [title, setTitle] = useState(assignment?.title ?? "");
  const [description, setDescription] = useState(assignment?.description ?? "");
  const [ungraded, setUngraded] = useState(assignment ? assignment.max_points === null : false);
  const [points, setPoints] = useState(String(assignment?.max_points ?? DEFAULT_MAX_POINTS));
  const [due, setDue] = useState(toDateTimeField(assignment?.due_at ?? null));
  const [publish, setPublish] = useState(assignment ? assignment.state === "published" : true);
  const descriptionLength = lengthState(description, MAX_ASSIGNMENT_DESCRIPTION_LENGTH);
  const materials = useUploads({ classId, purpose: "material", initial: assignment?.attachments });
  useEffect(() => titleField.current?.focus(), []);

  const refresh = async (saved: Assignment) => {
    await Promise.all([
      queryClient.invalidateQueries(trpc.assignment.pathFilter()),
      queryClient.invalidateQueries(trpc.submission.pathFilter()),
      queryClient.invalidateQueries(trpc.gradebook.pathFilter()),
    ]);
    onDone(saved);
  };
  const create = useMutation(trpc.assignment.create.mutationOptions({ onSuccess: refresh }));
  const update = useMutation(trpc.assignment.update.mutationOptions({ onSuccess: refresh }));
  const saving = create.isPending || update.isPending;
  const error = create.error ?? update.error;

  const maxPoints = ungraded ? null : Number(points);
  const pointsValid = ungraded || (/^\d+$/.test(points.trim()) && Number(points) <= MAX_POINTS);
  const canSave = title.trim() !== "" && pointsValid && !descriptionLength.over && materials.settled && !saving;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!canSave) return;
    const fields = { title: title.trim(), max_points: maxPoints, due_at: fromDateTimeField(due) };
    const state = publish ? ("published" as const) : ("draft" as const);
    if (assignment) {
      update.mutate({
        assignment_id: assignment.assignment_id,
        ...fields,
        description: description.trim() || null,
        ...(assignment.state === "draft" ? { state } : {}),
        ...(sameFiles(materials.fileIds, assignment.attachments) ? {} : { file_ids: materials.fileIds }),
      });
    } else {
      create.mutate({
        class_id: classId,
        ...fields,
        state,
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(materials.fileIds.length > 0 ? { file_ids: materials.fileIds } : {}),
      });
    }
  }

  return (
    <form className="card assignment-form stack" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{assignment ? "Edit assignment" : "New assignment"}</h3>
      <label className="field">
        <span>Title</span>
        <input ref={titleField} value={title} onChange={(e) => setTitle(e.target.value)} maxLength={MAX_ASSIGNMENT_TITLE_LENGTH} required />
      </label>
      <label className="field">
        <span>Instructions (optional)</span>
        <textarea rows={4} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={`${id}-description-count`} aria-invalid={descriptionLength.over} />
      </label>
      <LengthHint id={`${id}-description-count`} state={descriptionLength} what="description" />
      <div className="form-row">
        <label className="field">
          <span>Points</span>
          <input
            type="number"
            inputMode="numeric"
            min={0}
            max={MAX_POINTS}
            step={1}
            value={ungraded ? "" : points}
            onChange={(e) => setPoints(e.target.value)}
            disabled={ungraded}
            aria-invalid={!pointsValid}
            aria-describedby={`${id}-points-hint`}
          />
        </label>
        <label className="check">
          <input type="checkbox" checked={ungraded} onChange={(e) => setUngraded(e.target.checked)} />
          <span>Ungraded</span>
        </label>
        <label className="field">
          <span>Due (optional)</span>
          <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} />
        </label>
      </div>
      <p id={`${id}-points-hint`} className="muted small">
        {pointsValid ? `Whole points from 0 to ${MAX_POINTS}.` : `Points must be a whole number from 0 to ${MAX_POINTS}.`}
      </p>
      <FileUploader uploads={materials} legend="Materials (optional)" disabled={saving} />
      {(!assignment || assignment.state === "draft") && (
        <fieldset className="choice">
          <legend>Students see it</legend>
          <label className="check">
            <input type="radio" name={`${id}-state`} checked={publish} onChange={() => setPublish(true)} />
            <span>Now (publish)</span>
          </label>
          <label className="check">
            <input type="radio" name={`${id}-state`} checked={!publish} onChange={() => setPublish(false)} />
            <span>Not yet (save as draft)</span>
          </label>
        </fieldset>
      )}
      {error && (
        <p className="error" role="alert">
          {describeError(error)}
        </p>
      )}
      <div className="form-actions gap">
        <button type="button" className="button ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={!canSave}>
          {saving ? "Saving…" : assignment ? "Save changes" : publish ? "Assign" : "Save draft"}
        </button>
      </div>
    </form>
  );
}
