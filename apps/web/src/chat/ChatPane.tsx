import { MAX_MESSAGE_LENGTH } from "@classroom/client";
import { type FormEvent, type KeyboardEvent, type RefObject, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { initials } from "../classes/MembersPanel.tsx";
import { LengthHint } from "../compose/LengthHint.tsx";
import { draftKey, useDraft } from "../compose/drafts.ts";
import { lengthState } from "../compose/length.ts";
import { LinkedText } from "../text/LinkedText.tsx";
import { useReadMarker } from "../notifications/useReadMarker.ts";
import { ConfirmDialog } from "../ui/ConfirmDialog.tsx";
import { ErrorState, Loading, Time, formatWhen } from "../ui/states.tsx";
import { withDaySeparators } from "./days.ts";
import type { Author, ChatMessage, OutgoingMessage, ReactionType, Reactions, TimelineItem } from "./timeline.ts";
import { useChat } from "./useChat.ts";

const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 64;

export function ChatPane({
  classId,
  me,
  isTeacher,
  mutedUntil,
}: {
  classId: string;
  me: Author;
  isTeacher: boolean;
  /** When a teacher's mute of me ends; null when I am not muted. */
  mutedUntil: string | null;
}) {
  const chat = useChat(classId, me);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const content = useRef<HTMLDivElement>(null);
  const snapshot = useRef<{ height: number; firstKey: string | undefined; lastKey: string | undefined } | null>(null);
  const [unseen, setUnseen] = useState(0);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ChatMessage | null>(null);
  const muted = useMutedUntil(mutedUntil);
  useReadMarker(classId, scroller, chat.items);
  const lastKey = keyOf(chat.items[chat.items.length - 1]);
  const firstKey = keyOf(chat.items[0]);
  const rows = useMemo(
    () => withDaySeparators(chat.items, (item) => (item.kind === "message" ? item.message.created_at : undefined), new Date()),
    [chat.items],
  );

  // Keep the view where the reader is: pinned to the newest message, or still when older ones are
  // added above. Runs on every change of the items, not only on new ones: a sent message that the
  // server confirms grows (its reactions appear) without changing the list's ends.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const before = snapshot.current;
    if (before && before.firstKey !== firstKey && before.firstKey !== undefined && before.lastKey === lastKey) {
      el.scrollTop += el.scrollHeight - before.height;
    } else if (stickToBottom.current) {
      el.scrollTop = el.scrollHeight;
    } else if (before && before.lastKey !== lastKey && el.scrollHeight > before.height) {
      setUnseen((n) => n + 1);
    }
    snapshot.current = { height: el.scrollHeight, firstKey, lastKey };
  }, [chat.items, firstKey, lastKey]);

  // Stay pinned to the newest message when the pane or its content changes size (window resized,
  // phone keyboard opened, a message being edited in place).
  const ready = chat.status === "ready";
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(el);
    if (content.current) observer.observe(content.current);
    return () => observer.disconnect();
  }, [ready]);

  function onScroll() {
    const el = scroller.current;
    if (!el) return;
    stickToBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (stickToBottom.current) setUnseen(0);
    if (el.scrollTop < NEAR_TOP_PX && chat.hasOlder && !chat.loadingOlder) void chat.loadOlder();
  }

  function jumpToNewest() {
    const el = scroller.current;
    if (!el) return;
    stickToBottom.current = true;
    el.scrollTop = el.scrollHeight;
    setUnseen(0);
  }

  const removingMine = removing?.author_id === me.userId;

  return (
    <section className="pane chat" aria-labelledby="chat-title">
      <div className="pane-head">
        <h2 id="chat-title">Class chat</h2>
        {chat.pollError && (
          <span className="pill pill-warn" role="status">
            Reconnecting…
          </span>
        )}
      </div>
      {chat.status === "loading" ? (
        <Loading label="Loading messages…" />
      ) : chat.status === "error" ? (
        <ErrorState message={chat.loadError ?? "The chat could not be loaded."} onRetry={chat.reload} />
      ) : (
        <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
          <div ref={content}>
            {chat.hasOlder ? (
              <div className="chat-older">
                <button type="button" className="button ghost small" onClick={() => void chat.loadOlder()} disabled={chat.loadingOlder}>
                  {chat.loadingOlder ? "Loading earlier messages…" : "Load earlier messages"}
                </button>
              </div>
            ) : (
              chat.items.length > 0 && <p className="chat-start muted">This is the start of the class chat.</p>
            )}
            {chat.items.length === 0 ? (
              <div className="state state-empty">
                <p className="state-title">No messages yet</p>
                <p className="muted">Say hello to your class.</p>
              </div>
            ) : (
              <ol className="messages" aria-label="Messages" aria-live="polite" aria-relevant="additions">
                {rows.map((row) =>
                  row.kind === "day" ? (
                    <li key={row.key} className="day-separator">
                      <h3>{row.label}</h3>
                    </li>
                  ) : row.item.kind === "message" ? (
                    <MessageRow
                      key={row.item.message.message_id}
                      item={row.item}
                      mine={row.item.message.author_id === me.userId}
                      canRemove={isTeacher}
                      editing={editing === row.item.message.message_id}
                      onReact={(id, reaction) => chat.toggleReaction(id, reaction)}
                      onEdit={setEditing}
                      onEditDone={() => setEditing(null)}
                      onSaveEdit={chat.edit}
                      onRemove={setRemoving}
                    />
                  ) : (
                    <OutgoingRow
                      key={row.item.message.message_id}
                      message={row.item.message}
                      me={me}
                      onRetry={() => chat.retry(row.item.message.message_id)}
                      onDiscard={() => chat.discard(row.item.message.message_id)}
                    />
                  ),
                )}
              </ol>
            )}
          </div>
        </div>
      )}
      {unseen > 0 && (
        <button type="button" className="new-messages" onClick={jumpToNewest}>
          New messages ↓
        </button>
      )}
      {chat.reactError && (
        <p className="error inline-error" role="alert">
          {chat.reactError}{" "}
          <button type="button" className="link" onClick={chat.dismissReactError}>
            Dismiss
          </button>
        </p>
      )}
      <Composer
        classId={classId}
        userId={me.userId}
        disabled={chat.status !== "ready"}
        mutedUntil={muted}
        onSend={(text) => {
          stickToBottom.current = true;
          chat.send(text);
        }}
      />
      <ConfirmDialog
        open={removing !== null}
        title={removingMine ? "Delete this message?" : "Remove this message?"}
        body={
          removingMine
            ? "It is replaced by “message deleted” for everyone in the class."
            : `The message by ${removing?.author_name ?? "this student"} is replaced by “removed by a teacher” for everyone in the class.`
        }
        confirmLabel={removingMine ? "Delete message" : "Remove message"}
        onCancel={() => setRemoving(null)}
        onConfirm={() => {
          if (removing) void chat.remove(removing.message_id);
          setRemoving(null);
        }}
      />
    </section>
  );
}

