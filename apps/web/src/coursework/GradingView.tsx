/**
 * A teacher's view of one assignment's work: every student of the class with the state of
 * their work, what they turned in, a draft grade typed in place (saved on Enter or on leaving
 * the field) and the grade they see; selected work is returned in one go, which makes each
 * draft grade the grade the student sees.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type KeyboardEvent, useState } from "react";
import { Attachments } from "../files/Attachments.tsx";
import { LinkedText } from "../text/LinkedText.tsx";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";
import { type Assignment, type Submission, gradeLabel, parseGrade, teacherStatus } from "./status.ts";

const shownGrade = (s: Submission) => s.draft_grade ?? s.assigned_grade;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function GradingView({ assignment, archived }: { assignment: Assignment; archived: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = { assignment_id: assignment.assignment_id };
  const submissions = useQuery(trpc.submission.list.queryOptions(key));
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [result, setResult] = useState("");
  const [returnError, setReturnError] = useState<string | null>(null);
  const returnOne = useMutation(trpc.submission.return.mutationOptions());
  const [returning, setReturning] = useState(false);
  const graded = assignment.max_points !== null;
  const list = submissions.data?.submissions ?? [];
  const turnedIn = list.filter((s) => s.state === "turned_in").length;
  const returned = list.filter((s) => s.state === "returned").length;

  const refresh = () =>
    Promise.all([queryClient.invalidateQueries(trpc.submission.list.queryFilter(key)), queryClient.invalidateQueries(trpc.gradebook.pathFilter())]);

  async function returnSelected() {
    const chosen = list.filter((s) => selected.has(s.submission_id));
    if (chosen.length === 0 || returning) return;
    setReturning(true);
    setResult("");
    setReturnError(null);
    // A grade typed just before (saved as its field lost focus) lands before the work is returned.
    while (queryClient.isMutating({ mutationKey: trpc.submission.grade.mutationKey() }) > 0) await sleep(50);
    const failed: string[] = [];
    let done = 0;
    for (const s of chosen) {
      try {
        await returnOne.mutateAsync({ submission_id: s.submission_id });
        done++;
      } catch (error) {
        failed.push(`${s.student_name}: ${describeError(error)}`);
      }
    }
    setSelected(new Set());
    setReturning(false);
    setResult(`Returned to ${done} student${done === 1 ? "" : "s"}.`);
    if (failed.length > 0) setReturnError(`Not returned — ${failed.join("; ")}`);
    await refresh();
  }

  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allSelected = list.length > 0 && list.every((s) => selected.has(s.submission_id));

  return (
    <section className="card grading stack" aria-labelledby="grading-title">
      <div className="grading-head">
        <h3 id="grading-title">Student work</h3>
        {submissions.isSuccess && (
          <p className="muted small">
            {turnedIn} turned in · {returned} returned · {list.length} student{list.length === 1 ? "" : "s"}
          </p>
        )}
      </div>
      {submissions.isPending ? (
        <Loading label="Loading the students' work…" />
      ) : submissions.isError ? (
        <ErrorState message={describeError(submissions.error)} onRetry={() => void submissions.refetch()} />
      ) : list.length === 0 ? (
        <Empty title="No students yet">Students who join the class appear here with their work.</Empty>
      ) : (
        <>
          <div className="table-scroll grading-scroll">
            <table className="grading-table">
              <thead>
                <tr>
                  <th scope="col" className="select-cell">
                    <input
                      type="checkbox"
                      aria-label="Select all students"
                      checked={allSelected}
                      disabled={archived}
                      onChange={(e) => setSelected(e.target.checked ? new Set(list.map((s) => s.submission_id)) : new Set())}
                    />
                  </th>
                  <th scope="col">Student</th>
                  <th scope="col">Status</th>
                  <th scope="col">Work</th>
                  {graded && <th scope="col">Grade (draft)</th>}
                  <th scope="col">Student sees</th>
                </tr>
              </thead>
              <tbody>
                {list.map((s) => (
                  <tr key={s.submission_id} data-student={s.student_name}>
                    <td className="select-cell">
                      <input
                        type="checkbox"
                        aria-label={`Select ${s.student_name}`}
                        checked={selected.has(s.submission_id)}
                        disabled={archived}
                        onChange={(e) => toggle(s.submission_id, e.target.checked)}
                      />
                    </td>
                    <th scope="row">{s.student_name}</th>
                    <td>
                      <span className={`status status-${s.missing ? "missing" : s.state}`}>{teacherStatus(s)}</span>
                    </td>
                    <td className="work-cell">
                      {s.text ? <WorkText text={s.text} /> : s.attachments.length === 0 && <span className="muted">—</span>}
                      <Attachments attachments={s.attachments} label={`Files from ${s.student_name}`} compact />
                    </td>
                    {graded && (
                      <td>
                        <GradeField assignment={assignment} submission={s} disabled={archived} onSaved={refresh} />
                      </td>
                    )}
                    <td>
                      {s.assigned_grade !== null ? gradeLabel(s.assigned_grade, assignment.max_points) : <span className="muted">—</span>}
                      {s.draft_grade !== null && s.draft_grade !== undefined && s.draft_grade !== s.assigned_grade && (
                        <span className="muted small"> (draft not returned)</span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {!archived && (
            <div className="form-actions gap">
              <span className="muted small">{selected.size} selected</span>
              <button type="button" className="button primary" disabled={selected.size === 0 || returning} onClick={() => void returnSelected()}>
                {returning ? "Returning…" : `Return${selected.size > 0 ? ` (${selected.size})` : ""}`}
              </button>
            </div>
          )}
        </>
      )}
      <p className="success" role="status" aria-live="polite">
        {result}
      </p>
      {returnError && (
        <p className="error" role="alert">
          {returnError}
        </p>
      )}
    </section>
  );
}

function WorkText({ text }: { text: string }) {
  const short = text.length <= 80;
  if (short) return <LinkedText text={text} />;
  return (
    <details>
      <summary>{`${text.slice(0, 60)}…`}</summary>
      <p className="work-text">
        <LinkedText text={text} />
      </p>
    </details>
  );
}

/** A draft grade typed in place, saved when it changed and the teacher presses Enter or leaves the field. */
function GradeField({
  assignment,
  submission,
  disabled,
  onSaved,
}: {
  assignment: Assignment;
  submission: Submission;
  disabled: boolean;
  onSaved: () => Promise<unknown>;
}) {
  const trpc = useTRPC();
  const saved = shownGrade(submission);
  const [text, setText] = useState(saved === null ? "" : String(saved));
  const [lastSaved, setLastSaved] = useState(saved);
  const [error, setError] = useState<string | null>(null);
  const grade = useMutation(trpc.submission.grade.mutationOptions());
  // A grade changed elsewhere shows here unless the teacher is typing another one.
  if (saved !== lastSaved) {
    setLastSaved(saved);
    if (!grade.isPending) setText(saved === null ? "" : String(saved));
  }
  const errorId = `grade-error-${submission.submission_id}`;

  async function save() {
    const parsed = parseGrade(text, assignment.max_points);
    if (!parsed.ok) return setError(parsed.error);
    setError(null);
    if (parsed.grade === saved) return;
    try {
      await grade.mutateAsync({ submission_id: submission.submission_id, draft_grade: parsed.grade });
      await onSaved();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter") {
      event.preventDefault();
      void save();
    }
  }

  return (
    <div className="grade-field">
      <input
        type="text"
        inputMode="decimal"
        aria-label={`Grade for ${submission.student_name}`}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        value={text}
        disabled={disabled}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void save()}
        onKeyDown={onKeyDown}
      />
      <span className="muted">/ {assignment.max_points}</span>
      {grade.isPending && <span className="muted small">Saving…</span>}
      {error && (
        <span id={errorId} className="grade-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
