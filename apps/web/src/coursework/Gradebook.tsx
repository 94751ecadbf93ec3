/**
 * The Grades tab (teachers): every student × every assignment with the grade the student sees
 * (or the draft, marked as such), late and missing work, each student's average, and the
 * gradebook as a CSV file for a spreadsheet.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { RouterOutputs } from "@classroom/api";
import { assignmentHref } from "../route.ts";
import { Ranking } from "../grades/Ranking.tsx";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { Empty, ErrorState, Loading } from "../ui/states.tsx";

type Book = RouterOutputs["gradebook"]["get"];
type Cell = Book["students"][number]["cells"][number];

const REFRESH_MS = 15_000;

export function Gradebook({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const book = useQuery(trpc.gradebook.get.queryOptions({ class_id: classId }, { refetchInterval: REFRESH_MS }));

  return (
    <section className="pane section-pane" aria-labelledby="grades-title">
      <div className="pane-head">
        <h2 id="grades-title">Grades</h2>
        <CsvDownload classId={classId} />
      </div>
      <div className="section-scroll">
        <Ranking classId={classId} />
        {book.isPending ? (
          <Loading label="Loading the gradebook…" />
        ) : book.isError ? (
          <ErrorState message={describeError(book.error)} onRetry={() => void book.refetch()} />
        ) : book.data.students.length === 0 || book.data.assignments.length === 0 ? (
          <Empty title={book.data.students.length === 0 ? "No students yet" : "No assignments yet"}>
            The gradebook fills in as students join and assignments are added.
          </Empty>
        ) : (
          <GradeTable classId={classId} book={book.data} />
        )}
      </div>
    </section>
  );
}

function GradeTable({ classId, book }: { classId: string; book: Book }) {
  return (
    <div className="table-scroll gradebook-scroll">
      <table className="gradebook">
        <caption className="visually-hidden">Grades of every student for every assignment</caption>
        <thead>
          <tr>
            <th scope="col">Student</th>
            <th scope="col">Average</th>
            {book.assignments.map((a) => (
              <th key={a.assignment_id} scope="col">
                <a href={assignmentHref(classId, a.assignment_id)}>{a.title}</a>
                <span className="muted small">{a.max_points === null ? "ungraded" : `out of ${a.max_points}`}</span>
                {a.state === "draft" && <span className="badge badge-draft">Draft</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {book.students.map((s) => (
            <tr key={s.student_id}>
              <th scope="row">
                {s.student_name}
                {s.student_email && <span className="muted small">{s.student_email}</span>}
              </th>
              <td>{s.average === null ? <span className="muted">—</span> : `${s.average}%`}</td>
              {s.cells.map((cell) => (
                <td key={cell.assignment_id} className={cell.missing ? "cell-missing" : undefined}>
                  <CellContent cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function CellContent({ cell }: { cell: Cell }) {
  const note = cell.missing ? "Missing" : cell.late ? "Late" : cell.state === "turned_in" ? "Turned in" : null;
  return (
    <>
      {cell.assigned_grade !== null ? (
        <span>{cell.assigned_grade}</span>
      ) : cell.draft_grade !== null ? (
        <span className="draft-grade" title="Draft grade, not returned yet">
          {cell.draft_grade} <span className="muted small">draft</span>
        </span>
      ) : (
        <span className="muted">—</span>
      )}
      {note && <span className={`cell-note${cell.missing ? " cell-note-missing" : ""}`}>{note}</span>}
    </>
  );
}

/** Asks the API for the CSV and hands it to the browser as a file. */
function CsvDownload({ classId }: { classId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setDone("");
    setError(null);
    try {
      const file = await queryClient.fetchQuery(trpc.gradebook.csv.queryOptions({ class_id: classId }, { staleTime: 0, gcTime: 0 }));
      const url = URL.createObjectURL(new Blob([file.content], { type: "text/csv;charset=utf-8" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = file.filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setDone(`Downloaded ${file.filename}.`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="csv-download">
      <span className="visually-hidden" role="status">
        {done}
      </span>
      {error && (
        <span className="error-text small" role="alert">
          {error}
        </span>
      )}
      <button type="button" className="button small" onClick={() => void download()} disabled={busy}>
        {busy ? "Preparing…" : "Download CSV"}
      </button>
    </div>
  );
}
