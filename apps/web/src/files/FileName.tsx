/**
 * A file's name on one line. A name too long for its space is cut in the middle, so its end
 * and extension stay in view; the whole name is in the title and is what assistive technology
 * reads (the two visible parts are hidden from it, so it never hears the name in pieces).
 */
import { splitFileName } from "./files.ts";

export function FileName({ name, spoken = name }: { name: string; spoken?: string }) {
  const { head, tail } = splitFileName(name);
  return (
    <>
      <span className="visually-hidden">{spoken}</span>
      <span className="file-name-shown" aria-hidden="true">
        {head && <span className="file-name-head">{head}</span>}
        <span className="file-name-tail">{tail}</span>
      </span>
    </>
  );
}
