import { type FormEvent, type KeyboardEvent, useLayoutEffect, useRef, useState } from "react";
import { initials } from "../classes/MembersPanel.tsx";
import { ErrorState, Loading, Time } from "../ui/states.tsx";
import type { Author, ChatMessage, OutgoingMessage, ReactionType, Reactions, TimelineItem } from "./timeline.ts";
import { useChat } from "./useChat.ts";
import { MAX_MESSAGE_LENGTH } from "@classroom/core/limits";

const NEAR_BOTTOM_PX = 48;
const NEAR_TOP_PX = 64;

export function ChatPane({ classId, me }: { classId: string; me: Author }) {
  const chat = useChat(classId, me);
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const content = useRef<HTMLDivElement>(null);
  const snapshot = useRef<{ height: number; firstKey: string | undefined; lastKey: string | undefined } | null>(null);
  const [unseen, setUnseen] = useState(0);
  const lastKey = keyOf(chat.items[chat.items.length - 1]);
  const firstKey = keyOf(chat.items[0]);

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
  // phone keyboard opened, a row re-laid out after fonts load).
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
              {chat.items.map((item) =>
                item.kind === "message" ? (
                  <MessageRow
                    key={item.message.message_id}
                    message={item.message}
                    reactions={item.reactions}
                    mine={item.message.author_id === me.userId}
                    onReact={(reaction) => chat.toggleReaction(item.message.message_id, reaction)}
                  />
                ) : (
                  <OutgoingRow
                    key={item.message.message_id}
                    message={item.message}
                    me={me}
                    onRetry={() => chat.retry(item.message.message_id)}
                    onDiscard={() => chat.discard(item.message.message_id)}
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
        disabled={chat.status !== "ready"}
        onSend={(text) => {
          stickToBottom.current = true;
          chat.send(text);
        }}
      />
    </section>
  );
}

function keyOf(item: TimelineItem | undefined): string | undefined {
  return item?.message.message_id;
}

function MessageRow({
  message,
  reactions,
  mine,
  onReact,
}: {
  message: ChatMessage;
  reactions: Reactions;
  mine: boolean;
  onReact: (reaction: ReactionType) => void;
}) {
  return (
    <li className={`message${mine ? " message-mine" : ""}`} data-message-id={message.message_id}>
      <span className="avatar" aria-hidden="true">
        {initials(message.author_name)}
      </span>
      <div className="message-body">
        <div className="message-meta">
          <span className="message-author">{mine ? "You" : message.author_name}</span>
          <Time iso={message.created_at} />
        </div>
        <p className="message-text">{message.content}</p>
        <div className="reactions" role="group" aria-label="Reactions">
          <ReactionButton type="like" count={reactions.like_count} active={reactions.mine.includes("like")} onClick={() => onReact("like")} />
          <ReactionButton type="heart" count={reactions.heart_count} active={reactions.mine.includes("heart")} onClick={() => onReact("heart")} />
        </div>
      </div>
    </li>
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
        <p className="message-text">{message.content}</p>
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

function Composer({ disabled, onSend }: { disabled: boolean; onSend: (text: string) => void }) {
  const [text, setText] = useState("");
  const trimmed = text.trim();

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!trimmed || disabled) return;
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
      <label htmlFor="chat-input" className="visually-hidden">
        Message the class
      </label>
      <textarea
        id="chat-input"
        rows={1}
        placeholder="Write a message…"
        aria-describedby="chat-input-hint"
        value={text}
        maxLength={MAX_MESSAGE_LENGTH}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        disabled={disabled}
      />
      <span id="chat-input-hint" className="visually-hidden">
        Enter sends the message; Shift+Enter starts a new line.
      </span>
      <button type="submit" className="button primary" disabled={disabled || !trimmed}>
        Send
      </button>
    </form>
  );
}
