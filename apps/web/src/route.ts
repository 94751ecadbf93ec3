/**
 * Screens addressed by the URL hash, so links and the back button work without a server:
 * `#/` (my classes), `#/class/<id>` (a class) and `#/class/<id>/activity` (its activity, for teachers).
 */
import { useEffect, useState } from "react";

export type Route = { name: "classes" } | { name: "class"; classId: string } | { name: "activity"; classId: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/class\/([A-Za-z0-9_-]{1,64})(\/activity)?\/?$/.exec(hash);
  if (!match?.[1]) return { name: "classes" };
  return match[2] ? { name: "activity", classId: match[1] } : { name: "class", classId: match[1] };
}

export const classHref = (classId: string) => `#/class/${classId}`;
export const activityHref = (classId: string) => `#/class/${classId}/activity`;
export const homeHref = "#/";

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
