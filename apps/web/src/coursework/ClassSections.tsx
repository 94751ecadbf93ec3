/**
 * The class page's sections and what fills its main area in each: the chat beside the stream
 * (the class page as it always was), Classwork, and for teachers Grades and Settings. The
 * members stay the page's side panel in every section.
 */
import type { RouterOutputs } from "@classroom/api";
import { type ClassSection, sectionHref } from "../route.ts";
import { ErrorState } from "../ui/states.tsx";
import { ClassSettings } from "./ClassSettings.tsx";
import { Classwork } from "./Classwork.tsx";
import { Gradebook } from "./Gradebook.tsx";

type ClassDetail = RouterOutputs["class"]["byId"];

const SECTIONS: { section: ClassSection; label: string; teachersOnly: boolean }[] = [
  { section: "stream", label: "Stream & chat", teachersOnly: false },
  { section: "classwork", label: "Classwork", teachersOnly: false },
  { section: "grades", label: "Grades", teachersOnly: true },
  { section: "settings", label: "Settings", teachersOnly: true },
];

export function SectionNav({ classId, section, isTeacher }: { classId: string; section: ClassSection; isTeacher: boolean }) {
  return (
    <nav className="section-nav" aria-label="Class sections">
      {SECTIONS.filter((s) => isTeacher || !s.teachersOnly).map((s) => (
        <a key={s.section} href={sectionHref(classId, s.section)} aria-current={s.section === section ? "page" : undefined}>
          {s.label}
        </a>
      ))}
    </nav>
  );
}

/** The main area of a section other than the stream (which the class page draws itself). */
export function SectionBody({ klass, section, itemId }: { klass: ClassDetail; section: Exclude<ClassSection, "stream">; itemId: string | undefined }) {
  const isTeacher = klass.role === "teacher";
  const archived = klass.state === "archived";
  if (section === "classwork") return <Classwork classId={klass.class_id} isTeacher={isTeacher} archived={archived} assignmentId={itemId} />;
  if (!isTeacher) {
    return (
      <section className="pane section-pane" aria-label="Teachers only">
        <ErrorState message="Only teachers of this class can see this." />
      </section>
    );
  }
  return section === "grades" ? <Gradebook classId={klass.class_id} /> : <ClassSettings key={klass.class_id} klass={klass} />;
}

export function ArchivedNotice({ klass }: { klass: ClassDetail }) {
  if (klass.state !== "archived") return null;
  return (
    <p className="notice archived-notice" role="note">
      This class is archived: it can be read, but nothing in it can be changed{klass.role === "teacher" ? " until you restore it in Settings" : ""}.
    </p>
  );
}
