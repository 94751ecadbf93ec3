import { describe, expect, it } from "vitest";
import { safeHref, splitLinks } from "./links.ts";

const links = (text: string) => splitLinks(text).filter((s) => s.kind === "link");

describe("finding links in text", () => {
  it("links web and mail addresses and keeps the text around them", () => {
    expect(splitLinks("Read https://example.org/ch3 before Thursday")).toEqual([
      { kind: "text", text: "Read " },
      { kind: "link", text: "https://example.org/ch3", href: "https://example.org/ch3" },
      { kind: "text", text: " before Thursday" },
    ]);
    expect(links("mail mailto:teacher@school.edu or see www.school.edu/lab")).toEqual([
      { kind: "link", text: "mailto:teacher@school.edu", href: "mailto:teacher@school.edu" },
      { kind: "link", text: "www.school.edu/lab", href: "https://www.school.edu/lab" },
    ]);
  });

  it("gives back exactly the text it was given", () => {
    for (const text of ["", "no links here", "a https://x.org, b (https://y.org/a_(b)) c.", "http://x.org http://x.org", "ends with https://z.org"]) {
      expect(splitLinks(text).map((s) => s.text).join("")).toBe(text);
    }
  });

  it("leaves out the punctuation that ends a sentence and brackets the link did not open", () => {
    expect(links("See https://example.org/page.")[0]?.text).toBe("https://example.org/page");
    expect(links("Done? https://example.org/a?b=1!")[0]?.text).toBe("https://example.org/a?b=1");
    expect(links("(see https://example.org/x)")[0]?.text).toBe("https://example.org/x");
    expect(links("https://en.wikipedia.org/wiki/Cell_(biology)")[0]?.text).toBe("https://en.wikipedia.org/wiki/Cell_(biology)");
  });

  it("never links javascript:, data: or other schemes, nor half addresses", () => {
    for (const text of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(document.cookie)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "file:///etc/passwd",
      "ftp://example.org",
      "https://",
      "http://nodot",
      "mailto:nobody",
    ]) {
      expect(links(text), text).toEqual([]);
    }
    expect(safeHref("javascript:alert(1)")).toBeUndefined();
    // A scheme glued in front of a real address does not come along.
    expect(links("javascript:https://example.org")).toEqual([{ kind: "link", text: "https://example.org", href: "https://example.org/" }]);
  });

  it("keeps markup as text: an address cannot carry quotes or angle brackets into the page", () => {
    const [link] = links('https://example.org/"onmouseover="alert(1)<b>');
    expect(link?.text).toBe("https://example.org/");
    expect(link?.href).toBe("https://example.org/");
  });
});
