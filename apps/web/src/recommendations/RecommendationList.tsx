/**
 * A recommendations panel: a heading and a short list of links. It shows nothing at all while
 * loading and when there is nothing to suggest, and after a failure only a one-line retry
 * (none when the item itself is gone): suggestions are a bonus, never in the way of the page.
 */
import type { UseQueryResult } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import { useTRPCClient } from "../trpc.ts";
import { isTransient } from "../ui/errors.ts";
import { type ItemRef, type RecommendedItem, type Recommendations, entriesOf, entryNote, itemHref } from "./items.ts";
import { useRecordOpened } from "./useRecordOpened.ts";
import "./recommendations.css";

export function RecommendationList({
  heading,
  classId,
  query,
  exclude,
  className,
}: {
  heading: string;
  classId: string;
  query: UseQueryResult<Recommendations, unknown>;
  exclude?: ItemRef;
  className?: string;
}) {
  const id = useId();
  if (query.isError) {
    if (!isTransient(query.error)) return null;
    return (
      <p className="recs-failed muted small">
        Suggestions didn't load.{" "}
        <button type="button" className="link small" disabled={query.isFetching} onClick={() => void query.refetch()}>
          Try again
        </button>
      </p>
    );
  }
  const entries = entriesOf(query.data, exclude);
  if (entries.length === 0) return null;
  return (
    <section className={`recs card${className ? ` ${className}` : ""}`} aria-labelledby={id}>
      <h3 id={id} className="recs-heading">
        {heading}
      </h3>
      <ul className="recs-list">
        {entries.map((item) => (
          <li key={`${item.item_type}:${item.item_id}`}>
            <Entry classId={classId} item={item} />
          </li>
        ))}
      </ul>
    </section>
  );
}

function Entry({ classId, item }: { classId: string; item: RecommendedItem }) {
  const href = itemHref(classId, item);
  const note = <span className="recs-note muted small">{entryNote(item)}</span>;
  if (href) {
    return (
      <a className="recs-entry" href={href} title={item.title}>
        <span className="recs-title">{item.title}</span>
        {note}
      </a>
    );
  }
  return <FileEntry item={item} note={note} />;
}

/** A file has no page: the entry downloads it (a presigned link, asked for on click since it expires). */
function FileEntry({ item, note }: { item: RecommendedItem; note: ReactNode }) {
  const client = useTRPCClient();
  const [state, setState] = useState<"idle" | "opening" | "failed">("idle");
  const [opened, setOpened] = useState<ItemRef | null>(null);
  useRecordOpened(opened);
  async function open() {
    setState("opening");
    try {
      const { url } = await client.file.download.query({ file_id: item.item_id });
      setOpened({ item_type: "file", item_id: item.item_id });
      setState("idle");
      window.location.assign(url);
    } catch {
      setState("failed");
    }
  }
  return (
    <button type="button" className="recs-entry recs-file" title={item.title} disabled={state === "opening"} onClick={() => void open()}>
      <span className="recs-title">{item.title}</span>
      {state === "failed" ? <span className="recs-note error-text small">Couldn't open the file. Try again.</span> : note}
    </button>
  );
}
