/**
 * Screens addressed by the URL hash, so links and the back button work without a server:
 * `#/` (my classes), `#/class/<id>` (a class: its chat and stream), `#/class/<id>/activity` (its
 * activity, for teachers), a class's other sections (`/classwork`, `/classwork/<assignment id>`,
 * `/grades`, `/settings`), an item of its stream or chat (`/post/<id>`, `/message/<id>`),
 * `#/todo` (a student's work across their classes) and `#/settings/notifications`.
 */
import { useEffect, useState } from "react";

/** The parts of a class page; "stream" is the chat beside the stream. */
export type ClassSection = "stream" | "classwork" | "grades" | "settings";

export type Route =
  | { name: "classes" }
  | { name: "todo" }
  | { name: "notificationSettings" }
  | { name: "class"; classId: string; section: ClassSection; itemId?: string }
  | { name: "activity"; classId: string };

const ID = "([A-Za-z0-9_-]{1,64})";
const CLASS_PATH = new RegExp(`^#/class/${ID}(?:/(activity|classwork|grades|settings|post|message)(?:/${ID})?)?/?$`);

export function parseRoute(hash: string): Route {
  if (/^#\/todo\/?$/.test(hash)) return { name: "todo" };
  if (/^#\/settings\/notifications\/?$/.test(hash)) return { name: "notificationSettings" };
  const match = CLASS_PATH.exec(hash);
  const classId = match?.[1];
  if (!classId) return { name: "classes" };
  const [, , part, itemId] = match;
  if (part === "activity") return itemId ? { name: "classes" } : { name: "activity", classId };
  if (part === "classwork") return { name: "class", classId, section: "classwork", ...(itemId ? { itemId } : {}) };
  if (part === "grades" || part === "settings") return itemId ? { name: "classes" } : { name: "class", classId, section: part };
  if (part === "post" || part === "message") return itemId ? { name: "class", classId, section: "stream", itemId } : { name: "classes" };
  return { name: "class", classId, section: "stream" };
}

export const classHref = (classId: string) => `#/class/${classId}`;
export const activityHref = (classId: string) => `#/class/${classId}/activity`;
export const homeHref = "#/";
export const todoHref = "#/todo";
export const notificationSettingsHref = "#/settings/notifications";
export const sectionHref = (classId: string, section: ClassSection) =>
  section === "stream" ? classHref(classId) : `#/class/${classId}/${section}`;
export const assignmentHref = (classId: string, assignmentId: string) => `#/class/${classId}/classwork/${assignmentId}`;
export const postHref = (classId: string, postId: string) => `#/class/${classId}/post/${postId}`;
export const messageHref = (classId: string, messageId: string) => `#/class/${classId}/message/${messageId}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export function navigate(href: string) {
  window.location.hash = href.slice(1);
}
