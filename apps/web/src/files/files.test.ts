import { MAX_ATTACHMENTS, MAX_FILE_SIZE } from "@classroom/client";
import { describe, expect, it } from "vitest";
import { ACCEPT_ATTRIBUTE, checkFile, contentTypeOf, formatSize, isImage, kindOf, roomFor, sameFiles, splitFileName, tooManyMessage } from "./files.ts";

describe("file sizes in words", () => {
  it("counts bytes below a kilobyte", () => {
    expect(formatSize(0)).toBe("0 bytes");
    expect(formatSize(1)).toBe("1 byte");
    expect(formatSize(1023)).toBe("1023 bytes");
  });

  it("uses KB, MB and GB of 1024, with one decimal at most", () => {
    expect(formatSize(1024)).toBe("1 KB");
    expect(formatSize(1536)).toBe("1.5 KB");
    expect(formatSize(12_700)).toBe("12.4 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3 MB");
    expect(formatSize(MAX_FILE_SIZE)).toBe("25 MB");
    expect(formatSize(MAX_FILE_SIZE + 1)).toBe("25 MB");
    expect(formatSize(5 * 1024 ** 3)).toBe("5 GB");
  });

  it("moves up a unit rather than read 1,024 of the smaller one", () => {
    expect(formatSize(1024 * 1024 - 1)).toBe("1 MB");
    expect(formatSize(1024 * 1024 - 40)).toBe("1 MB");
    expect(formatSize(1024 * 1024 - 60)).toBe("1,023.9 KB");
    expect(formatSize(1024 * 1023)).toBe("1,023 KB");
  });
});

describe("which files are accepted", () => {
  it("takes the browser's type when Classroom accepts it", () => {
    expect(contentTypeOf({ name: "notes.pdf", type: "application/pdf" })).toBe("application/pdf");
    expect(contentTypeOf({ name: "photo", type: "image/png" })).toBe("image/png");
  });

  it("falls back on the extension when the browser gives none or another name for it", () => {
    expect(contentTypeOf({ name: "Essay.DOCX", type: "" })).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(contentTypeOf({ name: "work.zip", type: "application/x-zip-compressed" })).toBe("application/zip");
    expect(contentTypeOf({ name: "photo.jpeg", type: "" })).toBe("image/jpeg");
    expect(contentTypeOf({ name: "photo.jpg", type: "" })).toBe("image/jpeg");
  });

  it("refuses other types, naming the file and what is accepted", () => {
    expect(contentTypeOf({ name: "setup.exe", type: "application/x-msdownload" })).toBeUndefined();
    expect(contentTypeOf({ name: "README", type: "" })).toBeUndefined();
    expect(contentTypeOf({ name: "page.html", type: "text/html" })).toBeUndefined();
    const check = checkFile({ name: "setup.exe", type: "application/x-msdownload", size: 10 });
    expect(check).toEqual({ ok: false, message: expect.stringContaining("“setup.exe” can't be attached") });
    expect(!check.ok && check.message).toContain("PDF");
  });

  it("refuses files over the limit and empty files; takes a file of exactly the limit", () => {
    expect(checkFile({ name: "big.pdf", type: "application/pdf", size: MAX_FILE_SIZE })).toEqual({ ok: true, content_type: "application/pdf" });
    expect(checkFile({ name: "big.pdf", type: "application/pdf", size: MAX_FILE_SIZE + 1 })).toEqual({
      ok: false,
      message: "“big.pdf” is larger than 25 MB: files can be at most 25 MB.",
    });
    expect(checkFile({ name: "huge.zip", type: "application/zip", size: 40 * 1024 * 1024 })).toMatchObject({ ok: false, message: expect.stringContaining("is 40 MB") });
    expect(checkFile({ name: "empty.txt", type: "text/plain", size: 0 })).toMatchObject({ ok: false, message: "“empty.txt” is empty." });
  });

  it("offers the picker every accepted type and extension", () => {
    const accepted = ACCEPT_ATTRIBUTE.split(",");
    expect(accepted).toContain("application/pdf");
    expect(accepted).toContain(".pdf");
    expect(accepted).toContain(".jpeg");
    expect(accepted).not.toContain(".exe");
  });
});

describe("attachment counts, kinds and pictures", () => {
  it("leaves room for the files allowed beside those attached", () => {
    expect(roomFor(0)).toBe(MAX_ATTACHMENTS);
    expect(roomFor(MAX_ATTACHMENTS - 1)).toBe(1);
    expect(roomFor(MAX_ATTACHMENTS + 3)).toBe(0);
    expect(tooManyMessage(1)).toBe(`At most ${MAX_ATTACHMENTS} files can be attached; 1 file was left out.`);
    expect(tooManyMessage(2)).toContain("2 files were left out");
  });

  it("names the kind by its usual extension and shows images as pictures", () => {
    expect(kindOf("application/pdf")).toBe("PDF");
    expect(kindOf("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBe("XLSX");
    expect(kindOf("application/octet-stream")).toBe("File");
    expect(isImage("image/webp")).toBe(true);
    expect(isImage("application/pdf")).toBe(false);
  });
});

describe("whether the attached files changed", () => {
  const attached = [{ file_id: "a" }, { file_id: "b" }];
  it("is the same list only with the same ids in the same order", () => {
    expect(sameFiles(["a", "b"], attached)).toBe(true);
    expect(sameFiles(["b", "a"], attached)).toBe(false);
    expect(sameFiles(["a"], attached)).toBe(false);
    expect(sameFiles(["a", "b", "c"], attached)).toBe(false);
    expect(sameFiles([], [])).toBe(true);
  });
});

describe("long file names", () => {
  it("keeps the extension and a few characters before it apart from the rest", () => {
    expect(splitFileName("A very long lab report name final.pdf")).toEqual({ head: "A very long lab report name", tail: " final.pdf" });
    expect(splitFileName("chapter-4-questions.docx")).toEqual({ head: "chapter-4-que", tail: "stions.docx" });
  });

  it("keeps a short name whole in the part always shown", () => {
    expect(splitFileName("notes.txt")).toEqual({ head: "", tail: "notes.txt" });
    expect(splitFileName("a.pdf")).toEqual({ head: "", tail: "a.pdf" });
  });

  it("keeps the end of a name without an extension, or whose last dot starts no extension", () => {
    expect(splitFileName("README-for-the-class")).toEqual({ head: "README-for-the", tail: "-class" });
    expect(splitFileName("Notes v1.2 draft for the lab")).toEqual({ head: "Notes v1.2 draft for t", tail: "he lab" });
    expect(splitFileName(".hidden-settings")).toEqual({ head: ".hidden-se", tail: "ttings" });
  });

  it("never splits a character made of two code units", () => {
    const { head, tail } = splitFileName("Field trip photos 📷📷📷📷📷📷.png");
    expect(tail).toBe("📷📷📷📷📷📷.png");
    expect(head + tail).toBe("Field trip photos 📷📷📷📷📷📷.png");
  });
});
