/**
 * The notification settings (`#/settings/notifications`, linked from the bell): each kind of
 * notification as a checkbox, and each of the person's classes with a switch that mutes it.
 * Teachers and students alike: a class's own Settings are for its teachers only.
 *
 * Saving is optimistic: a switch moves at once and the preferences are saved behind it, one save
 * at a time in the order they were made (the API replaces the whole preferences, so each save
 * carries every switch as it stands). A failed save puts the switch back and says so.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { homeHref } from "../route.ts";
import { useTRPC } from "../trpc.ts";
import { describeError } from "../ui/errors.ts";
import { ErrorState, Loading } from "../ui/states.tsx";
import { NOTIFICATION_KINDS, type Preferences, isClassMuted, isKindOn, withClassMuted, withKind } from "./preferences.ts";
import "./settings.css";

export function NotificationSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const prefs = useQuery(trpc.notification.preferences.queryOptions());
  // Fresh: a class joined a moment ago belongs in the list.
  const classes = useQuery(trpc.class.mine.queryOptions(undefined, { staleTime: 0 }));
  const [failure, setFailure] = useState<string | null>(null);
  // The switches as the person set them while saves are under way; null once the saves are done.
  const [pending, setPending] = useState<Preferences | null>(null);
  const prefsKey = trpc.notification.preferences.queryKey();
  const saveKey = trpc.notification.setPreferences.mutationKey();
  const lastSave = () => queryClient.isMutating({ mutationKey: saveKey }) <= 1;

  const save = useMutation(
    trpc.notification.setPreferences.mutationOptions({
      scope: { id: "notification-preferences" },
      onSuccess: (stored) => {
        if (!lastSave()) return;
        queryClient.setQueryData(prefsKey, stored);
        setPending(null);
      },
      onError: (error) => {
        // Back to what is stored: the query's data only ever holds what the API answered.
        setPending(null);
        setFailure(`Your change wasn't saved, so it was undone. ${describeError(error)}`);
        void queryClient.invalidateQueries({ queryKey: prefsKey });
      },
    }),
  );
  const shown = pending ?? prefs.data;
  const change = (update: (current: Preferences) => Preferences) => {
    if (!shown) return;
    const next = update(shown);
    setFailure(null);
    setPending(next);
    save.mutate(next);
  };

  return (
    <main className="page settings-page" aria-labelledby="settings-title">
      <a className="back" href={homeHref}>
        <span aria-hidden="true">←</span> My classes
      </a>
      <h1 id="settings-title">Notification settings</h1>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {!shown && prefs.isPending ? (
        <Loading label="Loading your settings…" />
      ) : !shown ? (
        <ErrorState message={describeError(prefs.error)} onRetry={() => void prefs.refetch()} />
      ) : (
        <>
          <section className="card stack" aria-labelledby="kinds-title">
            <div>
              <h2 id="kinds-title">Notify me about</h2>
              <p className="muted small">You are notified only of what is ticked here; what is already in the bell stays there.</p>
            </div>
            <ul className="settings-list">
              {NOTIFICATION_KINDS.map(({ kind, label, description }) => (
                <li key={kind} className="setting">
                  <input
                    id={`kind-${kind}`}
                    type="checkbox"
                    checked={isKindOn(shown, kind)}
                    onChange={(e) => change((p) => withKind(p, kind, e.target.checked))}
                    aria-describedby={`kind-${kind}-about`}
                  />
                  <span className="setting-text">
                    <label className="setting-label" htmlFor={`kind-${kind}`}>
                      {label}
                    </label>
                    <span id={`kind-${kind}-about`} className="muted small">
                      {description}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          </section>
          <section className="card stack" aria-labelledby="classes-title">
            <div>
              <h2 id="classes-title">Classes</h2>
              <p className="muted small">A muted class sends you no notifications at all. Its chat still shows unread messages.</p>
            </div>
            {classes.isPending ? (
              <Loading label="Loading your classes…" />
            ) : classes.isError ? (
              <ErrorState message={describeError(classes.error)} onRetry={() => void classes.refetch()} />
            ) : classes.data.length === 0 ? (
              <p className="muted">You're not in any class yet.</p>
            ) : (
              <ul className="settings-list">
                {classes.data.map((c) => (
                  <li key={c.class_id} className="setting setting-class">
                    <span className="setting-text">
                      <span className="setting-label">{c.name}</span>
                      {c.section && <span className="muted small">{c.section}</span>}
                    </span>
                    <label className="check">
                      <input
                        type="checkbox"
                        role="switch"
                        checked={isClassMuted(shown, c.class_id)}
                        onChange={(e) => change((p) => withClassMuted(p, c.class_id, e.target.checked))}
                        aria-label={`Mute notifications from ${c.name}`}
                      />
                      <span aria-hidden="true">Mute notifications from this class</span>
                    </label>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </main>
  );
}