/** The end of my mute while it lasts; null once it is over (re-rendered at that moment). */
function useMutedUntil(mutedUntil: string | null): string | null {
  const [, setTick] = useState(0);
  const endsIn = mutedUntil ? Date.parse(mutedUntil) - Date.now() : 0;
  useEffect(() => {
    if (endsIn <= 0) return;
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(endsIn + 250, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [endsIn, mutedUntil]);
  return endsIn > 0 ? mutedUntil : null;
}

function keyOf(item: TimelineItem | undefined): string | undefined {
  return item?.message.message_id;
}

/** Grows a textarea with its text, up to its CSS max-height. */
function useAutoGrow(ref: RefObject<HTMLTextAreaElement | null>, value: string) {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${el.scrollHeight + el.offsetHeight - el.clientHeight}px`;
  }, [ref, value]);
}

function MessageRow({
  item,
  mine,
  canRemove,
  editing,
  onReact,
  onEdit,
  onEditDone,
  onSaveEdit,
  onRemove,
}: {
  item: { message: ChatMessage; reactions: Reactions };
  mine: boolean;
  canRemove: boolean;
  editing: boolean;
  onReact: (message_id: string, reaction: ReactionType) => void;
  onEdit: (message_id: string) => void;
  onEditDone: () => void;
  onSaveEdit: (message_id: string, text: string) => Promise<void>;
  onRemove: (message: ChatMessage) => void;
}) {
  const { message, reactions } = item;
  const author = mine ? "You" : message.author_name;
  if (message.removed) {
    return (
      <li className="message message-removed" data-message-id={message.message_id}>
        <span className="avatar" aria-hidden="true">
          {initials(message.author_name)}
        </span>
        <div className="message-body">
          <div className="message-meta">
            <span className="message-author">{author}</span>
            <Time iso={message.created_at} />
          </div>
          <p className="message-tombstone">{message.removed === "teacher" ? "removed by a teacher" : "message deleted"}</p>
        </div>
      </li>
    );
  }
  return (
    <li className={`message${mine ? " message-mine" : ""}`} data-message-id={message.message_id}>
      <span className="avatar" aria-hidden="true">
        {initials(message.author_name)}
      </span>
      <div className="message-body">
        <div className="message-meta">
          <span className="message-author">{author}</span>
          <Time iso={message.created_at} />
          {message.edited_at && (
            <span className="edited" title={`Edited ${new Date(message.edited_at).toLocaleString()}`}>
              edited <Time iso={message.edited_at} />
            </span>
          )}
          {!editing && (mine || canRemove) && (
            <span className="message-actions">
              {mine && (
                <button type="button" className="link small" onClick={() => onEdit(message.message_id)} aria-label="Edit your message">
                  Edit
                </button>
              )}
              <button type="button" className="link small" onClick={() => onRemove(message)} aria-label={mine ? "Delete your message" : `Remove message by ${message.author_name}`}>
                {mine ? "Delete" : "Remove"}
              </button>
            </span>
          )}
        </div>
        {editing ? (
          <EditMessage initial={message.content} onCancel={onEditDone} onSave={(text) => onSaveEdit(message.message_id, text)} onSaved={onEditDone} />
        ) : (
          <p className="message-text">
            <LinkedText text={message.content} />
          </p>
        )}
        <div className="reactions" role="group" aria-label="Reactions">
          <ReactionButton type="like" count={reactions.like_count} active={reactions.mine.includes("like")} onClick={() => onReact(message.message_id, "like")} />
          <ReactionButton type="heart" count={reactions.heart_count} active={reactions.mine.includes("heart")} onClick={() => onReact(message.message_id, "heart")} />
        </div>
      </div>
    </li>
  );
}

function EditMessage({
  initial,
  onCancel,
  onSave,
  onSaved,
}: {
  initial: string;
  onCancel: () => void;
  onSave: (text: string) => Promise<void>;
  onSaved: () => void;
}) {
  const [text, setText] = useState(initial);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const length = lengthState(text, MAX_MESSAGE_LENGTH);
  const unchanged = text.trim() === initial.trim();
  useAutoGrow(field, text);
  useEffect(() => {
    const el = field.current;
    el?.focus();
    el?.setSelectionRange(el.value.length, el.value.length);
  }, []);

  async function save(event?: FormEvent) {
    event?.preventDefault();
    if (!text.trim() || length.over || saving) return;
    if (unchanged) return onCancel();
    setSaving(true);
    setError(null);
    try {
      await onSave(text);
      onSaved();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Escape") {
      event.preventDefault();
      onCancel();
    } else if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void save();
    }
  }

  return (
    <form className="message-edit" onSubmit={save}>
      <label className="visually-hidden" htmlFor="chat-edit-input">
        Edit your message
      </label>
      <textarea
        id="chat-edit-input"
        ref={field}
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-invalid={length.over}
        aria-describedby="chat-edit-count"
        disabled={saving}
      />
      <LengthHint id="chat-edit-count" state={length} what="message" />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="message-edit-actions">
        <button type="button" className="button ghost small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary small" disabled={saving || !text.trim() || length.over}>
          {saving ? "Saving…" : "Save"}
        </button>
      </div>
    </form>
  );
}

const REACTION_LABEL = { like: ["Like", "likes"], heart: ["Heart", "hearts"] } as const;

/** Drawn, not emoji: emoji fonts are missing on many school machines. */
function ReactionIcon({ type, filled }: { type: ReactionType; filled: boolean }) {
  const fill = filled ? "currentColor" : "none";
  return type === "like" ? (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill={fill} stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
      <path d="M7 10v11H3V10h4zm0 0l4-8a3 3 0 013 3v4h5.5a2 2 0 012 2.3l-1.4 8A2 2 0 0118.1 21H7" />
    </svg>
  ) : (
    <svg viewBox="0 0 24 24" aria-hidden="true" fill={fill} stroke="currentColor" strokeWidth="2" strokeLinejoin="round">
      <path d="M12 21s-7.5-4.6-9.5-9.4C1.2 8.3 3.3 4.5 7 4.5c2.1 0 3.6 1.2 5 3 1.4-1.8 2.9-3 5-3 3.7 0 5.8 3.8 4.5 7.1C19.5 16.4 12 21 12 21z" />
    </svg>
  );
}

function ReactionButton({ type, count, active, onClick }: { type: ReactionType; count: number; active: boolean; onClick: () => void }) {
  const [name, plural] = REACTION_LABEL[type];
  return (
    <button
      type="button"
      className={`reaction${active ? " reaction-active" : ""}`}
      aria-pressed={active}
      aria-label={`${name} (${count} ${count === 1 ? plural.slice(0, -1) : plural}${active ? ", including you" : ""})`}
      data-reaction={type}
      onClick={onClick}
    >
      <ReactionIcon type={type} filled={active} />
      <span className="reaction-count" aria-hidden="true">
        {count}
      </span>
    </button>
  );
}

function OutgoingRow({ message, me, onRetry, onDiscard }: { message: OutgoingMessage; me: Author; onRetry: () => void; onDiscard: () => void }) {
  const failed = message.status === "failed";
  return (
    <li className={`message message-mine message-${message.status}`} data-message-id={message.message_id} data-status={message.status}>
      <span className="avatar" aria-hidden="true">
        {initials(me.name)}
      </span>
      <div className="message-body">
        <div className="message-meta">
          <span className="message-author">You</span>
          <span className="muted">{failed ? "Not sent" : "Sending…"}</span>
        </div>
        <p className="message-text">
          <LinkedText text={message.content} />
        </p>
        {failed && (
          <div className="message-failed" role="alert">
            <span>{message.error ?? "This message could not be sent."}</span>
            <button type="button" className="button small" onClick={onRetry}>
              Retry
            </button>
            <button type="button" className="button ghost small" onClick={onDiscard}>
              Discard
            </button>
          </div>
        )}
      </div>
    </li>
  );
}

function Composer({
  classId,
  userId,
  disabled,
  mutedUntil,
  onSend,
}: {
  classId: string;
  userId: string;
  disabled: boolean;
  mutedUntil: string | null;
  onSend: (text: string) => void;
}) {
  const [text, setText] = useDraft(draftKey(userId, { kind: "chat", classId }));
  const field = useRef<HTMLTextAreaElement>(null);
  const trimmed = text.trim();
  const length = lengthState(text, MAX_MESSAGE_LENGTH);
  const blocked = disabled || mutedUntil !== null;
  useAutoGrow(field, text);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!trimmed || blocked || length.over) return;
    onSend(trimmed);
    setText("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      {mutedUntil && (
        <p className="notice composer-muted" role="status">
          A teacher muted you in this chat until {formatWhen(mutedUntil)}. You can read along, and write again after that.
        </p>
      )}
      <LengthHint id="chat-input-count" state={length} what="message" />
      <div className="composer-row">
        <label htmlFor="chat-input" className="visually-hidden">
          Message the class
        </label>
        <textarea
          id="chat-input"
          ref={field}
          rows={1}
          placeholder={mutedUntil ? "You are muted in this chat" : "Write a message…"}
          aria-describedby="chat-input-hint chat-input-count"
          aria-invalid={length.over}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          disabled={blocked}
        />
        <span id="chat-input-hint" className="visually-hidden">
          Enter sends the message; Shift+Enter starts a new line.
        </span>
        <button type="submit" className="button primary" disabled={blocked || !trimmed || length.over}>
          Send
        </button>
      </div>
    </form>
  );
}
