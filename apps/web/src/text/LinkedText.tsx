import { useMemo } from "react";
import { splitLinks } from "./links.ts";

/**
 * Text as people wrote it, with its web and mail addresses clickable. Rendered as React text
 * nodes (never as HTML), so markup in a message shows as the characters it is.
 */
export function LinkedText({ text }: { text: string }) {
  const segments = useMemo(() => splitLinks(text), [text]);
  return (
    <>
      {segments.map((segment, i) =>
        segment.kind === "text" ? (
          segment.text
        ) : (
          <a
            key={i}
            href={segment.href}
            // A page opened from a message gets no handle on this one, nor where the reader came from.
            rel="noopener noreferrer"
            target="_blank"
          >
            {segment.text}
          </a>
        ),
      )}
    </>
  );
}
